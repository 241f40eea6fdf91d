"""``manage.py seed_demo_budget``: demo mode only; the BUIG budget moments of every demo year
that has payments and no budget yet (what ``make run`` does after loading the demo)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from budget.demo import demo_budget_allocations_load, demo_ledger_load
from caseload.models import Municipality, Role, User
from common import clock


class Command(BaseCommand):
    help = (
        "Demo: BUIG-budgetten (voorlopig, nader voorlopig, definitief) en het grootboek "
        "(baten, uitkeringslasten) voor de demojaren."
    )

    def handle(self, *args, **opts) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Alleen in demomodus (DEMO_MODE).")
        by = User.objects.filter(role=Role.FINANCE, is_active=True).order_by("pk").first()
        if by is None:
            raise CommandError("Er is geen financieel medewerker om de budgetten op te boeken.")
        written = sum(
            demo_budget_allocations_load(municipality=municipality, by=by, today=clock.today())
            for municipality in Municipality.objects.all()
        )
        self.stdout.write(f"{written} budgettoekenningen vastgelegd.")
        # the ledger: baten and the benefit costs booked (reconciliation), after the budgets
        lines = sum(
            demo_ledger_load(municipality=municipality, by=by, today=clock.today())
            for municipality in Municipality.objects.all()
        )
        self.stdout.write(f"{lines} grootboekregels vastgelegd.")
