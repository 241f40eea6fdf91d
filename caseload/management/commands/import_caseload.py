"""``manage.py import_caseload FILE --municipality GM0402 [--user beheerder] [--dry-run]``.

All or nothing: with any bad row nothing is written and every bad row is listed with its line.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caseload.importers import caseload_import
from caseload.models import Municipality, Role, User


class Command(BaseCommand):
    help = "Importeer inwoners, huishoudens en uitkeringen uit een CSV- of XLSX-bestand."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--municipality",
            metavar="CBS_CODE",
            help="Gemeente, bijv. GM0402 (verplicht als er meer dan één gemeente is).",
        )
        parser.add_argument(
            "--user",
            help="Gebruikersnaam die als uitvoerder wordt vastgelegd (standaard de "
            "eerste functioneel beheerder).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Alles controleren en terugdraaien."
        )

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"Bestand {file} bestaat niet.")
        municipality = self._municipality(options.get("municipality"))
        user = self._user(options.get("user"))

        def progress(phase: str, done: int, total: int) -> None:
            self.stderr.write(f"\r{phase}: {done}/{total}", ending="")

        result = caseload_import(
            content=file.read_bytes(),
            filename=file.name,
            municipality=municipality,
            by=user,
            progress=progress,
            dry_run=options["dry_run"],
        )
        self.stderr.write("")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} fout(en) in {result.total_rows} regels; niets ingelezen."
            )
        summary = ", ".join(f"{k}={v}" for k, v in result.counts.items())
        verb = "gecontroleerd (dry run, niets opgeslagen)" if options["dry_run"] else "ingelezen"
        self.stdout.write(f"{result.total_rows} regels {verb}: {summary}")

    def _municipality(self, code: str | None) -> Municipality:
        if code:
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                raise CommandError(f"Onbekende gemeente {code}.")
            return municipality
        municipalities = list(Municipality.objects.all()[:2])
        if len(municipalities) != 1:
            raise CommandError("Geef de gemeente met --municipality CBS_CODE.")
        return municipalities[0]

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
        else:
            user = (
                User.objects.filter(role=Role.BEHEER, is_active=True).order_by("id").first()
                or User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
            )
        if user is None:
            raise CommandError("Geen geldige gebruiker; geef er een met --user.")
        return user
