"""``manage.py recompute_indicators [--year YYYY] [--municipality GM0402] [--code outflow.to_work]``

A full recompute from the command line (the same fill service the Celery tasks call).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from caseload.models import Municipality
from indicators.services import indicator_values_fill


class Command(BaseCommand):
    help = "Bereken alle indicatoren opnieuw (alle jaren met gegevens, of één jaar)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--municipality", help="CBS-code; standaard alle gemeenten.")
        parser.add_argument("--code", action="append", dest="codes", help="Indicatorcode.")
        parser.add_argument(
            "--resume", action="store_true", help="Alleen ontbrekende of half gevulde perioden."
        )

    def handle(self, *args, **opts) -> None:
        qs = Municipality.objects.all()
        if opts["municipality"]:
            qs = qs.filter(cbs_code=opts["municipality"])
        for mun in qs:
            started = time.monotonic()
            result = indicator_values_fill(
                municipality_id=mun.pk,
                year=opts["year"],
                codes=opts["codes"],
                resume=opts["resume"],
            )
            self.stdout.write(
                f"{mun.name}: {len(result.codes)} indicatoren, {result.periods} perioden, "
                f"{result.rows} waarden nieuw, gewijzigd of verwijderd, in "
                f"{time.monotonic() - started:.1f} s"
            )
