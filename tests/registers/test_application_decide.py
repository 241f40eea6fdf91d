"""Deciding an application in the browser ("Aanvraag beslissen", registers:application_decide):
the consulent decides a new resident's application from the dossier, a grant opens the benefit
and the outflow form then works; bad input comes back with what was typed (422); the page is a
dossier write page (own team only, ``caseload.change_dossier``, processing logged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from caseload.models import Application, Benefit, OutflowEvent
from common import clock
from privacy.models import ProcessingRecord
from tests import factories

pytestmark = pytest.mark.django_db


def _url(resident) -> str:
    return reverse("registers:application_decide", args=[resident.pk])


def _dossier(resident) -> str:
    return reverse("caseload:dossier", args=[resident.pk])


def _outflow(resident) -> str:
    return reverse("caseload:outflow_record", args=[resident.pk])


@pytest.fixture
def application(resident):
    """A new resident's application, in behandeling since ten days."""
    return factories.ApplicationFactory(
        resident=resident, received_on=clock.today() - dt.timedelta(days=10)
    )


def _granted(application, **changes) -> dict:
    """The form as typed for a grant today, the benefit starting on the day of the melding;
    ``changes`` on top."""
    return {
        "application": application.pk,
        "outcome": "toegekend",
        "decided_on": clock.today().isoformat(),
        "benefit_start": application.received_on.isoformat(),
        **changes,
    }


@pytest.fixture
def consulent_client(client, consulent):
    client.force_login(consulent)
    return client


def test_granted_in_the_browser_opens_the_benefit_and_the_outflow_form_works(
    consulent_client, resident, application
):
    today = clock.today()
    received = application.received_on
    # the dossier says the application waits, and offers the decision
    dossier = consulent_client.get(_dossier(resident)).content.decode()
    assert "Aanvraag beslissen" in dossier and _url(resident) in dossier
    # the outflow form says up front that there is nothing to flow out of, without a submit
    outflow = consulent_client.get(_outflow(resident))
    assert outflow.status_code == 200
    body = outflow.content.decode()
    assert "Deze inwoner heeft geen lopende uitkering" in body
    assert 'type="submit"' not in body.split('id="geblokkeerd"', 1)[1]
    assert _url(resident) in body  # the way to the decision

    page = consulent_client.get(_url(resident))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aanvraag beslissen" in html
    assert f'value="{today.isoformat()}"' in html  # the decision date: today
    assert f'value="{received.isoformat()}"' in html  # the start: the day of the melding
    assert f'<option value="{application.pk}" selected>' in html

    response = consulent_client.post(_url(resident), _granted(application), follow=True)
    assert response.redirect_chain == [(_dossier(resident), 302)]
    html = response.content.decode()
    start = f"{received.day}-{received.month}-{received.year}"
    assert f"De aanvraag is toegekend. De uitkering gaat in op {start}." in html
    application.refresh_from_db()
    assert (application.outcome, application.decided_on) == ("toegekend", today)
    benefit = Benefit.objects.get(household=resident.household, end_date__isnull=True)
    assert application.benefit_id == benefit.pk
    assert (benefit.regime, benefit.start_date, benefit.applicant_id) == (
        application.regime,
        received,
        resident.pk,
    )
    # the dossier: the benefit runs, the decision is on the timeline, nothing left to decide
    assert "Aanvraag beslissen" not in html
    assert 'data-kind="application_decision"' in html
    assert "Besluit op aanvraag Participatiewet algemene bijstand: toegekend" in html
    assert f"uitkering vanaf {start}" in html
    assert "lopend" in html

    # the outflow form now works: full outflow to work ends the benefit
    assert "Deze inwoner heeft geen lopende uitkering" not in (
        consulent_client.get(_outflow(resident)).content.decode()
    )
    response = consulent_client.post(
        _outflow(resident),
        {
            "kind": "volledig",
            "reason": "werk",
            "occurred_on": today.isoformat(),
            "hours_per_week": "32",
            "contract_type": "vast",
            "employer": "Bakkerij De Korenschoof",
        },
    )
    assert response.status_code == 302
    assert OutflowEvent.objects.get(resident=resident).benefit_id == benefit.pk
    benefit.refresh_from_db()
    assert benefit.end_date == today
    # every request to the page was logged, naming the route
    assert ProcessingRecord.objects.filter(route="registers:application_decide").count() == 2


@pytest.mark.parametrize("outcome", ["afgewezen", "ingetrokken", "voorkomen"])
def test_other_outcomes_open_no_benefit(consulent_client, resident, application, outcome):
    today = clock.today()
    # the pre-filled start date is not used for an outcome other than a grant
    response = consulent_client.post(_url(resident), _granted(application, outcome=outcome))
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.outcome, application.decided_on, application.benefit_id) == (
        outcome,
        today,
        None,
    )
    assert not Benefit.objects.filter(household=resident.household).exists()
    messages = consulent_client.get(_dossier(resident)).content.decode()
    assert "Het besluit is vastgelegd" in messages


def test_a_decision_date_in_the_future_keeps_what_was_typed(
    consulent_client, resident, application
):
    future = clock.today() + dt.timedelta(days=3)
    start = application.received_on + dt.timedelta(days=2)
    response = consulent_client.post(
        _url(resident),
        _granted(application, decided_on=future.isoformat(), benefit_start=start.isoformat()),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "De besluitdatum mag niet in de toekomst liggen." in html
    assert 'id="id_decided_on_error"' in html and 'aria-invalid="true"' in html
    assert f'value="{future.isoformat()}"' in html
    assert f'value="{start.isoformat()}"' in html
    assert '<option value="toegekend" selected>' in html
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING
    assert not Benefit.objects.filter(household=resident.household).exists()


def test_a_grant_without_a_start_date_keeps_what_was_typed(consulent_client, resident, application):
    decided = clock.today() - dt.timedelta(days=1)
    response = consulent_client.post(
        _url(resident), _granted(application, decided_on=decided.isoformat(), benefit_start="")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vul de ingangsdatum van de uitkering in: verplicht bij toekennen." in html
    assert 'id="id_benefit_start_error"' in html
    assert f'value="{decided.isoformat()}"' in html
    assert '<option value="toegekend" selected>' in html
    assert not Benefit.objects.filter(household=resident.household).exists()


def test_no_outcome_chosen_is_a_dutch_message(consulent_client, resident, application):
    response = consulent_client.post(
        _url(resident), {"application": application.pk, "decided_on": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies de uitkomst van de aanvraag." in html


def test_the_services_refusal_comes_back_at_its_field(consulent_client, resident, application):
    """The service's rules (here: a decision before the melding) name the field; a benefit
    in the regeling running already is said at the application, which carries the regeling."""
    before = application.received_on - dt.timedelta(days=1)
    response = consulent_client.post(
        _url(resident),
        {"application": application.pk, "outcome": "afgewezen", "decided_on": before.isoformat()},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "De besluitdatum ligt voor de datum van de melding." in html
    assert 'id="id_decided_on_error"' in html
    assert f'value="{before.isoformat()}"' in html

    factories.BenefitFactory(applicant=resident, start_date=dt.date(2024, 1, 1))
    response = consulent_client.post(_url(resident), _granted(application))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Dit huishouden heeft al een lopende uitkering in deze regeling." in html
    assert 'id="id_application_error"' in html
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING


def test_without_an_application_in_behandeling_the_page_says_so(consulent_client, resident):
    factories.ApplicationFactory(resident=resident, rejected=True)  # decided already
    factories.ApplicationFactory(  # a WW melding: decided on its own page
        resident=resident, prevention_route=Application.PreventionRoute.WW_COACHING
    )
    assert "Aanvraag beslissen" not in consulent_client.get(_dossier(resident)).content.decode()
    response = consulent_client.get(_url(resident))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze inwoner heeft geen aanvraag in behandeling." in html
    assert "<form" not in html.split("<main", 1)[1]
    assert 'type="submit"' not in html.split("<main", 1)[1]


def test_an_application_of_another_resident_cannot_be_chosen(
    consulent_client, consulent, resident, application
):
    """The choice is the URL's resident's applications only: another one (even of the own
    team) is refused like a nonexistent one."""
    neighbour = factories.ResidentFactory(
        team=consulent.team, household__municipality=consulent.team.municipality
    )
    theirs = factories.ApplicationFactory(resident=neighbour, received_on=clock.today())
    response = consulent_client.post(_url(resident), _granted(theirs, outcome="afgewezen"))
    assert response.status_code == 422
    theirs.refresh_from_db()
    assert theirs.outcome == Application.Outcome.PENDING


@pytest.mark.parametrize("where", ["other_team", "other_municipality"])
def test_another_teams_consulent_gets_the_answer_of_every_dossier_page(
    client, consulent, resident, application, where
):
    municipality = consulent.team.municipality if where == "other_team" else None
    team = (
        factories.TeamFactory(municipality=municipality)
        if municipality
        else factories.TeamFactory()
    )
    outsider = factories.UserFactory(team=team)
    client.force_login(outsider)
    got = client.get(_url(resident))
    assert got.status_code == client.get(_outflow(resident)).status_code == 404
    assert escape(resident.last_name) not in got.content.decode()
    posted = client.post(_url(resident), _granted(application))
    assert posted.status_code == 404
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING
    assert not Benefit.objects.filter(household=resident.household).exists()


@pytest.mark.parametrize("role", ["manager", "finance", "privacy"])
def test_a_role_without_the_permission_gets_403(client, resident, application, role):
    client.force_login(factories.UserFactory(**{role: True}))
    assert client.get(_url(resident)).status_code == 403
    posted = client.post(_url(resident), _granted(application, outcome="afgewezen"))
    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING


def test_anonymous_goes_to_the_login(client, resident, application):
    response = client.get(_url(resident))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_teamleider_of_the_team_may_decide(client, team, resident, application):
    client.force_login(factories.UserFactory(teamleider=True, team=team))
    response = client.post(_url(resident), _granted(application, outcome="ingetrokken"))
    assert response.status_code == 302


def test_with_two_applications_in_behandeling_none_is_preselected(
    consulent_client, resident, application
):
    """Review: with several applications the oldest was preselected, so a consulent could decide
    the wrong one without choosing."""
    factories.ApplicationFactory(
        resident=resident,
        regime="ioaw",
        received_on=clock.today() - dt.timedelta(days=3),
    )
    html = consulent_client.get(_url(resident)).content.decode()
    assert '<option value="" selected>Kies de aanvraag</option>' in html
    response = consulent_client.post(_url(resident), {**_granted(application), "application": ""})
    assert response.status_code == 422
    application.refresh_from_db()
    assert application.outcome == "in_behandeling"


def test_every_date_before_the_melding_is_named_at_once(consulent_client, resident, application):
    """Outside tester's walk, finding 1b: a decision date and a benefit start both before the
    melding named only the decision date; the start's error came after the next submit."""
    before = application.received_on - dt.timedelta(days=3)
    response = consulent_client.post(
        _url(resident),
        _granted(
            application,
            decided_on=before.isoformat(),
            benefit_start=(before - dt.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "De besluitdatum ligt voor de datum van de melding." in html
    assert "De ingangsdatum van de uitkering ligt vóór de datum van de melding" in html
    assert "id_decided_on_error" in html and "id_benefit_start_error" in html
    assert f'value="{before.isoformat()}"' in html  # what was typed comes back
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING and not Benefit.objects.exists()


def test_the_service_still_refuses_with_the_first_date(application):
    """The API's decide is unchanged: one error, the decision date first."""
    from caseload import services
    from common.exceptions import DomainError

    before = application.received_on - dt.timedelta(days=3)
    with pytest.raises(DomainError) as exc:
        services.application_decide(
            application=application,
            outcome=Application.Outcome.GRANTED,
            decided_on=before,
            benefit_start=before,
        )
    assert (exc.value.code, exc.value.field) == ("decided_on", "decided_on")
