"""``manage.py import_cbs_series <file>``: import a CBS StatLine series snapshot.

Examples::

    python manage.py import_cbs_series data/cbs/85585NED-personen-met-bijstand.csv
    python manage.py import_cbs_series export.csv --note export.source.toml --no-recompute

The source note (what the series is, its table, page, selection, licence and the date of the
snapshot) is ``<file without .csv>.source.toml`` beside the file unless ``--note`` names it.
Whole file or nothing: with any bad row nothing is imported, every bad row is reported and the
command fails. After an import, the indicators that read national series are recomputed for
every municipality (``--no-recompute`` leaves that to the next fill).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseload.models import Municipality
from common.exceptions import DomainError
from indicators.fill import indicator_values_fill

from ...indicators import NATIONAL_SERIES_INDICATORS
from ...services import series_import


def _note_path(path: Path) -> Path:
    name = path.name.removesuffix(path.suffix) if path.suffix else path.name
    return path.with_name(f"{name}.source.toml")


class Command(BaseCommand):
    help = "Lees een landelijke reeks in uit een CBS StatLine-bestand (CSV) met zijn bronnotitie."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Het CSV-bestand zoals CBS StatLine het levert.")
        parser.add_argument(
            "--note", help="De bronnotitie (TOML); standaard <bestand>.source.toml."
        )
        parser.add_argument(
            "--no-recompute",
            action="store_true",
            help="De indicatoren op landelijke reeksen niet meteen herberekenen.",
        )

    def handle(self, *args, **opts) -> None:
        path = Path(opts["file"])
        note_path = Path(opts["note"]) if opts["note"] else _note_path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Het bestand {path} is niet te lezen.") from exc
        try:
            note = tomllib.loads(note_path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"De bronnotitie {note_path} is niet te lezen.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise CommandError(f"De bronnotitie {note_path} is geen geldige TOML: {exc}") from exc
        try:
            result = series_import(content=content, filename=path.name, note=note)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if result.errors:
            for line, column, message in result.errors:
                where = f"regel {line}" + (f", kolom {column}" if column else "")
                self.stderr.write(f"{where}: {message}")
            raise CommandError(f"Niets ingelezen: {len(result.errors)} fout(en) in {path.name}.")
        series = result.series
        assert series is not None
        self.stdout.write(
            f"{result.written} cijfers ingelezen voor {series.code} "
            f"(CBS {series.table_id}, momentopname {series.retrieved_on:%d-%m-%Y})."
        )
        if opts["no_recompute"]:
            return
        for municipality_id in Municipality.objects.order_by("pk").values_list("pk", flat=True):
            indicator_values_fill(
                municipality_id=municipality_id, codes=list(NATIONAL_SERIES_INDICATORS)
            )
        self.stdout.write("Indicatoren op landelijke reeksen herberekend.")
