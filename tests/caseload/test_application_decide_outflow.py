"""The outflow form and the dossier before and after the decision on an application: without a
running benefit the outflow form says so up front (no submit to press, the way to "Aanvraag
beslissen" when an application waits), instead of only after everything was filled in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseload import selectors, services
from common import clock
from tests import factories

pytestmark = pytest.mark.django_db

NO_BENEFIT = "Deze inwoner heeft geen lopende uitkering"


def _outflow(resident) -> str:
    return reverse("caseload:outflow_record", args=[resident.pk])


def _decide(resident) -> str:
    return reverse("registers:application_decide", args=[resident.pk])


def test_with_a_running_benefit_the_outflow_form_is_offered(client, consulent, open_benefit):
    client.force_login(consulent)
    html = client.get(_outflow(open_benefit.applicant)).content.decode()
    assert NO_BENEFIT not in html
    assert 'type="submit"' in html and 'name="occurred_on"' in html


def test_without_a_benefit_or_application_it_says_so_and_offers_no_submit(
    client, consulent, resident
):
    client.force_login(consulent)
    html = client.get(_outflow(resident)).content.decode()
    assert NO_BENEFIT in html
    assert 'type="submit"' not in html.split("<main", 1)[1]
    assert 'name="occurred_on"' not in html
    assert _decide(resident) not in html  # nothing to decide either


def test_an_ended_benefit_is_no_running_benefit(client, consulent, resident):
    factories.BenefitFactory(applicant=resident, ended_for_work=True)
    client.force_login(consulent)
    assert NO_BENEFIT in client.get(_outflow(resident)).content.decode()


def test_with_an_application_waiting_it_points_to_the_decision(client, consulent, resident):
    factories.ApplicationFactory(resident=resident, received_on=clock.today())
    client.force_login(consulent)
    html = client.get(_outflow(resident)).content.decode()
    assert NO_BENEFIT in html
    assert "Beslis eerst op de aanvraag" in html
    assert _decide(resident) in html


def test_a_post_without_a_benefit_is_still_refused(client, consulent, resident):
    client.force_login(consulent)
    response = client.post(
        _outflow(resident),
        {"kind": "volledig", "reason": "overig", "occurred_on": clock.today().isoformat()},
    )
    assert response.status_code == 422
    assert NO_BENEFIT in response.content.decode()


def test_applications_to_decide_reads_the_dossier_rows_without_a_query(
    resident, django_assert_num_queries
):
    today = clock.today()
    older = factories.ApplicationFactory(resident=resident, received_on=today - dt.timedelta(5))
    newer = factories.ApplicationFactory(resident=resident, received_on=today)
    factories.ApplicationFactory(resident=resident, rejected=True)
    factories.ApplicationFactory(resident=resident, prevention_route="ww_coaching")
    facts = selectors.dossier_facts(resident=resident)
    with django_assert_num_queries(0):
        from_facts = selectors.applications_to_decide(resident=resident, facts=facts)
    assert from_facts == [older, newer]
    assert list(selectors.applications_to_decide(resident=resident)) == [older, newer]


def test_the_decision_is_on_the_timeline_on_its_own_day(consulent, resident):
    today = clock.today()
    received = today - dt.timedelta(days=20)
    application = factories.ApplicationFactory(resident=resident, received_on=received)
    services.application_decide(
        application=application, outcome="toegekend", decided_on=today, benefit_start=received
    )
    timeline = selectors.resident_timeline(user=consulent, resident=resident)
    decision = next(e for e in timeline if e.kind == "application_decision")
    melding = next(e for e in timeline if e.kind == "application")
    assert (decision.date, melding.date) == (today, received)
    assert decision.title == "Besluit op aanvraag Participatiewet algemene bijstand: toegekend"
    assert decision.detail == f"uitkering vanaf {received.day}-{received.month}-{received.year}"
    assert timeline.index(decision) < timeline.index(melding)  # newest first


def test_a_benefit_granted_from_a_later_day_is_not_running_yet(client, consulent, resident):
    """The walk of 4 December: a benefit granted from 1-2-2027 read "lopend" in the dossier,
    while the outflow page said there was no running benefit. The dossier says when it starts,
    and the outflow page says from when outflow can be recorded."""
    later = clock.today() + dt.timedelta(days=59)
    factories.BenefitFactory(applicant=resident, start_date=later)
    client.force_login(consulent)
    dossier = client.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    shown = f"{later.day}-{later.month}-{later.year}"
    assert f"gaat in op {shown}" in dossier
    table = dossier.split("Uitkeringen van het huishouden", 1)[1].split("</table>", 1)[0]
    assert ">lopend<" not in table
    outflow = client.get(_outflow(resident)).content.decode()
    assert f"De uitkering van deze inwoner gaat in op {shown}" in outflow
    assert 'name="occurred_on"' not in outflow
