"""Issue 14, the API part of "Correct mistakes, never delete": POST <resource>/{id}/correct/ and
withdraw/ with a reason and If-Match; structured errors; API keys correct nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload.models import ContactMoment, Correction, Trajectory
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
BASE = "/api/v1/caseload"


def _etag(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def test_trajectory_corrected_through_the_api(consulent_client, resident, consulent):
    t = factories.TrajectoryFactory(
        resident=resident, created_by=consulent, started_on=D(2025, 3, 1)
    )
    url = f"{BASE}/trajectories/{t.pk}/"
    etag = _etag(consulent_client, url)
    body = {"reason": "Verkeerde datum", "changes": {"started_on": "2025-01-15"}}
    missing = consulent_client.post(f"{url}correct/", body, format="json")
    assert missing.status_code == 428
    r = consulent_client.post(f"{url}correct/", body, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200, r.content
    assert r.json()["started_on"] == "2025-01-15" and r["ETag"] != etag
    assert _etag(consulent_client, url) == r["ETag"]
    c = Correction.objects.get(fact_type="traject", fact_id=t.pk)
    assert c.before["started_on"] == "2025-03-01" and c.by == consulent
    # the same request again: the ETag is stale, nothing is done twice
    again = consulent_client.post(f"{url}correct/", body, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    assert Correction.objects.count() == 1


def test_refusals_are_structured_errors(consulent_client, resident, consulent):
    t = factories.TrajectoryFactory(
        resident=resident, created_by=consulent, started_on=D(2025, 3, 1)
    )
    url = f"{BASE}/trajectories/{t.pk}/"
    etag = _etag(consulent_client, url)
    no_reason = consulent_client.post(
        f"{url}correct/",
        {"reason": "  ", "changes": {"started_on": "2025-01-15"}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"][0]["field"] == "reason"
    rule = consulent_client.post(
        f"{url}correct/",
        {"reason": "Datum", "changes": {"ended_on": "2025-02-01", "result": "afgerond"}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert rule.status_code == 400
    assert rule.json()["errors"] == [
        {
            "code": "end_before_start",
            "message": "De einddatum ligt voor de startdatum.",
            "field": "changes.ended_on",
        }
    ]
    assert not Correction.objects.exists()
    assert Trajectory.objects.get(pk=t.pk).started_on == D(2025, 3, 1)


def test_contact_withdrawn_through_the_api(consulent_client, resident, consulent):
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    url = f"{BASE}/contact-moments/{contact.pk}/"
    etag = _etag(consulent_client, url)
    r = consulent_client.post(
        f"{url}withdraw/", {"reason": "Verkeerde inwoner"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 200, r.content
    assert r.json()["kind"] == "ingetrokken" and r.json()["before"]["id"] == contact.pk
    assert not ContactMoment.objects.filter(pk=contact.pk).exists()
    assert consulent_client.get(url).status_code == 404
    again = consulent_client.post(
        f"{url}withdraw/", {"reason": "Verkeerde inwoner"}, format="json", HTTP_IF_MATCH=etag
    )
    assert again.status_code == 404


def test_api_keys_and_other_teams_correct_nothing(token_client, api_client, resident, consulent):
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    url = f"{BASE}/contact-moments/{contact.pk}/withdraw/"
    r = token_client.post(url, {"reason": "x"}, format="json", HTTP_IF_MATCH='"x"')
    assert r.status_code == 403
    other = factories.UserFactory(team=factories.TeamFactory(municipality=resident.municipality))
    api_client.force_login(other)
    r = api_client.post(url, {"reason": "x"}, format="json", HTTP_IF_MATCH='"x"')
    assert r.status_code == 404
    assert ContactMoment.objects.filter(pk=contact.pk).exists()
