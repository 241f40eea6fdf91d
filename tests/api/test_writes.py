"""Writes through the services: BSN search, creation with Idempotency-Key, ETag/If-Match."""

import datetime as dt

import pytest

from caseload.models import ContactMoment, Resident, Trajectory
from common.bsn import generate_fake_bsn
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENTS = "/api/v1/caseload/residents/"
CONTACTS = "/api/v1/caseload/contact-moments/"


def new_resident_payload(household, team, rng_seed=7):
    import random

    return {
        "bsn": generate_fake_bsn(random.Random(rng_seed)),
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1990-04-01",
        "household": household.pk,
        "team": team.pk,
        "education_level": "mbo2",
        "has_startkwalificatie": True,
    }


# --- BSN search ----------------------------------------------------------------------------


def test_bsn_search_finds_visible_resident(token_client, resident):
    response = token_client.post(RESIDENTS + "search/", {"bsn": resident.bsn}, format="json")
    assert response.status_code == 200
    (found,) = response.json()["results"]
    assert found["id"] == resident.pk and found["bsn"] == resident.bsn


def test_bsn_search_hides_invisible_resident(consulent_client):
    other = factories.ResidentFactory()
    response = consulent_client.post(RESIDENTS + "search/", {"bsn": other.bsn}, format="json")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_bsn_search_invalid_bsn_is_400_without_echoing_it(token_client):
    response = token_client.post(RESIDENTS + "search/", {"bsn": "123456789"}, format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "bsn" and "123456789" not in error["message"]


def test_bsn_is_not_a_query_filter(token_client, resident):
    """A BSN in the query string is refused, not ignored (issue 12, finding 11: it stayed in the
    access log); the BSN search is a POST."""
    response = token_client.get(RESIDENTS, {"bsn": resident.bsn})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "personal_data_in_query"
    assert resident.bsn not in response.content.decode()
    listed = token_client.get(RESIDENTS)
    assert all("bsn" not in r for r in listed.json()["results"])  # lists are masked


# --- Creation and idempotency ---------------------------------------------------------------


def test_create_resident_via_service(token_client, team):
    household = factories.HouseholdFactory(municipality=team.municipality)
    response = token_client.post(RESIDENTS, new_resident_payload(household, team), format="json")
    assert response.status_code == 201, response.json()
    assert Resident.objects.filter(pk=response.json()["id"]).exists()
    assert response.json()["current_group"] is None


def test_duplicate_bsn_is_structured_400(token_client, resident):
    payload = new_resident_payload(resident.household, resident.team)
    payload["bsn"] = resident.bsn
    response = token_client.post(RESIDENTS, payload, format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error == {
        "code": "bsn_exists",
        "message": "Er is al een inwoner met dit BSN geregistreerd.",
        "field": "bsn",
    }


def test_idempotent_create_returns_first_response_and_creates_nothing(token_client, resident):
    payload = {"resident": resident.pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "c0ffee-1"}
    first = token_client.post(CONTACTS, payload, format="json", **headers)
    second = token_client.post(CONTACTS, payload, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert ContactMoment.objects.filter(resident=resident).count() == 1


def test_same_idempotency_key_with_other_body_is_422(token_client, resident):
    headers = {"HTTP_IDEMPOTENCY_KEY": "c0ffee-2"}
    payload = {"resident": resident.pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    assert token_client.post(CONTACTS, payload, format="json", **headers).status_code == 201
    payload["channel"] = "video"
    response = token_client.post(CONTACTS, payload, format="json", **headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert ContactMoment.objects.filter(resident=resident).count() == 1


def test_failed_create_is_not_stored_under_the_key(token_client, resident):
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    bad = {"resident": resident.pk, "occurred_on": future, "channel": "telefoon"}
    assert token_client.post(CONTACTS, bad, format="json", **headers).status_code == 400
    assert token_client.post(CONTACTS, bad, format="json", **headers).status_code == 400
    assert not ContactMoment.objects.exists()


def test_keys_are_per_client(make_token, resident):
    from rest_framework.test import APIClient

    payload = {"resident": resident.pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    for _ in range(2):
        _, secret = make_token()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        response = client.post(CONTACTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="same")
        assert response.status_code == 201
    assert ContactMoment.objects.count() == 2


def test_domain_error_from_service_is_structured(token_client, resident):
    response = token_client.post(
        "/api/v1/caseload/outflow-events/",
        {
            "resident": resident.pk,
            "kind": "volledig",
            "reason": "werk",
            "occurred_on": "2026-01-05",
            "hours_per_week": "32.0",
            "contract_type": "vast",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_open_benefit"


# --- ETag and If-Match --------------------------------------------------------------------


def test_patch_resident_requires_current_etag(token_client, resident):
    url = f"{RESIDENTS}{resident.pk}/"
    etag = token_client.get(url)["ETag"]

    missing = token_client.patch(url, {"language_level": "b1"}, format="json")
    assert missing.status_code == 428

    ok = token_client.patch(url, {"language_level": "b1"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.json()
    assert ok.json()["language_level"] == "b1"
    assert ok["ETag"] != etag

    stale = token_client.patch(url, {"language_level": "a2"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "stale_etag"
    resident.refresh_from_db()
    assert resident.language_level == "b1"


def test_patch_resident_reassigns_through_service(token_client, resident):
    new_team = factories.TeamFactory(municipality=resident.municipality)
    url = f"{RESIDENTS}{resident.pk}/"
    etag = token_client.get(url)["ETag"]
    response = token_client.patch(
        url, {"team": new_team.pk, "consulent": None}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.team == new_team and resident.consulent is None


def test_patch_resident_cannot_change_identity(token_client, resident):
    url = f"{RESIDENTS}{resident.pk}/"
    etag = token_client.get(url)["ETag"]
    token_client.patch(
        url, {"bsn": "999999990", "last_name": "X"}, format="json", HTTP_IF_MATCH=etag
    )
    resident.refresh_from_db()
    assert resident.last_name != "X"


def test_close_trajectory_with_etag(token_client, resident):
    trajectory = factories.TrajectoryFactory(resident=resident)
    url = f"/api/v1/caseload/trajectories/{trajectory.pk}/"
    etag = token_client.get(url)["ETag"]
    body = {"ended_on": "2025-10-01", "result": "afgerond"}
    assert token_client.patch(url, body, format="json", HTTP_IF_MATCH='"old"').status_code == 412
    response = token_client.patch(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    trajectory.refresh_from_db()
    assert trajectory.result == Trajectory.Result.COMPLETED
    again = token_client.patch(url, body, format="json", HTTP_IF_MATCH=response["ETag"])
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "trajectory_closed"


def test_group_assignment_and_trajectory_start(token_client, resident):
    response = token_client.post(
        "/api/v1/caseload/group-assignments/",
        {"resident": resident.pk, "group": 2, "reason": "Brede intake", "decided_on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    instrument = factories.InstrumentFactory()
    response = token_client.post(
        "/api/v1/caseload/trajectories/",
        {"resident": resident.pk, "instrument": instrument.pk, "started_on": "2026-01-06"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    detail = token_client.get(f"{RESIDENTS}{resident.pk}/").json()
    assert detail["current_group"] == 2


def test_cannot_write_for_invisible_resident(consulent_client):
    other = factories.ResidentFactory()
    response = consulent_client.post(
        CONTACTS,
        {"resident": other.pk, "occurred_on": "2026-01-05", "channel": "telefoon"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "resident"


def test_idempotency_keys_are_purged_after_a_day(token_client, resident):
    from django.utils import timezone

    from apiauth.models import IdempotencyKey
    from apiauth.services import idempotency_keys_purge

    payload = {"resident": resident.pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    token_client.post(CONTACTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    assert idempotency_keys_purge() == 1
    assert idempotency_keys_purge() == 0


# --- Issue 12, finding 16: no personal data in idempotency records; no If-Match: * ----------


def test_finding_16_idempotency_record_stores_no_personal_data_and_replays(token_client, team):
    """Issue 12, finding 16: the stored idempotency record holds no BSN or name; a replay reads
    the created resident again through the normal serializer."""
    from django.core.serializers.json import DjangoJSONEncoder

    from apiauth.models import IdempotencyKey

    household = factories.HouseholdFactory(municipality=team.municipality)
    payload = new_resident_payload(household, team, rng_seed=11)
    headers = {"HTTP_IDEMPOTENCY_KEY": "res-1"}
    first = token_client.post(RESIDENTS, payload, format="json", **headers)
    assert first.status_code == 201, first.json()
    stored = IdempotencyKey.objects.values().get()
    import json

    dump = json.dumps(stored, cls=DjangoJSONEncoder)
    assert payload["bsn"] not in dump
    assert "El Amrani" not in dump and "Fatima" not in dump
    second = token_client.post(RESIDENTS, payload, format="json", **headers)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert Resident.objects.filter(bsn=payload["bsn"]).count() == 1


@pytest.mark.parametrize("header", ["*", 'W/"x", *'])
def test_finding_16_if_match_star_is_refused_on_updates(token_client, resident, header):
    """Issue 12, finding 16: ``If-Match: *`` skips lost-update protection: refused (428)."""
    url = f"{RESIDENTS}{resident.pk}/"
    response = token_client.patch(
        url, {"language_level": "b1"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 428
    assert response.json()["errors"][0]["code"] == "if_match_required"
    resident.refresh_from_db()
    assert resident.language_level != "b1"
    trajectory = factories.TrajectoryFactory(resident=resident)
    response = token_client.patch(
        f"/api/v1/caseload/trajectories/{trajectory.pk}/",
        {"ended_on": "2026-11-20", "result": "afgerond"},
        format="json",
        HTTP_IF_MATCH=header,
    )
    assert response.status_code == 428


def test_a_resident_out_of_reach_is_not_found_in_dutch(consulent_client):
    """The walk of 4 December: another team's resident answered "No Resident matches the given
    query." (Django's English text naming the model); the pages say "Niet gevonden." too."""
    other = factories.ResidentFactory()
    response = consulent_client.get(f"/api/v1/caseload/residents/{other.pk}/")
    assert response.status_code == 404
    assert response.json()["errors"] == [
        {"code": "not_found", "message": "Niet gevonden.", "field": None}
    ]
