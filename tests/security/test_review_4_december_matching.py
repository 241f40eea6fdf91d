"""Security review of 4 December, the matching (these tests fail on the code before the fix).

Finding 1 (medium): an account manager bound to one municipality (``User.municipality``), or an
API key bound to one (``ApiToken.municipality``), read and wrote the proposals and placements of
another municipality's residents at the vacancies of their own municipality: the account
manager's branch of ``matching.selectors`` scoped proposals and placements by the vacancy only.
Run with the policies off (``RLS_ENFORCED=False``): the application's own scoping must hold
(issue 17's two fences), on the pages (``matching:candidates``, ``answer``, ``placement``,
``placements``) and the API (``proposals/``, ``proposals/{id}/answer/``, ``placements/``).

Finding 4 (low): ``POST /api/v1/matching/proposals/`` with the profile of a resident without
consent answered 400 ``no_consent`` where a missing profile answers 404: an account manager
learnt who did not consent. For a caller without a team the profile of a resident without an
active consent is not there (404, the same body). Staff in a team keep the refusal.

Finding 5 (low): the vacancy worklist showed the nightly candidate counts, computed over every
municipality of the installation, to every holder of ``employers.view_vacancies``; now only to a
user whose matching scope is the whole region.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from caseload.models import Role
from common import clock
from matching import services as ms
from matching.facts import candidate_facts_refresh, stored_matches_refresh
from matching.models import Consent, Placement, Proposal, ProposalStatus
from tests import factories
from tests.security.test_matching_keys import API, MISSING, TODAY, Side, key

pytestmark = pytest.mark.django_db
SCOPES = ["matching:read", "matching:write"]


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield


def _bound_accountmanager(municipality):
    user = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    user.municipality = municipality
    user.save(update_fields=["municipality"])
    return user


@pytest.fixture
def cross():
    """Two municipalities, A and B, and a region-wide account manager who proposed B's resident
    at both of A's vacancies (one accepted and placed, one open) and A's resident at A's open
    vacancy (the control: A's own resident)."""
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    a = Side(name="Adorp", cbs_code="GM9981", kvk="11111111", accountmanager=accountmanager)
    b = Side(name="Bstad", cbs_code="GM9982", kvk="22222222", accountmanager=accountmanager)
    today = clock.today()
    placed = ms.proposal_create(
        vacancy=a.placed_vacancy, resident=b.resident, by=accountmanager, motivation="past goed"
    )
    ms.proposal_answer(proposal=placed, accepted=True, answered_on=today, by=accountmanager)
    ms.placement_record(
        proposal=placed,
        by=accountmanager,
        start_date=today,
        hours_per_week=Decimal(24),
        outflow_kind="gedeeltelijk",
        contract_type="tijdelijk",
    )
    foreign_open = ms.proposal_create(vacancy=a.vacancy, resident=b.resident, by=accountmanager)
    own_open = ms.proposal_create(vacancy=a.vacancy, resident=a.resident, by=accountmanager)
    return {
        "a": a,
        "b": b,
        "accountmanager": accountmanager,
        "placed": placed,
        "foreign_open": foreign_open,
        "own_open": own_open,
    }


# --- finding 1: the pages ---------------------------------------------------------------------


def test_a_bound_account_manager_reads_no_other_municipalitys_resident_on_the_pages(
    cross, settings
):
    settings.RLS_ENFORCED = False  # the application's scoping alone
    a, b = cross["a"], cross["b"]
    client = Client()
    client.force_login(_bound_accountmanager(a.municipality))
    candidates = client.get(reverse("matching:candidates", kwargs={"pk": a.vacancy.pk}))
    assert candidates.status_code == 200
    html = candidates.content.decode()
    assert escape(a.resident.last_name) in html  # control: A's own resident, proposed by name
    assert escape(b.resident.last_name) not in html
    placements = client.get(reverse("matching:placements"))
    assert placements.status_code == 200
    assert escape(b.resident.last_name) not in placements.content.decode()
    foreign = cross["foreign_open"].pk
    for name in ("answer", "placement"):
        url = reverse(f"matching:{name}", kwargs={"pk": foreign})
        assert client.get(url).status_code == 404, name
    own = reverse("matching:answer", kwargs={"pk": cross["own_open"].pk})
    assert client.get(own).status_code == 200  # control


def test_a_bound_account_manager_cannot_answer_for_another_municipalitys_resident(cross, settings):
    settings.RLS_ENFORCED = False
    client = Client()
    client.force_login(_bound_accountmanager(cross["a"].municipality))
    response = client.post(
        reverse("matching:answer", kwargs={"pk": cross["foreign_open"].pk}),
        {"answer": "afgewezen", "answered_on": TODAY, "decline_reason": "past niet"},
    )
    assert response.status_code == 404
    cross["foreign_open"].refresh_from_db()
    assert cross["foreign_open"].status == ProposalStatus.PROPOSED


def test_the_region_wide_account_manager_still_reads_both_municipalities(cross, settings):
    settings.RLS_ENFORCED = False
    client = Client()
    client.force_login(cross["accountmanager"])
    html = client.get(
        reverse("matching:candidates", kwargs={"pk": cross["a"].vacancy.pk})
    ).content.decode()
    assert escape(cross["a"].resident.last_name) in html
    assert escape(cross["b"].resident.last_name) in html
    placements = client.get(reverse("matching:placements")).content.decode()
    assert escape(cross["b"].resident.last_name) in placements


# --- finding 1: the API -----------------------------------------------------------------------


def _bound_clients(cross) -> dict[str, APIClient]:
    """A key bound to A (of the region-wide account manager) and the session of an account
    manager bound to A."""
    session = APIClient()
    session.force_login(_bound_accountmanager(cross["a"].municipality))
    return {
        "bound key": key(
            cross["accountmanager"], scopes=SCOPES, municipality=cross["a"].municipality
        ),
        "bound account": session,
    }


def test_a_bound_caller_lists_no_other_municipalitys_proposals_or_placements(cross, settings):
    settings.RLS_ENFORCED = False
    a = cross["a"]
    for label, client in _bound_clients(cross).items():
        proposals = client.get(f"{API}/proposals/")
        assert proposals.status_code == 200, (label, proposals.content)
        residents = {p["resident"] for p in proposals.json()["results"]}
        assert residents == {a.resident.pk}, label
        placements = client.get(f"{API}/placements/")
        assert placements.status_code == 200, (label, placements.content)
        assert placements.json()["results"] == [], label


def test_a_bound_caller_cannot_answer_or_place_for_another_municipalitys_resident(cross, settings):
    settings.RLS_ENFORCED = False
    foreign = cross["foreign_open"]
    for label, client in _bound_clients(cross).items():
        answer = client.post(
            f"{API}/proposals/{foreign.pk}/answer/",
            {"answer": "aangenomen", "answered_on": TODAY},
            format="json",
        )
        assert answer.status_code == 404, (label, answer.content)
        placement = client.post(
            f"{API}/placements/",
            {
                "proposal": foreign.pk,
                "start_date": TODAY,
                "hours_per_week": "24",
                "outflow_kind": "gedeeltelijk",
                "contract_type": "tijdelijk",
            },
            format="json",
        )
        assert placement.status_code == 404, (label, placement.content)
    foreign.refresh_from_db()
    assert foreign.status == ProposalStatus.PROPOSED
    assert not Placement.objects.filter(proposal=foreign).exists()


def test_control_the_unbound_key_lists_both_municipalities(cross, settings):
    settings.RLS_ENFORCED = False
    region = key(cross["accountmanager"], scopes=SCOPES)
    residents = {p["resident"] for p in region.get(f"{API}/proposals/").json()["results"]}
    assert residents == {cross["a"].resident.pk, cross["b"].resident.pk}
    assert len(region.get(f"{API}/placements/").json()["results"]) == 1


# --- finding 4: no oracle of who did not consent ----------------------------------------------


@pytest.fixture
def withdrawn():
    """A resident whose consent was withdrawn, and the region-wide account manager."""
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    side = Side(name="Cdorp", cbs_code="GM9983", kvk="33333333", accountmanager=accountmanager)
    consent = Consent.objects.get(resident=side.resident, withdrawn_at__isnull=True)
    ms.consent_withdraw(consent=consent, by=side.consulent)
    return side, accountmanager


def _propose(client, vacancy, profile_id):
    return client.post(
        f"{API}/proposals/", {"vacancy": vacancy.pk, "profile": profile_id}, format="json"
    )


def test_a_resident_without_consent_answers_as_a_missing_profile(withdrawn):
    side, accountmanager = withdrawn
    session = APIClient()
    session.force_login(accountmanager)
    clients = {
        "account manager": session,
        "bound key": key(accountmanager, scopes=SCOPES, municipality=side.municipality),
    }
    for label, client in clients.items():
        missing = _propose(client, side.vacancy, MISSING)
        refused = _propose(client, side.vacancy, side.profile.pk)
        assert missing.status_code == 404, label
        assert (refused.status_code, refused.json()) == (404, missing.json()), label
    assert not Proposal.objects.filter(resident=side.resident).exists()
    # control: with consent again, the same profile is proposed
    ms.consent_give(resident=side.resident, by=side.consulent, given_on=clock.today())
    assert _propose(session, side.vacancy, side.profile.pk).status_code == 201


def test_staff_in_a_team_still_hear_why_their_own_resident_is_refused(withdrawn):
    side, _accountmanager = withdrawn
    api = APIClient()
    api.force_login(side.consulent)
    response = _propose(api, side.vacancy, side.profile.pk)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_consent"
    page = Client()
    page.force_login(side.consulent)
    response = page.post(
        reverse("matching:propose", kwargs={"pk": side.vacancy.pk}),
        {"profile": side.profile.pk, "terug": "inwoner"},
        follow=True,
    )
    assert response.status_code == 200
    assert "geen toestemming" in response.content.decode()
    assert not Proposal.objects.filter(resident=side.resident).exists()


# --- finding 5: the worklist's nightly counts -------------------------------------------------


@pytest.fixture
def counted():
    """Two municipalities whose consenting residents are candidates at each other's vacancies,
    after the nightly refresh."""
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    a = Side(name="Edorp", cbs_code="GM9985", kvk="55555555", accountmanager=accountmanager)
    Side(name="Fstad", cbs_code="GM9986", kvk="66666666", accountmanager=accountmanager)
    candidate_facts_refresh()
    stored_matches_refresh()
    return a, accountmanager


def _worklist(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("employers:worklist"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_worklist_counts_are_not_shown_to_a_user_of_one_municipality(counted):
    a, _accountmanager = counted
    for user in (a.consulent, _bound_accountmanager(a.municipality)):
        html = _worklist(user)
        assert a.vacancy.title in html  # the vacancies are listed
        assert "data-candidates" not in html
        assert "met verwant beroep" not in html
        assert "Kandidaten (nachtelijke berekening)" not in html


def test_control_the_region_wide_account_manager_sees_the_worklist_counts(counted):
    _a, accountmanager = counted
    html = _worklist(accountmanager)
    assert "2 met verwant beroep" in html
