"""The business case's average cost per benefit per year (issue 15, one rule per figure): from the
plan (Hilversum: € 14.400 for 2019-2021), editable by functioneel beheer, its source shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import selectors, services
from caseload.demo.load import generate_demo
from caseload.models import Municipality, MunicipalityYear
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2026(municipality):
    return factories.MunicipalityYearFactory(
        municipality=municipality, year=2026, average_benefit_cost=Decimal("12000.00")
    )


def _url(municipality, year=2026):
    return f"{reverse('budget:business_case')}?jaar={year}&gemeente={municipality.pk}"


def test_finding_average_cost_is_editable_by_beheer_with_its_source(
    client, municipality, beheer, year_2026
):
    """Issue 15: beheer sets the year's average cost (a Dutch amount) and its source on the
    business-case page; the page shows both, and the realised business case uses the amount."""
    client.force_login(beheer)
    page = client.get(_url(municipality))
    assert b'name="cost-average_cost"' in page.content
    response = client.post(
        _url(municipality),
        {
            "action": "cost",
            "cost-average_cost": "14.400,00",
            "cost-source": "Plan van aanpak Hilversum 2019-2021",
        },
    )
    assert response.status_code == 302
    year_2026.refresh_from_db()
    assert year_2026.average_benefit_cost == Decimal("14400.00")
    assert year_2026.average_benefit_cost_source == "Plan van aanpak Hilversum 2019-2021"
    page = client.get(_url(municipality)).content.decode()
    assert "€ 14.400,00" in page
    assert "Bron: Plan van aanpak Hilversum 2019-2021." in page
    average = selectors.average_cost_get(user=beheer, municipality=municipality, year=2026)
    assert (average.amount, average.source) == (
        Decimal("14400.00"),
        year_2026.average_benefit_cost_source,
    )


def test_finance_sees_the_source_but_may_not_change_the_cost(
    client, municipality, finance, year_2026
):
    year_2026.average_benefit_cost_source = "Begroting 2026"
    year_2026.save(update_fields=["average_benefit_cost_source"])
    client.force_login(finance)
    page = client.get(_url(municipality)).content.decode()
    assert "Bron: Begroting 2026." in page
    assert 'name="cost-average_cost"' not in page
    response = client.post(
        _url(municipality),
        {"action": "cost", "cost-average_cost": "1,00", "cost-source": "x"},
    )
    assert response.status_code == 403
    year_2026.refresh_from_db()
    assert year_2026.average_benefit_cost == Decimal("12000.00")
    with pytest.raises(DomainError):
        services.average_cost_set(
            municipality=municipality, year=2026, amount=Decimal("1"), source="x", by=finance
        )


def test_a_cost_without_source_comes_back_with_what_was_typed(
    client, municipality, beheer, year_2026
):
    client.force_login(beheer)
    response = client.post(
        _url(municipality),
        {"action": "cost", "cost-average_cost": "14.400", "cost-source": " "},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="14.400"' in page
    assert 'id="id_cost-source_error"' in page, page[page.find("cost-source") - 500 :][:1500]
    year_2026.refresh_from_db()
    assert year_2026.average_benefit_cost == Decimal("12000.00")


def test_a_year_without_figures_is_refused_in_dutch(municipality, beheer):
    with pytest.raises(DomainError) as exc:
        services.average_cost_set(
            municipality=municipality,
            year=2031,
            amount=Decimal("14400"),
            source="Plan",
            by=beheer,
        )
    assert exc.value.code == "no_year"


def test_demo_average_cost_is_the_plans_for_2019_to_2021():
    """The demo's years 2019-2021 carry the Hilversum plan's € 14.400 with the plan as source;
    other years the plan's figure indexed, saying so."""
    generate_demo(households=60, seed=3, today=dt.date(2026, 12, 2), years=7, password="x")
    municipality = Municipality.objects.get()
    years = {
        y.year: (y.average_benefit_cost, y.average_benefit_cost_source)
        for y in MunicipalityYear.objects.filter(municipality=municipality)
    }
    assert min(years) == 2019
    for year in (2019, 2020, 2021):
        assert years[year] == (Decimal("14400.00"), "Plan van aanpak Hilversum 2019-2021")
    assert years[2022][0] == Decimal("14760.00")
    assert "geïndexeerd" in years[2022][1]
