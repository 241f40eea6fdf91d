# ruff: noqa: F811 - pytest fixtures imported from test_admin_separation
"""HIGH finding of the security review of 3 December (afternoon): functioneel beheer created an
operational account with an e-mail address of its own choosing, sent it the reset link, and so
read dossiers, exported a team and revealed BSNs without a second person; moving an account to
another team or municipality, or making a team a handhaving team, did the same for existing
accounts. Such access now waits for the privacy officer's approval (four eyes), as API keys do
(docs/security.md, section 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from caseload.models import Role, Team, User
from caseload.services import user_access_decide, user_role_change
from common.exceptions import DomainError
from privacy.models import BreakGlassGrant, ProcessingRecord
from tests import factories

from .test_admin_separation import (  # noqa: F401 - the fixtures
    ADMIN_USERS,
    admin_client,
    beheerder,
    change_data,
    colleague,
    privacy_officer,
    superuser,
)

pytestmark = pytest.mark.django_db

APPROVALS = reverse("privacy:access_approvals")


@pytest.fixture
def foreign_resident(db):
    """A resident of another municipality's team: what the shadow account was made to read."""
    elsewhere = factories.MunicipalityFactory(name="Buurgemeente", cbs_code="GM9801")
    team = factories.TeamFactory(municipality=elsewhere)
    return factories.ResidentFactory(team=team, household__municipality=elsewhere)


def _pages(client, resident) -> dict[str, int]:
    return {
        "worklist": client.get(reverse("caseload:worklist")).status_code,
        "dossier": client.get(reverse("caseload:dossier", args=[resident.pk])).status_code,
        "export": client.get(reverse("caseload:worklist_export")).status_code,
    }


def test_an_account_beheer_creates_reads_nothing_until_the_privacy_officer_approves(
    admin_client, client, beheerder, privacy_officer, foreign_resident
):
    response = admin_client.post(
        f"{ADMIN_USERS}add/",
        {
            "username": "schaduw",
            "email": "beheer-prive@example.org",
            "role": Role.TEAMLEIDER,
            "team": foreign_resident.team_id,
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302
    shadow = User.objects.get(username="schaduw")
    assert shadow.access_pending and shadow.access_changed_by == beheerder
    client.force_login(shadow)
    assert set(_pages(client, foreign_resident).values()) == {403}
    home = client.get("/").content.decode()
    assert "Uw toegang wacht op goedkeuring door de privacy officer" in home
    assert reverse("caseload:worklist") not in home

    # the privacy officer sees it, with who made it, and approves it
    client.force_login(privacy_officer)
    page = client.get(APPROVALS).content.decode()
    assert "schaduw" in page and beheerder.username in page
    response = client.post(
        APPROVALS,
        {"account": shadow.pk, "decision": "goedkeuren", "changed_at": shadow.access_stamp},
    )
    assert response.status_code == 302
    shadow.refresh_from_db()
    assert not shadow.access_pending and shadow.access_decided_by == privacy_officer
    client.force_login(shadow)
    assert _pages(client, foreign_resident) == {"worklist": 200, "dossier": 200, "export": 200}
    # both steps in the processing log, with their actors
    reasons = dict(
        ProcessingRecord.objects.filter(object_type="medewerker", object_id=str(shadow.pk))
        .order_by("pk")
        .values_list("username", "reason")
    )
    assert "wacht op goedkeuring" in reasons[beheerder.username]
    assert "wacht op goedkeuring -> goedgekeurd" in reasons[privacy_officer.username]


def test_a_refusal_deactivates_the_account(client, beheerder, privacy_officer, team):
    account = User(username="nieuw", role=Role.CONSULENT, team=team)
    from caseload.services import user_create

    user_create(actor=beheerder, user=account)
    client.force_login(privacy_officer)
    response = client.post(
        APPROVALS,
        {"account": account.pk, "decision": "afwijzen", "changed_at": account.access_stamp},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active and not account.access_pending
    # decided: no second decision
    response = client.post(
        APPROVALS,
        {"account": account.pk, "decision": "goedkeuren", "changed_at": account.access_stamp},
    )
    assert response.status_code == 422
    assert "wacht niet (meer) op goedkeuring" in response.content.decode()


def test_moving_or_reactivating_an_account_waits_for_approval(
    admin_client, beheerder, colleague, team
):
    other = factories.TeamFactory(
        municipality=factories.MunicipalityFactory(name="Buurgemeente", cbs_code="GM9801")
    )
    response = admin_client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/", change_data(colleague, team=other.pk)
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.team == other and colleague.access_pending
    assert not colleague.has_perm("caseload.view_dossier")

    # a change that gives no new access (the name) keeps an approved account approved
    approved = factories.UserFactory(team=team)
    admin_client.post(
        f"{ADMIN_USERS}{approved.pk}/change/", change_data(approved, first_name="Anders")
    )
    approved.refresh_from_db()
    assert approved.first_name == "Anders" and not approved.access_pending
    # deactivating is no new access; activating again is
    user_role_change(actor=beheerder, user=approved, role=approved.role, team=team, is_active=False)
    approved.refresh_from_db()
    assert not approved.access_pending
    user_role_change(actor=beheerder, user=approved, role=approved.role, team=team, is_active=True)
    approved.refresh_from_db()
    assert approved.access_pending


def test_binding_an_account_to_one_municipality_needs_no_approval(beheerder):
    """Narrowing is no new access: a manager of the installation bound to one municipality
    (issue 17) keeps working; moved to another municipality, it waits."""
    first = factories.MunicipalityFactory(name="Noordstad", cbs_code="GM9801")
    second = factories.MunicipalityFactory(name="Zuiddorp", cbs_code="GM9802")
    manager = factories.UserFactory(manager=True)
    user_role_change(
        actor=beheerder, user=manager, role=Role.MANAGER, team=None, municipality=first
    )
    manager.refresh_from_db()
    assert manager.municipality == first and not manager.access_pending
    user_role_change(
        actor=beheerder, user=manager, role=Role.MANAGER, team=None, municipality=second
    )
    manager.refresh_from_db()
    assert manager.access_pending


def test_a_team_made_handhaving_by_beheer_waits_with_its_members(
    admin_client, client, superuser, colleague, team
):
    url = f"/beheer/caseload/team/{team.pk}/change/"
    data = {"name": team.name, "municipality": team.municipality_id, "_save": "Opslaan"}
    response = admin_client.post(url, {**data, "kind": Team.Kind.ENFORCEMENT})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert Team.objects.get(pk=team.pk).kind == Team.Kind.ENFORCEMENT
    assert colleague.access_pending and not colleague.has_perm("caseload.view_fraud")
    # the technical administrator's own change needs no approval
    other = factories.UserFactory(team=factories.TeamFactory())
    client.force_login(superuser)
    other_url = f"/beheer/caseload/team/{other.team_id}/change/"
    response = client.post(
        other_url,
        {
            "name": other.team.name,
            "municipality": other.team.municipality_id,
            "kind": Team.Kind.ENFORCEMENT,
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.access_pending and other.has_perm("caseload.view_fraud")


def test_the_technical_administrator_needs_no_approval(superuser, team):
    from caseload.services import user_create

    account = user_create(actor=superuser, user=User(username="tb", role="consulent", team=team))
    assert not account.access_pending


def test_only_the_privacy_officer_decides_and_never_on_access_it_gave(
    beheerder, privacy_officer, superuser, team
):
    from caseload.services import user_create

    account = user_create(actor=beheerder, user=User(username="n", role="consulent", team=team))
    for actor in (beheerder, superuser, factories.UserFactory(manager=True)):
        with pytest.raises(DomainError) as refused:
            user_access_decide(user=account, by=actor, approve=True)
        assert refused.value.code == "not_privacy_officer"
    other_officer = factories.UserFactory(privacy=True)
    account.access_changed_by = other_officer
    account.save(update_fields=["access_changed_by"])
    with pytest.raises(DomainError) as refused:
        user_access_decide(user=account, by=other_officer, approve=True)
    assert refused.value.code == "own_access"
    assert user_access_decide(user=account, by=privacy_officer, approve=True).is_active


def test_the_approvals_page_is_the_privacy_officers(client, beheerder, privacy_officer):
    client.force_login(beheerder)
    assert client.get(APPROVALS).status_code == 403
    client.force_login(privacy_officer)
    page = client.get("/").content.decode()
    assert APPROVALS in page  # in the menu


# --- The re-review of the same day: the ways around the approval it found ----------------------


def test_a_pending_account_reads_nothing_through_the_api_intake_or_break_the_glass(
    client, beheerder, team
):
    """HIGH (re-review): the API and the intake pages scope by ``visible_to`` alone, and
    break-the-glass checked the role only: a pending consulent read its team's residents with
    their BSN through the API, a plan on the intake pages, and another team's resident after
    breaking the glass."""
    from caseload.services import user_create

    resident = factories.ResidentFactory(team=team, household__municipality=team.municipality)
    other = factories.ResidentFactory(
        team=factories.TeamFactory(municipality=team.municipality, name="Werk B"),
        household__municipality=team.municipality,
    )
    pending = user_create(
        actor=beheerder, user=User(username="wacht", role=Role.CONSULENT, team=team)
    )
    client.force_login(pending)
    assert client.get("/api/v1/caseload/residents/").json()["results"] == []
    assert client.get(f"/api/v1/caseload/residents/{resident.pk}/").status_code == 404
    assert client.get(reverse("intake:plan", args=[resident.pk])).status_code == 404
    assert client.get(reverse("intake:summary", args=[resident.pk])).status_code == 404
    glass = client.post(
        reverse("privacy:break_glass", args=[other.pk]),
        {"reason": "Inwoner belt over zijn uitkering, collega ziek"},
    )
    assert glass.status_code in (403, 404)
    assert not BreakGlassGrant.objects.exists()
    lead = user_create(
        actor=beheerder, user=User(username="wachtlead", role=Role.TEAMLEIDER, team=team)
    )
    client.force_login(lead)
    assert client.get(reverse("privacy:break_glass_review")).status_code == 403


def test_an_approval_is_of_the_change_the_officer_saw(
    client, beheerder, privacy_officer, colleague, team
):
    """MEDIUM (re-review): the officer saw a move to one team and approved; beheer had moved
    the account on to a handhaving team of another municipality in between, and that was
    approved. The page sends the change it showed; a later change is refused, to look again."""
    user_role_change(
        actor=beheerder,
        user=colleague,
        role=Role.CONSULENT,
        team=factories.TeamFactory(municipality=team.municipality, name="Werk B"),
    )
    colleague.refresh_from_db()
    seen = colleague.access_stamp
    elsewhere = factories.MunicipalityFactory(name="Verweg", cbs_code="GM9803")
    handhaving = factories.TeamFactory(municipality=elsewhere, kind=Team.Kind.ENFORCEMENT)
    user_role_change(actor=beheerder, user=colleague, role=Role.TEAMLEIDER, team=handhaving)
    client.force_login(privacy_officer)
    response = client.post(
        APPROVALS, {"account": colleague.pk, "decision": "goedkeuren", "changed_at": seen}
    )
    assert response.status_code == 422
    assert "intussen opnieuw gewijzigd" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.access_pending
    assert f'value="{colleague.access_stamp}"' in client.get(APPROVALS).content.decode()


def test_a_team_change_is_logged_for_a_member_already_waiting(beheerder, team, colleague):
    """LOW (re-review): a member already waiting got no record of the team's new kind."""
    from caseload.services import team_change

    user_role_change(
        actor=beheerder,
        user=colleague,
        role=Role.CONSULENT,
        team=factories.TeamFactory(municipality=team.municipality, name="Werk B"),
    )
    colleague.refresh_from_db()
    team_change(
        actor=beheerder,
        team=colleague.team,
        kind=Team.Kind.ENFORCEMENT,
        municipality=colleague.team.municipality,
    )
    reasons = list(
        ProcessingRecord.objects.filter(
            object_type="medewerker", object_id=str(colleague.pk)
        ).values_list("reason", flat=True)
    )
    assert any("soort team" in r and "handhaving" in r for r in reasons)


def test_the_admin_names_each_teams_municipality(admin_client, team):
    """The second walk of 3 December: four teams named "Handhaving" in the account form."""
    factories.TeamFactory(
        municipality=factories.MunicipalityFactory(name="Buurgemeente", cbs_code="GM9801"),
        name=team.name,
    )
    html = admin_client.get(f"{ADMIN_USERS}add/").content.decode()
    assert f"{team.name} ({team.municipality.name})" in html
    assert f"{team.name} (Buurgemeente)" in html
