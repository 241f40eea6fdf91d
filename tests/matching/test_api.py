"""Issue 18: the matching's REST API (/api/v1/matching/): profile, consent, a vacancy's
candidates (no BSN, name or address; one processing record naming them all), a resident's
vacancies, proposal -> answer -> placement -> outflow, structured errors, scopes."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from apiauth import services as api_services
from caseload.models import OutflowEvent, Role
from matching.models import Consent, Placement, Proposal, ProposalStatus
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/matching"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def last_record() -> ProcessingRecord:
    return ProcessingRecord.objects.order_by("-id").first()


def test_profile_read_and_update_with_if_match(region):
    resident = region.resident(sought=("5322",), hours="24")
    api = client_for(region.consulent)
    response = api.get(f"{API}/residents/{resident.pk}/profile/")
    assert response.status_code == 200
    body = response.json()
    assert body["sought"] == ["5322"] and body["hours_available"] == "24.0"
    assert resident_pseudonym(resident.pk) in last_record().subjects
    url = f"{API}/residents/{resident.pk}/profile/"
    # without If-Match: 428; stale: 412
    assert api.patch(url, {"travel_range_km": 25}, format="json").status_code == 428
    stale = api.patch(url, {"travel_range_km": 25}, format="json", HTTP_IF_MATCH='"x"')
    assert stale.status_code == 412
    response = api.patch(
        url,
        {"travel_range_km": 25, "sought": ["5322", "9112"]},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["travel_range_km"] == 25
    assert response.json()["sought"] == ["5322", "9112"]
    assert response.json()["hours_available"] == "24.0"  # not sent: kept


def test_profile_errors_are_structured(region):
    resident = region.resident()
    api = client_for(region.consulent)
    url = f"{API}/residents/{resident.pk}/profile/"
    etag = api.get(url)["ETag"]
    response = api.patch(url, {"sought": ["0000"]}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["code"] == "occupation_unknown" and error["field"] == "sought"


def test_profile_of_a_resident_without_one_is_empty(region):
    resident = factories.ResidentFactory(
        household=factories.HouseholdFactory(municipality=region.municipality),
        team=region.team,
        consulent=region.consulent,
    )
    body = client_for(region.consulent).get(f"{API}/residents/{resident.pk}/profile/").json()
    assert body["id"] is None and body["sought"] == [] and body["missing"]


def test_consent_give_list_withdraw(region):
    resident = region.resident(consent=False)
    api = client_for(region.consulent)
    url = f"{API}/residents/{resident.pk}/consents/"
    response = api.post(url, {"given_on": "2026-11-20"}, format="json")
    assert response.status_code == 201, response.json()
    again = api.post(url, {"given_on": "2026-11-20"}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "consent_exists"
    assert [c["is_active"] for c in api.get(url).json()] == [True]
    response = api.post(f"{url}withdraw/", format="json")
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    assert not Consent.objects.filter(resident=resident, withdrawn_at__isnull=True).exists()
    again = api.post(f"{url}withdraw/", format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "no_consent"


def test_another_teams_resident_is_hidden_and_roles_without_dossier_denied(region):
    other_team = factories.TeamFactory(municipality=region.municipality)
    resident = region.resident()
    stranger = factories.UserFactory(team=other_team)
    assert client_for(stranger).get(f"{API}/residents/{resident.pk}/profile/").status_code == 404
    am = client_for(region.accountmanager)
    assert am.get(f"{API}/residents/{resident.pk}/profile/").status_code == 403


def test_candidates_carry_no_identity_and_one_record_names_them(region):
    vacancy = region.vacancy()
    ann = region.resident(first_name="Annemarie", last_name="Zonnebloem")
    bob = region.resident(first_name="Bob", last_name="Kwast", sought=("9112",))
    region.resident(first_name="Carla", consent=False)
    api = client_for(region.accountmanager)
    before = ProcessingRecord.objects.count()
    response = api.get(f"{API}/vacancies/{vacancy.pk}/candidates/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["profile"] for r in rows] == [ann.matching_profile.pk, bob.matching_profile.pk]
    assert set(rows[0]) == {
        "rank",
        "score",
        "credits",
        "reasons",
        "consented",
        "proposed",
        "profile",
    }
    assert rows[0]["reasons"]["occupation"] == "zoekt dit beroep"
    text = json.dumps(rows)
    for secret in (ann.bsn, ann.last_name, bob.bsn, bob.last_name, "1211"):
        assert secret not in text
    assert ProcessingRecord.objects.count() == before + 1
    record = last_record()
    assert record.object_type == "vacancy_candidates" and record.object_id == str(vacancy.pk)
    assert {resident_pseudonym(ann.pk), resident_pseudonym(bob.pk)} <= set(record.subjects)
    # the consulent may not see candidates
    assert (
        client_for(region.consulent).get(f"{API}/vacancies/{vacancy.pk}/candidates/").status_code
        == 403
    )


def test_resident_vacancies_ranked(region):
    good = region.vacancy(code="5322", title="Verzorgende")
    other = region.vacancy(code="9112", title="Schoonmaker")
    resident = region.resident(sought=("5322",))
    rows = client_for(region.consulent).get(f"{API}/residents/{resident.pk}/vacancies/").json()
    assert [r["vacancy"] for r in rows][:2] == [good.pk, other.pk]
    assert rows[0]["reasons"]["occupation"] == "zoekt dit beroep"


def test_proposal_answer_placement_records_the_outflow(region):
    vacancy = region.vacancy()
    resident = region.resident()
    am = client_for(region.accountmanager)
    response = am.post(
        f"{API}/proposals/",
        {"vacancy": vacancy.pk, "profile": resident.matching_profile.pk, "motivation": "Past"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    proposal = response.json()
    assert proposal["status"] == "voorgedragen" and proposal["score"] is not None
    assert (
        am.post(
            f"{API}/proposals/",
            {"vacancy": vacancy.pk, "profile": resident.matching_profile.pk},
            format="json",
        ).json()["errors"][0]["code"]
        == "proposed"
    )
    # the consulent sees the proposal for their resident
    listed = client_for(region.consulent).get(f"{API}/proposals/").json()["results"]
    assert [p["id"] for p in listed] == [proposal["id"]]
    declined = am.post(
        f"{API}/proposals/{proposal['id']}/answer/",
        {"answer": "afgewezen", "answered_on": "2026-11-22"},
        format="json",
    )
    assert declined.status_code == 400
    assert declined.json()["errors"][0]["field"] == "decline_reason"
    accepted = am.post(
        f"{API}/proposals/{proposal['id']}/answer/",
        {"answer": "aangenomen", "answered_on": "2026-11-22"},
        format="json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "aangenomen"
    response = am.post(
        f"{API}/placements/",
        {
            "proposal": proposal["id"],
            "start_date": "2026-11-22",
            "hours_per_week": "24",
            "outflow_kind": "gedeeltelijk",
            "contract_type": "tijdelijk",
            "jobcoach": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    placement = Placement.objects.get(pk=response.json()["id"])
    assert placement.outflow.resident_id == resident.pk
    assert placement.outflow.kind == OutflowEvent.Kind.PARTIAL and placement.jobcoach
    assert resident_pseudonym(resident.pk) in last_record().subjects
    rows = am.get(f"{API}/placements/").json()["results"]
    assert rows[0]["id"] == placement.pk and rows[0]["still_off_benefit_6m"] is None
    assert resident_pseudonym(resident.pk) in last_record().subjects
    assert Proposal.objects.get().status == ProposalStatus.ACCEPTED


def test_placement_of_an_unanswered_proposal_is_refused(region):
    vacancy = region.vacancy()
    resident = region.resident()
    am = client_for(region.accountmanager)
    proposal = am.post(
        f"{API}/proposals/",
        {"vacancy": vacancy.pk, "profile": resident.matching_profile.pk},
        format="json",
    ).json()
    response = am.post(
        f"{API}/placements/",
        {
            "proposal": proposal["id"],
            "start_date": "2026-11-22",
            "hours_per_week": "24",
            "outflow_kind": "volledig",
            "contract_type": "vast",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_accepted"
    assert not OutflowEvent.objects.filter(resident=resident).exists()


def test_keys_need_the_matching_scope_and_the_privacy_officers_approval(region):
    resident = region.resident()
    beheer = factories.UserFactory(beheer=True)
    account = api_services.service_account_create(
        username="x.wsp", municipality=region.municipality, description="WSP"
    )
    token, secret = api_services.token_issue(
        user=account, name="matching", scopes=["matching:read"], created_by=beheer
    )
    assert token.approval == token.Approval.PENDING
    key = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert key.get(f"{API}/residents/{resident.pk}/profile/").status_code == 401
    _token, employers_secret = api_services.token_issue(
        user=account, name="werkgevers", scopes=["employers:read"], created_by=beheer
    )
    other = APIClient(HTTP_AUTHORIZATION=f"Bearer {employers_secret}")
    assert other.get(f"{API}/residents/{resident.pk}/profile/").status_code == 403


def test_teamleider_of_another_municipality_sees_no_candidates(region):
    vacancy = region.vacancy()
    region.resident()
    elsewhere = factories.MunicipalityFactory(name="Huizen", cbs_code="GM0406")
    teamleider = factories.UserFactory(
        role=Role.TEAMLEIDER, team=factories.TeamFactory(municipality=elsewhere)
    )
    response = client_for(teamleider).get(f"{API}/vacancies/{vacancy.pk}/candidates/")
    assert response.status_code == 404


def test_the_travel_range_filter_in_the_api(region):
    far = region.vacancy(postcode="1011AB")  # Amsterdam, ~26 km
    near = region.vacancy(postcode="1211AB")
    short = region.resident(range_km=5)
    wide = region.resident(range_km=40)
    api = client_for(region.accountmanager)
    url = f"{API}/vacancies/{far.pk}/candidates/"
    assert {r["profile"] for r in api.get(url).json()} == {
        short.matching_profile.pk,
        wide.matching_profile.pk,
    }
    rows = api.get(url, {"within_range": "true"}).json()
    assert [r["profile"] for r in rows] == [wide.matching_profile.pk]
    own = client_for(region.consulent).get(
        f"{API}/residents/{short.pk}/vacancies/", {"within_range": "true"}
    )
    assert [r["vacancy"] for r in own.json()] == [near.pk]
