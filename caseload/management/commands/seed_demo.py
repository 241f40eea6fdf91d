"""``manage.py seed_demo``: load the synthetic demo municipality "Hilversum (demo)".

Examples::

    python manage.py seed_demo --households 2200 --seed 42
    python manage.py seed_demo --if-empty          # what ``make run`` uses: keeps existing data
    python manage.py seed_demo --replace           # wipe the caseload data and load again
"""

from __future__ import annotations

import os
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from caseload.demo import (
    DEFAULT_PASSWORD,
    MUNICIPALITY_NAME,
    clear_demo_data,
    demo_logins,
    generate_demo,
    has_demo_data,
)
from caseload.demo.parameters import HISTORY_START_YEAR
from common import clock


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum {value!r}; gebruik JJJJ-MM-DD.") from exc


class Command(BaseCommand):
    help = "Vul de database met een fictieve demogemeente (Hilversum (demo)) met caseload."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households",
            type=int,
            default=2200,
            help="Aantal huishoudens met een lopende uitkering op de peildatum (standaard 2200).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Startwaarde toeval (42).")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Peildatum JJJJ-MM-DD (standaard vandaag).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=(
                "Jaren historie: vanaf 1 januari van peiljaar min dit aantal (standaard vanaf "
                f"{HISTORY_START_YEAR}, het basisjaar van het Hilversumse plan)."
            ),
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD,
            help="Wachtwoord van alle demo-gebruikers (standaard $DEMO_PASSWORD of het demo-wachtwoord).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Niets doen als er al een gemeente bestaat.",
        )
        mode.add_argument(
            "--replace",
            action="store_true",
            help="Bestaande caseloadgegevens en niet-superuser-medewerkers eerst verwijderen.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook uitvoeren als DEMO_MODE uit staat (bijvoorbeeld tegen een testdatabase).",
        )

    def handle(self, *args, **options) -> None:
        if not getattr(settings, "DEMO_MODE", False) and not options["force"]:
            raise CommandError(
                "DEMO_MODE staat uit: demogegevens horen niet in deze omgeving. "
                "Zet DEMO_MODE=true of gebruik --force."
            )
        households: int = options["households"]
        today: date = options["today"] or clock.today()
        # the history starts in the Hilversum plan's base year, so every year of the dashboard
        # has demo data (issue 15)
        years: int = options["years"] or max(1, today.year - HISTORY_START_YEAR)
        if households < 1:
            raise CommandError("--households moet minstens 1 zijn.")
        if years < 1:
            raise CommandError("--years moet minstens 1 zijn.")

        if has_demo_data():
            if options["if_empty"]:
                self.stdout.write("Er staan al gegevens in de database; seed_demo doet niets.")
                return
            if not options["replace"]:
                raise CommandError(
                    "Er staan al gegevens in de database. Gebruik --replace om ze te vervangen "
                    "of --if-empty om niets te doen."
                )

        started = time.monotonic()
        self.stdout.write(
            f"{MUNICIPALITY_NAME}: {households} huishoudens in de caseload op {today:%d-%m-%Y}, "
            f"historie vanaf 1-1-{today.year - years}, seed {options['seed']}."
        )
        with transaction.atomic():
            if options["replace"]:
                clear_demo_data()
                self.stdout.write("Bestaande gegevens verwijderd.")
            counts = generate_demo(
                households=households,
                seed=options["seed"],
                today=today,
                years=years,
                password=options["password"],
                stdout=self.stdout,
            )
        elapsed = time.monotonic() - started

        self.stdout.write("")
        self.stdout.write("Aangemaakte rijen:")
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>10,}".replace(",", "."))
        self.stdout.write(f"Klaar in {elapsed:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"Demo-inloggegevens (wachtwoord: {options['password']}):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<12} {role}")
