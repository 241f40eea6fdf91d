"""Finance pages (issue 15): the vangnet simulator is pre-filled with the selected year's own
figures, each with its source; the overview shows the overschot/tekort line in words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import selectors, services
from budget.models import BudgetAllocation
from common import clock

pytestmark = pytest.mark.django_db


def _allocate(municipality, finance, year, amount, moment=BudgetAllocation.Moment.DEFINITIEF):
    services.budget_allocation_record(
        municipality=municipality,
        year=year,
        moment=moment,
        decided_on=dt.date(year, 10, 1) if moment == "definitief" else dt.date(year - 1, 10, 1),
        amount=Decimal(amount),
        by=finance,
    )


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert match, name
    return match.group(1)


def test_finding_simulator_is_prefilled_with_the_years_own_figures(
    client, municipality, finance, payments
):
    """Issue 15: the vangnet simulator opens with the selected year's budget, netto lasten and
    the tekort of T-2 and T-1 from the stored data (the old form opened empty, with 0 for the
    earlier years), and says where each figure comes from."""
    _allocate(municipality, finance, 2026, "40000.00", BudgetAllocation.Moment.VOORLOPIG)
    _allocate(municipality, finance, 2025, "1000.00")  # no payments in 2025: tekort -1.000
    client.force_login(finance)
    page = client.get(reverse("budget:vangnet"), {"jaar": 2026, "gemeente": municipality.pk})
    page = page.content.decode()
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.forecast_run_rate == Decimal("37209.00")
    assert _value(page, "year") == "2026"
    assert _value(page, "budget") == "40.000,00"
    assert _value(page, "netto_lasten") == "37.209,00"
    assert _value(page, "deficit_t_minus_1") == "-1.000,00"
    assert _value(page, "deficit_t_minus_2") == "0,00"
    assert (
        "Nog geen definitief budget: het huidige budget (Voorlopig budget van 01-10-2025)" in page
    )
    assert "uitgavenritme (3 maanden)" in page
    assert "Netto lasten 2025 € 0,00 min definitief budget € 1.000,00" in page
    assert "Geen definitief budget 2024 vastgelegd: als 0 gerekend." in page
    # the pre-filled form computes what the report and the page compute
    response = client.post(
        reverse("budget:vangnet") + f"?jaar=2026&gemeente={municipality.pk}",
        {
            "year": "2026",
            "budget": "40.000,00",
            "netto_lasten": "37.209,00",
            "deficit_t_minus_2": "0,00",
            "deficit_t_minus_1": "-1.000,00",
        },
    )
    assert response.status_code == 200
    assert "Tekort 2026 = netto lasten € 37.209,00" in response.content.decode()


def test_simulator_of_a_closed_year_uses_the_realised_netto_lasten(municipality, finance, payments):
    """A year with all twelve months paid: the netto lasten are the realised ones."""
    from budget.services import payment_totals_refresh
    from caseload.models import BenefitPayment

    benefit = payments[0].benefit
    for month in range(4, 13):
        BenefitPayment.objects.create(
            benefit=benefit, month=dt.date(2026, month, 1), amount_paid=Decimal("100.00")
        )
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    _allocate(municipality, finance, 2026, "20000.00")
    with clock.frozen(dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)):  # the year is over
        inputs = selectors.vangnet_inputs(user=finance, municipality=municipality, year=2026)
    assert inputs.netto_lasten == Decimal("9302.25") + Decimal("900.00")
    assert "Gerealiseerde netto lasten 2026" in inputs.netto_lasten_source
    assert inputs.budget == Decimal("20000.00")
    assert inputs.budget_source.startswith("Definitief budget 2026")


def test_finding_overview_shows_the_overschot_or_tekort_in_words(
    client, municipality, finance, payments
):
    """Issue 15: the overview shows budget minus netto lasten, realised (budget pro rata over
    the months paid) and forecast, naming the sign: overschot or tekort."""
    _allocate(municipality, finance, 2026, "40000.00")
    client.force_login(finance)
    page = client.get(reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk})
    page = page.content.decode()
    assert "Een positief bedrag is een overschot" in page
    # realised: 40.000 x 3/12 = 10.000 - 9.302,25 = 697,75; forecast 40.000 - 37.209 = 2.791
    assert "Overschot € 697,75" in page
    assert "budget naar rato van 3 maanden € 10.000,00 min netto lasten € 9.302,25" in page
    assert "Overschot € 2.791,00" in page


def test_overview_names_a_tekort(client, municipality, finance, payments):
    _allocate(municipality, finance, 2026, "30000.00")
    client.force_login(finance)
    page = client.get(reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk})
    page = page.content.decode()
    # realised 7.500 - 9.302,25; forecast 30.000 - 37.209
    assert "Tekort € 1.802,25" in page
    assert "Tekort € 7.209,00" in page


def test_a_closed_years_vangnet_rests_on_realised_figures(client, municipality, finance, payments):
    """The walk of 3 December: the vangnet page of 2023 said "Op basis van de huidige
    prognose" for a year whose figures are all realised."""
    client.force_login(finance)
    closed = client.get(reverse("budget:vangnet"), {"jaar": 2025, "gemeente": municipality.pk})
    assert "Op basis van de gerealiseerde cijfers" in closed.content.decode()
    assert "Op basis van de huidige prognose" not in closed.content.decode()
    running = client.get(reverse("budget:vangnet"), {"jaar": 2026, "gemeente": municipality.pk})
    assert "Op basis van de huidige prognose" in running.content.decode()


def test_an_overschot_is_named_an_overschot_on_the_vangnet_page():
    """The second walk of 3 December: the vangnet page of 2025 read "Tekort -€ 1.034.204,02
    (-3,12%)"."""
    from django.template.loader import render_to_string

    from budget.calculations import VangnetResult

    fields = dict.fromkeys(VangnetResult.__dataclass_fields__)
    result = VangnetResult(
        **{
            **fields,
            "deficit": Decimal("-1034204.02"),
            "share": Decimal("-0.0312"),
            "eligible": False,
            "compensation": Decimal(0),
            "own_risk": Decimal(0),
            "steps": [],
        }
    )
    html = render_to_string("budget/_vangnet_result.html", {"result": result})
    assert "Overschot" in html and "1.034.204,02" in html and "-€" not in html
    assert "Tekort" not in html
