"""The demo's ledger (issue 15): baten (terugvordering, verhaal) and the benefit costs booked,
which mostly reconcile with the payments and differ in a few realistic places; its history
starts in 2019, the Hilversum plan's base year."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from budget import demo, selectors
from budget.models import LedgerImport, Receipt
from budget.services import payment_totals_refresh
from caseload.models import BenefitPayment, Municipality, MunicipalityYear
from common import clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def two_years(municipality, payments):
    """The conftest's 2026 payments (January-March) and October-December 2025 as well."""
    for payment in payments[::3]:
        for month in (10, 11, 12):
            BenefitPayment.objects.create(
                benefit=payment.benefit,
                month=dt.date(2025, month, 1),
                amount_paid=payment.amount_paid,
            )
    payment_totals_refresh(municipality_id=municipality.pk, year=2025)
    return payments


def test_finding_demo_has_baten_and_a_ledger_that_mostly_reconciles(
    municipality, finance, two_years
):
    """Issue 15: the demo has baten (terugvordering, verhaal) from a ledger imported through the
    ledger import, and benefit costs booked that reconcile with the payments except a few
    differences; the earlier year's differences are signed off, this year's stay open."""
    stored = demo.demo_ledger_load(municipality=municipality, by=finance, today=TODAY)
    assert stored == Receipt.objects.filter(municipality=municipality).count() > 0
    imports = LedgerImport.objects.filter(municipality=municipality)
    assert sorted(i.original_name for i in imports) == [
        "demo-grootboek-2025.csv",
        "demo-grootboek-2026.csv",
    ]
    assert {i.status for i in imports} == {LedgerImport.Status.SUCCEEDED}
    kinds = set(Receipt.objects.values_list("kind", flat=True))
    assert {"terugvordering", "verhaal", "uitkering"} <= kinds
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.figures.baten > 0
    for year, open_status in ((2025, "afgetekend"), (2026, "verschil")):
        rows = selectors.reconciliation(user=finance, municipality=municipality, year=year)
        statuses = [r.status for r in rows]
        assert 1 <= len([s for s in statuses if s != "aangesloten"]) <= 3, statuses
        assert open_status in statuses
        assert not [r for r in rows if abs(r.difference) > Decimal("1000")]
    # a second run stores nothing
    assert demo.demo_ledger_load(municipality=municipality, by=finance, today=TODAY) == 0


def test_seed_demo_budget_loads_the_ledger(settings, municipality, finance, payments):
    settings.DEMO_MODE = True
    out = io.StringIO()
    with clock.frozen(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)):
        call_command("seed_demo_budget", stdout=out)
    assert "grootboekregels vastgelegd." in out.getvalue()
    assert Receipt.objects.filter(kind="terugvordering").exists()


def test_finding_demo_history_starts_in_2019(settings):
    """Issue 15: ``manage.py seed_demo`` without ``--years`` starts the history on 1 January
    2019, the Hilversum plan's base year, so no year of the dashboard lacks demo data."""
    out = io.StringIO()
    call_command(
        "seed_demo",
        "--households",
        "40",
        "--today",
        "2026-12-02",
        "--force",
        "--municipality",
        "GM0402",
        stdout=out,
    )
    assert "historie vanaf 1-1-2019" in out.getvalue()
    municipality = Municipality.objects.get(cbs_code="GM0402")
    years = set(
        MunicipalityYear.objects.filter(municipality=municipality).values_list("year", flat=True)
    )
    assert years == set(range(2019, 2027))
    paid = {
        d.year
        for d in BenefitPayment.objects.filter(
            benefit__household__municipality=municipality
        ).values_list("month", flat=True)
    }
    assert paid == set(range(2019, 2027))


def test_each_municipality_gets_its_own_ledger_differences():
    """The recomputation of 3 December: the four demo municipalities had the same ledger
    differences (the same amount in the same month), drawn from the year alone."""
    totals = {(dt.date(2025, m, 1), "pw"): Decimal(100_000 + 1_000 * m) for m in range(1, 13)}
    rows = {
        code: demo.demo_ledger_rows(totals=totals, year=2025, salt=code)
        for code in ("GM0402", "GM0014", "GM0796", "GM0307")
    }
    assert len({tuple(r) for r in rows.values()}) == 4
    assert demo.demo_ledger_rows(totals=totals, year=2025, salt="GM0402") == rows["GM0402"]
