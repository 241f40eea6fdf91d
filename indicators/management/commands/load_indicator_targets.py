"""``manage.py load_indicator_targets``: load the seed targets (indicators/seeds.py).

Examples::

    python manage.py load_indicator_targets                       # every municipality
    python manage.py load_indicator_targets --municipality GM0402 --from-year 2019 --to-year 2027

Existing targets are kept unless ``--overwrite`` is given (functioneel beheer may have edited
them).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from caseload.models import Municipality
from common import clock
from indicators.models import Target
from indicators.seeds import seed_targets_for
from indicators.services import target_set


class Command(BaseCommand):
    help = "Laad de streefwaarden uit de beleidsstukken (seeds) voor een of alle gemeenten."

    def add_arguments(self, parser: CommandParser) -> None:
        this_year = clock.today().year
        parser.add_argument("--municipality", help="CBS-code, bijvoorbeeld GM0402.")
        parser.add_argument("--from-year", type=int, default=2018)
        parser.add_argument("--to-year", type=int, default=this_year + 1)
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, **opts) -> None:
        qs = Municipality.objects.all()
        if opts["municipality"]:
            qs = qs.filter(cbs_code=opts["municipality"])
        loaded = 0
        for mun in qs:
            existing = set(Target.objects.filter(municipality=mun).values_list("code", "year"))
            years = range(opts["from_year"], opts["to_year"] + 1)
            for code, year, baseline, target, note in seed_targets_for(mun.cbs_code, years):
                if (code, year) in existing and not opts["overwrite"]:
                    continue
                target_set(
                    municipality_id=mun.pk,
                    year=year,
                    code=code,
                    baseline=baseline,
                    target=target,
                    note=note,
                )
                loaded += 1
        self.stdout.write(f"{loaded} streefwaarden geladen.")
