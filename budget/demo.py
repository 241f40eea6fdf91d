"""Demo only: the BUIG budgets of the demo municipality, derived from each year's spending.

``manage.py seed_demo_budget`` calls this after ``seed_demo`` and ``refresh_payment_totals``
(``bin/entrypoint setup`` in demo mode). It lives in ``budget`` and writes through
``budget.services``: the demo generator (``caseload.demo``) may not import ``budget``
(docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from caseload.models import Municipality, Regime, User

from .models import BudgetAllocation, LedgerImport, PaymentMonthTotal
from .selectors import reconciliation
from .services import (
    budget_allocation_record,
    ledger_import_run,
    ledger_import_start,
    reconciliation_sign,
)

# The definitief budget as a share of the year's spending, so the demo shows surpluses, small
# deficits and one vangnet-eligible run (DOMAIN.md section 3): the deficits of 2021-2023 end in
# a 2023 with a tekort of about 10 % of the budget and the three years above 7.5 %, so 2023 gets
# a vangnetuitkering. Indexed by year. (With 0.91 for 2023 the baten left its tekort at 7.47 %,
# just under the entry threshold: the demo showed no vangnet case at all, recomputation of
# 3 December.)
_DEMO_BUDGET_SHARE = [
    Decimal("1.02"), Decimal("0.97"), Decimal("0.95"), Decimal("0.89"), Decimal("0.98"),
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


# The demo's ledger: baten and the benefit costs booked -----------------------------------------

#: baten per regime as a share of the month's besteding: (terugvordering, verhaal)
_DEMO_BATEN_SHARE = {
    Regime.ALGEMENE_BIJSTAND: (Decimal("0.018"), Decimal("0.004")),
    Regime.IOAW: (Decimal("0.010"), Decimal("0")),
    Regime.IOAZ: (Decimal("0.008"), Decimal("0")),
    Regime.BBZ_STARTER: (Decimal("0.025"), Decimal("0")),
    Regime.LOONKOSTENSUBSIDIE: (Decimal("0"), Decimal("0")),
}
_CENT = Decimal("0.01")


def _ledger_name(year: int) -> str:
    return f"demo-grootboek-{year}.csv"


def demo_ledger_rows(
    *, totals: dict[tuple[dt.date, str], Decimal], year: int, salt: str = ""
) -> list[str]:
    """The ledger lines of one demo year (``boekingskenmerk;regeling;maand;soort;bedrag``): per
    month and regime the benefit costs booked (``uitkering``) equal to the payments, except a
    few realistic differences (a part of a month's payments booked in the next month, a
    manual rectification), and the baten (terugvordering, verhaal) as a share of the
    besteding that varies by month. Deterministic per year and ``salt`` (the municipality's
    CBS code: the municipalities of the demo region had the same differences in the same
    months, recomputation of 3 December)."""
    rng = random.Random(f"{salt}-{year}" if salt else year)
    booked = dict(totals)
    keys = sorted(k for k in booked if k[1] == Regime.ALGEMENE_BIJSTAND)
    if len(keys) >= 3:
        # timing: 0,6% of one month's payments booked in the next month
        month, regime = keys[rng.randrange(len(keys) - 1)]
        next_key = next((k for k in keys if k[0] > month), None)
        if next_key is not None:
            shift = (booked[(month, regime)] * Decimal("0.006")).quantize(_CENT)
            booked[(month, regime)] -= shift
            booked[next_key] += shift
        # a rectification booked on the benefit costs but not (yet) in the payments feed
        month, regime = keys[rng.randrange(len(keys))]
        booked[(month, regime)] += Decimal(rng.choice(["245.60", "318.00", "512.35"]))
    lines = []
    for number, ((month, regime), amount) in enumerate(sorted(booked.items()), start=1):
        label = f"{month:%Y-%m}"
        if amount > 0:
            lines.append(f"DEMO-{year}-U{number:04d};{regime};{label};uitkering;{amount}")
        recovery, verhaal = _DEMO_BATEN_SHARE.get(regime, (Decimal("0"), Decimal("0")))
        paid = totals.get((month, regime), Decimal("0"))
        factor = Decimal(rng.randint(70, 130)) / 100
        for code, kind, share in (("T", "terugvordering", recovery), ("V", "verhaal", verhaal)):
            value = (paid * share * factor).quantize(_CENT)
            if value > 0:
                lines.append(f"DEMO-{year}-{code}{number:04d};{regime};{label};{kind};{value}")
    return lines


def demo_ledger_load(*, municipality: Municipality, by: User, today: dt.date) -> int:
    """Demo only: for every year with payments and no demo ledger yet, import the year's ledger
    (baten and benefit costs booked, for the months that are over on ``today``) through the
    ledger import service, and sign off the
    differences of the years before ``today``'s with a note, so that the reconciliation page
    shows reconciled, signed-off and open months. Returns the number of ledger lines stored; a
    second run stores none."""
    totals: dict[int, dict[tuple[dt.date, str], Decimal]] = {}
    # only months that are over: a month's recoveries, verhaal and booked benefit costs are in
    # the ledger once it has ended, never for the running month (whose payments the caseload
    # demo already writes) nor a month after today
    for month, regime, amount in (
        PaymentMonthTotal.objects.filter(municipality=municipality, month__lt=today.replace(day=1))
        .exclude(regime="")
        .values_list("month", "regime", "amount_paid")
    ):
        totals.setdefault(month.year, {})[(month, regime)] = amount
    done = set(
        LedgerImport.objects.filter(
            municipality=municipality,
            original_name__in=[_ledger_name(y) for y in totals],
            status__in=["queued", "running", "succeeded"],
        ).values_list("original_name", flat=True)
    )
    stored = 0
    for year, year_totals in sorted(totals.items()):
        if _ledger_name(year) in done:
            continue
        content = "boekingskenmerk;regeling;maand;soort;bedrag\n" + "\n".join(
            demo_ledger_rows(totals=year_totals, year=year, salt=municipality.cbs_code)
        )
        item, created = ledger_import_start(
            municipality=municipality,
            filename=_ledger_name(year),
            content=content.encode(),
            by=by,
        )
        if created:
            ledger_import_run(import_id=item.pk)  # a worker that takes it later finds it done
        item.refresh_from_db()
        stored += item.accepted_rows
        if year < today.year:
            for row in reconciliation(user=by, municipality=municipality, year=year):
                if row.difference != 0:
                    reconciliation_sign(
                        municipality=municipality,
                        month=row.month,
                        regime=row.regime,
                        note="Demo: verschil verklaard (boeking in een andere maand of "
                        "handmatige correctie in de uitkeringsadministratie).",
                        by=by,
                    )
    return stored
