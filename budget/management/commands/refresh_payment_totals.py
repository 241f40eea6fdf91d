"""``manage.py refresh_payment_totals [--year YYYY]``: sum the payment records into the stored
besteding per month and regime (what beat does every few minutes and nightly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from budget.services import payment_totals_refresh_all


class Command(BaseCommand):
    help = "Tel de betalingen op tot de besteding per maand en regeling (alle jaren, of één)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, **opts) -> None:
        rows = payment_totals_refresh_all(year=opts["year"])
        self.stdout.write(f"{rows} maandtotalen bijgewerkt.")
