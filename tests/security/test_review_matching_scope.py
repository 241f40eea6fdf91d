"""Review of `983324c` (issue 17 round), finding 3 (these tests fail on `983324c`): proposing a resident checks the profile against
the caller's team only, never against a key's or an account's municipality binding; row-level
security is the only fence.

``matching/selectors.py`` ``profile_for_proposal`` filters on ``Resident.objects.visible_to``
only when the user has a team; an account manager's key bound to municipality B
(``ApiToken.municipality``), or an account manager bound to B (``User.municipality``, issue 17),
gets every profile of the installation. Issue 17 asks for two fences (docs/row-level-security.md;
commits ea79c9c and 46664f7 fixed the same gap for the candidate list and the employers): run
with the policies off (``RLS_ENFORCED=False``, as tests/security/test_matching_keys.py does), the
application's own scoping lets the bound caller propose municipality A's resident, which also
reveals the resident's name on the candidate page afterwards.

Finding 6 (same file): a teamleider reads the names of another team's
residents on a vacancy's candidate page.

A teamleider sees the residents of their own team only (docs/security.md, section 1: "a
consulent or teamleider sees the residents of their own team"). ``matching:candidates`` is open
to the teamleider (``matching.view_candidates``) for every vacancy of the municipality, and lists
the vacancy's proposals through ``matching.selectors.proposals_of_vacancy`` without any scope:
each row shows ``p.resident.full_name`` (templates/matching/candidates.html). Row-level security
does not help (same municipality). So a teamleider learns who in the other teams receives
assistance and was proposed where, without break-the-glass.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from caseload.models import Role
from common import clock
from matching import services as ms
from matching.models import Proposal
from tests import factories
from tests.security.test_matching_keys import API, Side, key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def sides():
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    own = Side(name="Eigenstad", cbs_code="GM9951", kvk="12345678", accountmanager=accountmanager)
    foreign = Side(
        name="Buurdorp", cbs_code="GM9952", kvk="87654321", accountmanager=accountmanager
    )
    return {"own": own, "foreign": foreign, "accountmanager": accountmanager}


def test_a_bound_key_cannot_propose_another_municipalitys_resident_application_alone(
    sides, settings
):
    settings.RLS_ENFORCED = False  # the application's scoping alone (issue 17's first fence)
    own, foreign = sides["own"], sides["foreign"]
    bound = key(
        sides["accountmanager"],
        scopes=["matching:read", "matching:write"],
        municipality=foreign.municipality,
    )
    response = bound.post(
        f"{API}/proposals/",
        {"vacancy": foreign.vacancy.pk, "profile": own.profile.pk},
        format="json",
    )
    assert response.status_code == 404, response.content
    assert not Proposal.objects.filter(resident=own.resident).exists()


def test_a_bound_account_manager_cannot_propose_another_municipalitys_resident_application_alone(
    sides, settings
):
    settings.RLS_ENFORCED = False
    own, foreign = sides["own"], sides["foreign"]
    manager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    manager.municipality = foreign.municipality
    manager.save(update_fields=["municipality"])
    client = Client()
    client.force_login(manager)
    response = client.post(
        reverse("matching:propose", kwargs={"pk": foreign.vacancy.pk}),
        {"profile": own.profile.pk, "motivation": "past goed"},
    )
    assert not Proposal.objects.filter(resident=own.resident).exists(), (
        f"an account manager bound to {foreign.municipality.name} proposed a resident of "
        f"{own.municipality.name} (status {response.status_code})"
    )


@pytest.fixture
def proposed():
    """A vacancy with one proposal, made by the account manager (returned with the side)."""
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    side = Side(name="Eigenstad", cbs_code="GM9961", kvk="12345678", accountmanager=accountmanager)
    ms.proposal_create(
        vacancy=side.vacancy,
        resident=side.resident,
        by=accountmanager,
        motivation="past goed",
        score=None,
    )
    return side, accountmanager


def test_teamleider_does_not_see_other_teams_proposed_residents_by_name(proposed):
    side, _accountmanager = proposed
    other_team = factories.TeamFactory(municipality=side.municipality, name="Werk Noord")
    teamleider = factories.UserFactory(teamleider=True, team=other_team)
    client = Client()
    client.force_login(teamleider)
    response = client.get(reverse("matching:candidates", kwargs={"pk": side.vacancy.pk}))
    assert response.status_code == 200
    assert escape(side.resident.last_name) not in response.content.decode(), (
        "the teamleider of another team reads the proposed resident's name"
    )


def test_the_residents_own_teamleider_sees_the_name_and_the_other_one_a_count(proposed):
    side, accountmanager = proposed
    own = factories.UserFactory(teamleider=True, team=side.resident.team)
    other = factories.UserFactory(
        teamleider=True,
        team=factories.TeamFactory(municipality=side.municipality, name="Werk Zuid"),
    )
    url = reverse("matching:candidates", kwargs={"pk": side.vacancy.pk})
    pages = {}
    for user in (own, other, accountmanager):
        client = Client()
        client.force_login(user)
        pages[user.pk] = client.get(url).content.decode()
    assert escape(side.resident.last_name) in pages[own.pk]
    assert escape(side.resident.last_name) in pages[accountmanager.pk]
    assert "Nog 1 voordracht van een inwoner van een ander team" in pages[other.pk]
    assert "ander team" not in pages[own.pk]
