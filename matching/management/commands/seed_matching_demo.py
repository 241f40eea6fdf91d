"""``manage.py seed_matching_demo [--if-empty] [--seed 42]``: the matching demo (issue 18) for
every municipality present, after ``seed_demo`` (``matching/demo.py`` says what it makes and
from which hidden preferences)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.demo import has_matching_data, seed_region


class Command(BaseCommand):
    help = "Werkgevers, vacatures, profielen en plaatsingen voor de demo (na seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Startwaarde toeval (42).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Niets doen als er al profielen of werkgevers zijn.",
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
        if has_matching_data():
            if options["if_empty"]:
                self.stdout.write(
                    "Er zijn al profielen of werkgevers; seed_matching_demo doet niets."
                )
                return
            raise CommandError("Er zijn al profielen of werkgevers. Gebruik --if-empty.")
        started = time.monotonic()
        result = seed_region(seed=options["seed"])
        for name, counts in result.items():
            text = ", ".join(f"{k} {v}" for k, v in counts.items()) or "geen inwoners"
            self.stdout.write(f"{name}: {text}")
        self.stdout.write(f"Klaar in {time.monotonic() - started:.1f} s.")
