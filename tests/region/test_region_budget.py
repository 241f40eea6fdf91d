"""The regional BUIG overview (issue 17): per municipality the budget app's own figures (budget,
netto lasten, forecast, vangnet), and their sum; budget and vangnet stay per municipality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from budget import selectors as budget_selectors
from budget.calculations import fmt_eur
from budget.demo import demo_budget_allocations_load
from caseload import models as m
from caseload.demo import generate_region
from caseload.demo.parameters import DEN_BOSCH, HILVERSUM
from common import clock
from region import selectors

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def test_the_regional_buig_overview_sums_the_municipalities_own_figures(client):
    generate_region(
        today=TODAY, seed=3, reference_households=60, years=2, profiles=[HILVERSUM, DEN_BOSCH]
    )
    call_command("refresh_payment_totals", stdout=StringIO())
    finance = m.User.objects.get(username="financien")  # Hilversum's, in the demo region
    for municipality in m.Municipality.objects.all():
        demo_budget_allocations_load(municipality=municipality, by=finance, today=TODAY)
    region = m.Region.objects.get()
    year = 2025
    overview = selectors.region_budget(user=finance, region=region, year=year)
    assert [line.municipality.cbs_code for line in overview.lines] == ["GM0796", "GM0402"]
    for line in overview.lines:
        own = budget_selectors.budget_overview(
            user=finance, municipality=line.municipality, year=year
        )
        assert line.budget == budget_selectors.definitief_budget(own.allocations)
        assert line.netto == own.figures.netto and line.besteding == own.figures.besteding
        assert line.forecast == (
            own.forecast if own.forecast is not None else own.forecast_run_rate
        )
        assert line.balance == line.budget - line.forecast
    assert overview.budget == sum(line.budget for line in overview.lines)
    assert overview.netto == sum(line.netto for line in overview.lines)
    assert overview.forecast == sum(line.forecast for line in overview.lines)
    assert overview.balance == overview.budget - overview.forecast
    assert overview.compensation == sum(
        (line.vangnet.compensation for line in overview.lines if line.vangnet), Decimal(0)
    )
    assert overview.budget > 0

    client.force_login(finance)
    body = client.get(f"/regio/buig/?jaar={year}").content.decode()
    assert "Regio (demo) (som)" in body
    assert "'s-Hertogenbosch (demo)" in body.replace("&#x27;", "'")

    # the regional login (region.view_budget, not budget.view_budget) sees the same overview with
    # the exact sums, and still no budget page
    regio = m.User.objects.get(username="regio")
    assert not regio.has_perm("budget.view_budget")
    assert selectors.region_budget(user=regio, region=region, year=year) == overview
    client.force_login(regio)
    response = client.get(f"/regio/buig/?jaar={year}")
    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert "Regio (demo) (som)" in body
    for figure in (overview.budget, overview.besteding, overview.netto, overview.forecast):
        assert f">{fmt_eur(figure)}<" in body.replace("&nbsp;", " "), fmt_eur(figure)
    for line in overview.lines:
        assert f">{fmt_eur(line.netto)}<" in body.replace("&nbsp;", " ")
    assert "/budget/" not in body  # no link to a budget page
    for url in (
        "/budget/",
        "/budget/vangnet/",
        "/budget/businesscase/",
        "/budget/import/",
        "/budget/betalingen/",
        "/budget/aansluiting/",
        "/budget/rapporten/",
    ):
        assert client.get(url).status_code in (403, 404), url
    # a manager has the comparison, not the regional BUIG overview
    client.force_login(m.User.objects.get(username="manager"))
    assert client.get("/regio/buig/").status_code == 403
    assert client.get("/regio/vergelijking/").status_code == 200


def test_the_regional_overview_of_a_running_year_counts_the_months_that_are_over(client):
    """The budget fix of 3 December counted the months that are over as realised on the budget
    page (11 on 3 December), but the regional overview still summed every booked month, the
    running month's payments (paid in advance) included."""
    generate_region(today=TODAY, seed=3, reference_households=60, years=2, profiles=[HILVERSUM])
    call_command("refresh_payment_totals", stdout=StringIO())
    finance = m.User.objects.get(username="financien")
    municipality = m.Municipality.objects.get()
    with clock.frozen(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)):
        demo_budget_allocations_load(municipality=municipality, by=finance, today=TODAY)
        region = m.Region.objects.get()
        overview = selectors.region_budget(user=finance, region=region, year=2026)
        own = budget_selectors.budget_overview(user=finance, municipality=municipality, year=2026)
        (line,) = overview.lines
        assert own.months_realised == line.months_realised == overview.months_realised == 10
        assert own.figures.besteding_until(11) > own.figures.besteding_until(10)  # November paid
        assert line.besteding == own.figures.besteding_until(10)
        assert line.netto == own.realised_netto < own.figures.netto
        client.force_login(finance)
        body = client.get("/regio/buig/?jaar=2026").content.decode()
    assert "10 maanden gerealiseerd" in body
    assert f">{fmt_eur(line.netto)}<" in body.replace("&nbsp;", " ")


def test_the_regional_overview_says_when_municipalities_realised_different_months(client):
    """Code review of 3 December: with one municipality paid a month further than the other,
    the caption dropped its month note and the sum quietly added 10 months to 9; in January
    it read "de 0 maanden die voorbij zijn"."""
    generate_region(
        today=TODAY, seed=3, reference_households=60, years=2, profiles=[HILVERSUM, DEN_BOSCH]
    )
    hilversum = m.Municipality.objects.get(cbs_code=HILVERSUM.cbs_code)
    m.BenefitPayment.objects.filter(
        benefit__household__municipality=hilversum, month__gte=dt.date(2026, 10, 1)
    ).delete()
    call_command("refresh_payment_totals", stdout=StringIO())
    finance = m.User.objects.get(username="financien")
    client.force_login(finance)
    with clock.frozen(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)):
        overview = selectors.region_budget(user=finance, region=m.Region.objects.get(), year=2026)
        assert sorted(line.months_realised for line in overview.lines) == [9, 10]
        assert overview.months_realised is None
        body = client.get("/regio/buig/?jaar=2026").content.decode()
    assert "het aantal gerealiseerde maanden verschilt per gemeente" in body
    assert "(9 maanden gerealiseerd)" in body and "(10 maanden gerealiseerd)" in body
    with clock.frozen(dt.datetime(2026, 1, 20, 12, tzinfo=dt.UTC)):
        body = client.get("/regio/buig/?jaar=2026").content.decode()
    assert "nog geen maand gerealiseerd" in body and "0 maanden" not in body
