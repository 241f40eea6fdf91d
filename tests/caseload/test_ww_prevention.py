"""Issue 17: the consulent records prevention at the end of the WW from the dossier: the melding
(an application with preventieroute ``ww_coaching``) and, once the guidance ends, its outcome;
bad input comes back with the Dutch message and what was typed. The page is a dossier page
(own team only; roles without dossier access are refused)."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload.models import Application
from common import clock
from privacy.models import ProcessingRecord
from tests import factories

pytestmark = pytest.mark.django_db


def _url(resident) -> str:
    return f"/caseload/inwoners/{resident.pk}/preventie-ww/"


def _iso(day: dt.date) -> str:
    return day.isoformat()


def test_the_dossier_links_to_the_page_and_it_lists_the_meldingen(client, consulent, resident):
    client.force_login(consulent)
    dossier = client.get(f"/caseload/inwoners/{resident.pk}/").content.decode()
    assert _url(resident) in dossier
    factories.ApplicationFactory(resident=resident)  # an ordinary application: not listed
    response = client.get(_url(resident))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preventie einde WW" in body and "Nog geen melding vastgelegd." in body
    assert "Uitkomst van de begeleiding vastleggen" not in body  # nothing running yet
    assert f'href="/caseload/inwoners/{resident.pk}/"' in body  # the way back


def test_a_melding_and_its_outcome_are_recorded(client, consulent, resident):
    client.force_login(consulent)
    today = clock.today()
    start = today - dt.timedelta(days=60)
    response = client.post(
        _url(resident),
        {"actie": "melding", "melding-received_on": _iso(start), "melding-risk_profile": "normaal"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/caseload/inwoners/{resident.pk}/"
    melding = Application.objects.get(resident=resident)
    assert (melding.prevention_route, melding.outcome, melding.received_on) == (
        Application.PreventionRoute.WW_COACHING,
        Application.Outcome.PENDING,
        start,
    )
    assert melding.regime == "pw"
    page = client.get(_url(resident)).content.decode()
    assert "Uitkomst van de begeleiding vastleggen" in page
    assert f"Melding van {start.day}-{start.month}-{start.year}" in page

    response = client.post(
        _url(resident),
        {
            "actie": "uitkomst",
            "uitkomst-application": melding.pk,
            "uitkomst-outcome": "voorkomen",
            "uitkomst-decided_on": _iso(today),
        },
    )
    assert response.status_code == 302
    melding.refresh_from_db()
    assert (melding.outcome, melding.decided_on, melding.benefit_id) == ("voorkomen", today, None)
    dossier = client.get(f"/caseload/inwoners/{resident.pk}/").content.decode()
    assert "Melding: begeleiding einde WW (met UWV)" in dossier
    # the processing log names each request (the two writes and the read between them)
    assert ProcessingRecord.objects.filter(route="caseload:ww_prevention").count() == 3


def test_bad_input_comes_back_with_the_dutch_message_and_what_was_typed(
    client, consulent, resident
):
    client.force_login(consulent)
    today = clock.today()
    future = today + dt.timedelta(days=3)
    response = client.post(
        _url(resident),
        {
            "actie": "melding",
            "melding-received_on": _iso(future),
            "melding-risk_profile": "verhoogd",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "De datum van de melding" in body
    assert f'value="{_iso(future)}"' in body
    assert '<option value="verhoogd" selected>' in body
    assert not Application.objects.filter(resident=resident).exists()

    start = today - dt.timedelta(days=10)
    melding = factories.ApplicationFactory(
        resident=resident, received_on=start, prevention_route="ww_coaching"
    )
    before = start - dt.timedelta(days=1)
    response = client.post(
        _url(resident),
        {
            "actie": "uitkomst",
            "uitkomst-application": melding.pk,
            "uitkomst-outcome": "ingetrokken",
            "uitkomst-decided_on": _iso(before),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "De besluitdatum ligt voor de datum van de melding." in body
    assert f'value="{_iso(before)}"' in body
    assert '<option value="ingetrokken" selected>' in body
    # a start date of a benefit belongs to a grant only
    response = client.post(
        _url(resident),
        {
            "actie": "uitkomst",
            "uitkomst-application": melding.pk,
            "uitkomst-outcome": "voorkomen",
            "uitkomst-decided_on": _iso(today),
            "uitkomst-benefit_start": _iso(today),
        },
    )
    assert response.status_code == 422
    assert "alleen in bij de uitkomst toegekend" in response.content.decode()
    melding.refresh_from_db()
    assert melding.outcome == Application.Outcome.PENDING


def test_the_outcome_form_reaches_only_this_residents_running_meldingen(
    client, consulent, resident, team
):
    client.force_login(consulent)
    today = clock.today()
    neighbour = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    theirs = factories.ApplicationFactory(
        resident=neighbour, received_on=today, prevention_route="ww_coaching"
    )
    ordinary = factories.ApplicationFactory(resident=resident, received_on=today)
    for other in (theirs, ordinary):
        response = client.post(
            _url(resident),
            {
                "actie": "uitkomst",
                "uitkomst-application": other.pk,
                "uitkomst-outcome": "voorkomen",
                "uitkomst-decided_on": _iso(today),
            },
        )
        assert response.status_code == 422
        other.refresh_from_db()
        assert other.outcome == Application.Outcome.PENDING


def test_roles_without_dossier_access_and_other_teams_are_refused(client, resident):
    client.force_login(factories.UserFactory(manager=True))
    assert client.get(_url(resident)).status_code == 403
    client.force_login(factories.UserFactory())  # a consulent of another team
    assert client.get(_url(resident)).status_code == 404


def test_an_outcome_recorded_on_the_page_counts_in_the_indicator(client, consulent, resident):
    """prevention.ww_no_application (the seed's "50 % dient geen aanvraag in"): a guidance that
    ended as 'voorkomen' counts once its 6 months are over, one that was withdrawn does not."""
    from indicators.fill import indicator_values_fill
    from indicators.models import IndicatorValue

    client.force_login(consulent)
    other = factories.ResidentFactory(
        team=resident.team, consulent=consulent, household__municipality=resident.municipality
    )
    for who, outcome in ((resident, "voorkomen"), (other, "ingetrokken")):
        client.post(
            _url(who),
            {
                "actie": "melding",
                "melding-received_on": "2025-01-10",
                "melding-risk_profile": "normaal",
            },
        )
        melding = Application.objects.get(resident=who)
        response = client.post(
            _url(who),
            {
                "actie": "uitkomst",
                "uitkomst-application": melding.pk,
                "uitkomst-outcome": outcome,
                "uitkomst-decided_on": "2025-03-01",
            },
        )
        assert response.status_code == 302
    code = "prevention.ww_no_application"
    indicator_values_fill(
        municipality_id=resident.municipality_id, codes=[code], year=2025, today=clock.today()
    )
    row = IndicatorValue.objects.get(
        municipality_id=resident.municipality_id,
        code=code,
        period_kind="year",
        period_start=dt.date(2025, 1, 1),
        dimension="",
    )
    assert (row.numerator, row.denominator) == (1, 2)  # windows end on 1 September 2025


def test_the_outcome_form_reports_every_error_at_once(client, consulent, resident):
    """The walk of 3 December: forms reported one error per submit. A closing date before the
    melding and a benefit start with an outcome that is no grant are both reported at once."""
    client.force_login(consulent)
    start = clock.today() - dt.timedelta(days=10)
    melding = factories.ApplicationFactory(
        resident=resident, received_on=start, prevention_route="ww_coaching"
    )
    response = client.post(
        _url(resident),
        {
            "actie": "uitkomst",
            "uitkomst-application": melding.pk,
            "uitkomst-outcome": "voorkomen",
            "uitkomst-decided_on": _iso(start - dt.timedelta(days=1)),
            "uitkomst-benefit_start": _iso(start),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "De besluitdatum ligt voor de datum van de melding." in body
    assert "alleen in bij de uitkomst toegekend" in body
    melding.refresh_from_db()
    assert melding.outcome == Application.Outcome.PENDING
