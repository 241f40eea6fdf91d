"""``manage.py seed_demo``: load the synthetic demo municipalities of the four policy seeds
(Hilversum, Groningen, 's-Hertogenbosch, Amersfoort) in one region, with their demo logins and the
regional login (issue 17).

Examples::

    python manage.py seed_demo --households 2200 --seed 42
    python manage.py seed_demo --if-empty          # what ``make run`` uses: keeps existing data
    python manage.py seed_demo --replace           # wipe the caseload data and load again
    python manage.py seed_demo --municipality GM0402 --households 300   # Hilversum alone, small

``--households`` is Hilversum's open caseload (the reference, 2,200); the others are sized after
their seeds in proportion to it (``caseload.demo.parameters``: the larger ones at ``DEMO_SCALE``).
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
    PROFILES,
    clear_demo_data,
    demo_logins,
    generate_region,
    has_demo_data,
)
from common import clock


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum {value!r}; gebruik JJJJ-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "Vul de database met de fictieve demogemeenten van de vier beleidsstukken (Hilversum, "
        "Groningen, 's-Hertogenbosch, Amersfoort) in een regio, met caseload."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households",
            type=int,
            default=2200,
            help=(
                "Aantal huishoudens met een lopende uitkering in Hilversum op de peildatum "
                "(standaard 2200); de andere gemeenten naar verhouding, naar hun beleidsstuk."
            ),
        )
        parser.add_argument(
            "--municipality",
            action="append",
            choices=[p.cbs_code for p in PROFILES],
            help="Alleen deze gemeente(n) laden (CBS-code; herhaalbaar). Standaard alle vier.",
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
                "het basisjaar van het beleidsstuk van elke gemeente)."
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
        # without --years each municipality's history starts in its seed's base year, so every
        # year of its dashboard has demo data (issues 15, 17)
        years: int | None = options["years"]
        if households < 1:
            raise CommandError("--households moet minstens 1 zijn.")
        if years is not None and years < 1:
            raise CommandError("--years moet minstens 1 zijn.")
        codes = options["municipality"] or [p.cbs_code for p in PROFILES]
        profiles = [p for p in PROFILES if p.cbs_code in codes]

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
        total = sum(p.households_for(households) for p in profiles)
        self.stdout.write(
            f"{len(profiles)} gemeente(n), {total} huishoudens in de caseload op "
            f"{today:%d-%m-%Y}, seed {options['seed']}."
        )
        with transaction.atomic():
            if options["replace"]:
                clear_demo_data()
                self.stdout.write("Bestaande gegevens verwijderd.")
            per_municipality = generate_region(
                today=today,
                seed=options["seed"],
                reference_households=households,
                profiles=profiles,
                years=years,
                password=options["password"],
                stdout=self.stdout,
            )
        elapsed = time.monotonic() - started
        counts: dict[str, int] = {}
        for rows in per_municipality.values():
            for name, count in rows.items():
                counts[name] = counts.get(name, 0) + count

        self.stdout.write("")
        self.stdout.write("Aangemaakte rijen (alle gemeenten samen):")
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>10,}".replace(",", "."))
        self.stdout.write(f"Klaar in {elapsed:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"Demo-inloggegevens (wachtwoord: {options['password']}):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<24} {role}")
