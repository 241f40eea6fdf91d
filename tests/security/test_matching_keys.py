"""Issue 18: API keys on the matching API (/api/v1/matching/), with real candidates.

The route matrix (``route_matrix.PERSONAL_KEYS``) proves the status of every operation for a
key with the matching scope, one without it and one restricted to another municipality. Here
the answers' contents: a key restricted to a municipality (``ApiToken.municipality``) reads
nothing of another municipality (0 of its candidates, proposals, placements and vacancies) and
cannot propose one of its residents; the same person's unrestricted key, and a key without the
scope, are the controls.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from apiauth import services as api_services
from caseload import services as cs
from caseload.models import Role
from common import clock
from employers.models import Employer, Occupation, Vacancy
from matching import services as ms
from matching.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/matching"
MISSING = 987_654_321
TODAY = "2026-11-22"


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield


class Side:
    """One municipality with a consulent, a consenting resident with a complete profile who is
    proposed for (and placed at) that municipality's vacancy, and a second open vacancy."""

    def __init__(self, *, name: str, cbs_code: str, kvk: str, accountmanager) -> None:
        self.municipality = factories.MunicipalityFactory(name=name, cbs_code=cbs_code)
        team = factories.TeamFactory(municipality=self.municipality, name=f"Werk {name}")
        self.consulent = factories.UserFactory(team=team)
        employer = Employer.objects.create(
            municipality=self.municipality,
            kvk_number=kvk,
            name=f"Zorggroep {name}",
            sbi_code="8710",
            account_manager=accountmanager,
        )
        self.vacancy, self.placed_vacancy = (self._vacancy(employer, n) for n in (1, 2))
        household = factories.HouseholdFactory(municipality=self.municipality, postcode="1211 AB")
        # a surname that HTML escapes (van &#x27;t ...): a check that reads a page for the
        # name without escaping it cannot pass by accident (CI of 1cb2621)
        self.resident = factories.ResidentFactory(
            household=household, team=team, consulent=self.consulent, surname="van 't Wel"
        )
        cs.benefit_open(
            household=household,
            applicant=self.resident,
            regime="pw",
            start_date=dt.date(2024, 1, 1),
        )
        cs.group_assign(
            resident=self.resident,
            group=1,
            reason="Brede intake",
            by=self.consulent,
            decided_on=dt.date(2025, 1, 10),
        )
        self.profile = ms.profile_save(
            resident=self.resident,
            by=self.consulent,
            sought_codes=["5322"],
            driving_licence=True,
            travel_range_km=50,
            hours_available=Decimal(24),
            no_work_experience=True,
        )
        ms.consent_give(resident=self.resident, by=self.consulent, given_on=dt.date(2026, 1, 5))

    @staticmethod
    def _vacancy(employer, n: int) -> Vacancy:
        return Vacancy.objects.create(
            employer=employer,
            occupation=Occupation.objects.get(code="5322"),
            title=f"Verzorgende {n}",
            hours_per_week=Decimal(24),
            postcode="1211AB",
            start_date=dt.date(2026, 12, 1),
            opened_on=dt.date(2026, 10, 1),
        )


@pytest.fixture
def sides():
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    own = Side(name="Eigenstad", cbs_code="GM9911", kvk="12345678", accountmanager=accountmanager)
    foreign = Side(
        name="Buurdorp", cbs_code="GM9912", kvk="87654321", accountmanager=accountmanager
    )
    session = APIClient()
    session.force_login(accountmanager)
    for side in (own, foreign):  # a placement in each municipality, by the account manager
        proposal = session.post(
            f"{API}/proposals/",
            {"vacancy": side.placed_vacancy.pk, "profile": side.profile.pk},
            format="json",
        ).json()
        session.post(
            f"{API}/proposals/{proposal['id']}/answer/",
            {"answer": "aangenomen", "answered_on": TODAY},
            format="json",
        )
        placed = session.post(
            f"{API}/placements/",
            {
                "proposal": proposal["id"],
                "start_date": TODAY,
                "hours_per_week": "24",
                "outflow_kind": "gedeeltelijk",
                "contract_type": "tijdelijk",
            },
            format="json",
        )
        assert placed.status_code == 201, placed.json()
    return {"own": own, "foreign": foreign, "accountmanager": accountmanager}


def key(user, *, scopes, municipality=None) -> APIClient:
    """A personal key of ``user``, approved by a privacy officer (four eyes)."""
    token, secret = api_services.token_issue(
        user=user,
        name="sleutel",
        scopes=scopes,
        municipality=municipality,
        created_by=factories.UserFactory(beheer=True),
    )
    if token.approval == token.Approval.PENDING:
        factories.api_token_approve(token)
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _candidates(client, vacancy) -> set[int]:
    response = client.get(f"{API}/vacancies/{vacancy.pk}/candidates/")
    assert response.status_code == 200, response.json()
    return {row["profile"] for row in response.json()}


def _rows(client, what: str) -> list[dict]:
    response = client.get(f"{API}/{what}/")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.mark.parametrize("rls_enforced", [True, False], ids=["with-rls", "application-alone"])
def test_a_key_of_another_municipality_reads_nothing_of_this_one(sides, settings, rls_enforced):
    """Twice: under row-level security, and with the policies not in force (the application's
    own scoping alone must keep the bound key to its municipality: issue 17's two fences)."""
    settings.RLS_ENFORCED = rls_enforced
    own, foreign = sides["own"], sides["foreign"]
    scopes = ["matching:read", "matching:write"]
    bound = key(sides["accountmanager"], scopes=scopes, municipality=foreign.municipality)
    assert bound.get(f"{API}/vacancies/{own.vacancy.pk}/candidates/").status_code == 404
    assert _candidates(bound, foreign.vacancy) == {foreign.profile.pk}
    proposals = _rows(bound, "proposals")
    assert {p["resident"] for p in proposals} == {foreign.resident.pk}
    assert {p["vacancy"] for p in proposals} == {foreign.placed_vacancy.pk}
    placements = _rows(bound, "placements")
    assert len(placements) == 1
    assert Proposal.objects.get(placement__pk=placements[0]["id"]).resident == foreign.resident


def test_a_key_of_another_municipality_cannot_propose_one_of_its_residents(sides):
    own, foreign = sides["own"], sides["foreign"]
    scopes = ["matching:read", "matching:write"]
    bound = key(sides["accountmanager"], scopes=scopes, municipality=foreign.municipality)

    def propose(vacancy, profile_id):
        return bound.post(
            f"{API}/proposals/", {"vacancy": vacancy.pk, "profile": profile_id}, format="json"
        )

    nonexistent = propose(foreign.vacancy, MISSING)
    assert nonexistent.status_code == 404
    response = propose(foreign.vacancy, own.profile.pk)
    assert (response.status_code, response.json()) == (404, nonexistent.json())
    assert propose(own.vacancy, foreign.profile.pk).status_code == 404
    assert not Proposal.objects.filter(vacancy=foreign.vacancy).exists()
    assert propose(foreign.vacancy, foreign.profile.pk).status_code == 201


def test_controls_the_unrestricted_key_reads_the_region_and_no_scope_reads_nothing(sides):
    own, foreign = sides["own"], sides["foreign"]
    region = key(sides["accountmanager"], scopes=["matching:read"])
    assert _candidates(region, foreign.vacancy) == {own.profile.pk, foreign.profile.pk}
    assert len(_rows(region, "proposals")) == len(_rows(region, "placements")) == 2
    assert region.post(f"{API}/proposals/", {}, format="json").status_code == 403  # read only
    other_scope = key(sides["accountmanager"], scopes=["employers:read"])
    for path in (f"vacancies/{foreign.vacancy.pk}/candidates", "proposals", "placements"):
        response = other_scope.get(f"{API}/{path}/")
        assert response.status_code == 403, path
        assert response.json()["errors"][0]["code"] == "scope"
