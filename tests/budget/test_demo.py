"""The demo's BUIG budgets (budget/demo.py, ``manage.py seed_demo_budget``; issue 16, point 9)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from budget import demo, services
from budget.models import BudgetAllocation
from budget.selectors import budget_overview, vangnet_for_forecast
from caseload import models as m
from caseload.demo import generate_demo
from common import clock

pytestmark = pytest.mark.django_db


def test_demo_budgets_follow_the_dates_and_are_written_once(municipality, finance, payments):
    """The demo budget moments are written once their date has passed, and only for a year
    without a budget (moved from tests/budget/test_services.py with budget/demo.py)."""
    early = demo.demo_budget_allocations_load(
        municipality=municipality, by=finance, today=dt.date(2026, 6, 1)
    )
    assert early == 2  # voorlopig (October 2025) and nader voorlopig (May 2026); no definitief yet
    assert (
        demo.demo_budget_allocations_load(
            municipality=municipality, by=finance, today=dt.date(2026, 11, 22)
        )
        == 0
    )  # the year already has a budget: nothing is overwritten
    moments = {
        a.moment: a.amount
        for a in BudgetAllocation.objects.filter(budget_year__municipality=municipality)
    }
    # 3 months paid (9,302.25) -> run rate 37,000 -> 96% for 2026 -> x1.03 / x0.99, in thousands
    assert moments == {"voorlopig": Decimal("37000"), "nader_voorlopig": Decimal("35000")}


def test_demo_budgets_are_no_longer_in_the_services():
    """Issue 16, point 9: the demo's budgets live in budget/demo.py, not among the services."""
    assert not hasattr(services, "demo_budget_allocations_load")
    assert not hasattr(services, "_DEMO_BUDGET_SHARE")


def test_seed_demo_budget_writes_through_budget_demo(settings, municipality, finance, payments):
    """``manage.py seed_demo_budget`` (bin/entrypoint setup in demo mode) loads the budgets
    through budget/demo.py: all three moments of 2026 once their dates have passed."""
    settings.DEMO_MODE = True
    out = io.StringIO()
    with clock.frozen(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)):
        call_command("seed_demo_budget", stdout=out)
    assert out.getvalue().splitlines()[0] == "3 budgettoekenningen vastgelegd."
    assert BudgetAllocation.objects.filter(budget_year__municipality=municipality).count() == 3


def test_the_demo_shows_one_vangnet_case(settings):
    """The recomputation of 3 December: every demo municipality's 2023 tekort was 7.46-7.48 %
    of its budget, just under the vangnet's entry threshold of 7.5 %, so the finance journey
    never met a vangnetuitkering. 2023 is now the vangnet-eligible year of the demo."""
    today = dt.date(2026, 11, 22)
    generate_demo(households=150, seed=11, today=today, years=4)
    settings.DEMO_MODE = True
    with clock.frozen(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)):
        call_command("refresh_payment_totals", stdout=io.StringIO())
        call_command("seed_demo_budget", stdout=io.StringIO())
        finance = m.User.objects.get(username="financien")
        municipality = m.Municipality.objects.get()
        results = {}
        for year in (2022, 2023, 2024):
            overview = budget_overview(user=finance, municipality=municipality, year=year)
            results[year], _note = vangnet_for_forecast(
                user=finance, municipality=municipality, overview=overview
            )
    assert results[2023] is not None and results[2023].eligible
    assert results[2023].compensation > 0
    assert not results[2022].eligible and not results[2024].eligible
