"""Demo only: the BUIG budgets of the demo municipality, derived from each year's spending.

``manage.py seed_demo_budget`` calls this after ``seed_demo`` and ``refresh_payment_totals``
(``bin/entrypoint setup`` in demo mode). It lives in ``budget`` and writes through
``budget.services``: the demo generator (``caseload.demo``) may not import ``budget``
(docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from caseload.models import Municipality, User

from .models import BudgetAllocation, PaymentMonthTotal
from .services import budget_allocation_record

# The definitief budget as a share of the year's spending, so the demo shows surpluses, small
# deficits and one vangnet-eligible run (DOMAIN.md section 3). Indexed by year.
_DEMO_BUDGET_SHARE = [
    Decimal("1.02"), Decimal("0.97"), Decimal("0.95"), Decimal("0.91"), Decimal("0.98"),
    Decimal("1.01"), Decimal("0.96"), Decimal("0.93"), Decimal("0.99"), Decimal("0.97"),
]  # fmt: skip


def _thousands(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1E3")).quantize(Decimal("0.01"))


def demo_budget_allocations_load(*, municipality: Municipality, by: User, today: dt.date) -> int:
    """Demo only: give every year with stored payment totals and no allocation yet the three
    budget moments (voorlopig October T-1, nader voorlopig May T, definitief October T, each
    only once its date has passed), derived from that year's spending. Returns the number of
    allocations written; a second run writes none."""
    totals: dict[int, Decimal] = {}
    months: dict[int, int] = {}
    for row in PaymentMonthTotal.objects.filter(municipality=municipality, regime=""):
        totals[row.month.year] = totals.get(row.month.year, Decimal("0")) + row.amount_paid
        months[row.month.year] = months.get(row.month.year, 0) + 1
    done = set(
        BudgetAllocation.objects.filter(budget_year__municipality=municipality).values_list(
            "budget_year__year", flat=True
        )
    )
    written = 0
    for year, total in sorted(totals.items()):
        if year in done:
            continue
        spending = _thousands(total * 12 / months[year])  # the year's run rate
        final = spending * _DEMO_BUDGET_SHARE[year % len(_DEMO_BUDGET_SHARE)]
        moments = [
            (BudgetAllocation.Moment.VOORLOPIG, dt.date(year - 1, 10, 1), final * Decimal("1.03")),
            (
                BudgetAllocation.Moment.NADER_VOORLOPIG,
                dt.date(year, 5, 15),
                final * Decimal("0.99"),
            ),
            (BudgetAllocation.Moment.DEFINITIEF, dt.date(year, 10, 1), final),
        ]
        for moment, decided_on, amount in moments:
            if decided_on > today:
                continue
            amount = _thousands(amount)
            budget_allocation_record(
                municipality=municipality,
                year=year,
                moment=moment,
                decided_on=decided_on,
                amount=amount,
                loonkostensubsidie=_thousands(amount * Decimal("0.04")),
                by=by,
            )
            written += 1
    return written
