"""Issue 12, finding 1: separation of duties in the user admin (/beheer/caseload/user/).

The functioneel beheerder manages the accounts of the operational roles only (consulent,
teamleider, manager, financien, accountmanager). It never grants superuser, staff, permissions, groups or the
roles beheer and privacy; it cannot touch its own account, another beheerder, the privacy officer
or a superuser; passwords are reset through an e-mailed one-time link, never a set-password form;
every role change lands in the processing log with the person who made it.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from caseload.demo import BEHEER_APPS, BEHEER_MODELS
from caseload.models import Role
from common.exceptions import DomainError
from privacy.models import Action, ProcessingRecord, Purpose
from tests import factories

ADMIN_USERS = "/beheer/caseload/user/"


@pytest.fixture
def beheerder(db):
    """A functioneel beheerder with the admin permissions the demo gives it (no superuser)."""
    user = factories.UserFactory(beheer=True, email="beheer@gemeente.example")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="caseload", content_type__model__in=BEHEER_MODELS
        )
        | Permission.objects.filter(content_type__app_label__in=BEHEER_APPS)
    )
    return user


@pytest.fixture
def admin_client(client, beheerder):
    client.force_login(beheerder)
    return client


@pytest.fixture
def privacy_officer(db):
    return factories.UserFactory(privacy=True, email="privacy@gemeente.example")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        beheer=True, is_superuser=True, username="technisch-beheer", email="root@gemeente.example"
    )


@pytest.fixture
def colleague(team):
    """An operational account the beheerder may manage."""
    return factories.UserFactory(team=team, email="consulent@gemeente.example")


def change_data(user, **overrides) -> dict:
    """Every field the (old or new) change form could take, as a browser would post it; an
    override of None drops the field (an unticked checkbox)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else None,
        "role": user.role,
        "team": user.team_id or "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_finding_1_beheer_cannot_make_itself_superuser_by_crafted_post(admin_client, beheerder):
    """Issue 12, finding 1: a crafted POST of is_superuser (and a new role) on the beheerder's own
    account changes nothing."""
    admin_client.post(
        f"{ADMIN_USERS}{beheerder.pk}/change/",
        change_data(beheerder, is_superuser="on", role=Role.MANAGER),
    )
    beheerder.refresh_from_db()
    assert not beheerder.is_superuser
    assert beheerder.role == Role.BEHEER


def test_finding_1_beheer_cannot_make_anyone_superuser_or_staff(admin_client, colleague):
    """Issue 12, finding 1: not on an operational account either: is_superuser and is_staff are
    not fields of the beheerder's form, and the server refuses them."""
    response = admin_client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/",
        change_data(colleague, is_superuser="on", is_staff="on", first_name="Gewijzigd"),
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.first_name == "Gewijzigd"  # the allowed part of the form was saved
    assert not colleague.is_superuser
    assert not colleague.is_staff


def test_finding_1_beheer_cannot_edit_permissions_or_groups(admin_client, colleague):
    """Issue 12, finding 1: user_permissions and groups cannot be set by the beheerder."""
    group = Group.objects.create(name="alles")
    perm = Permission.objects.get(codename="change_user")
    admin_client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/",
        change_data(colleague, user_permissions=[perm.pk], groups=[group.pk]),
    )
    assert not colleague.user_permissions.exists()
    assert not colleague.groups.exists()


@pytest.mark.parametrize("role", [Role.BEHEER, Role.PRIVACY])
def test_finding_1_beheer_cannot_give_role_beheer_or_privacy(admin_client, colleague, role):
    """Issue 12, finding 1: neither on an existing account nor on a new one."""
    admin_client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/", change_data(colleague, role=role, team="")
    )
    colleague.refresh_from_db()
    assert colleague.role == Role.CONSULENT
    admin_client.post(
        f"{ADMIN_USERS}add/",
        {
            "username": "nieuwe-beheerder",
            "password1": "een-lang-wachtwoord-2026",
            "password2": "een-lang-wachtwoord-2026",
            "usable_password": "true",
            "role": role,
            "team": "",
            "_save": "Opslaan",
        },
    )
    assert not factories.models.User.objects.filter(username="nieuwe-beheerder").exists()


def test_finding_1_beheer_cannot_change_its_own_role_or_team(admin_client, beheerder, team):
    """Issue 12, finding 1: its own account is not editable in the user admin at all."""
    response = admin_client.get(f"{ADMIN_USERS}{beheerder.pk}/change/")
    assert response.status_code in (302, 403, 404)
    admin_client.post(
        f"{ADMIN_USERS}{beheerder.pk}/change/",
        change_data(beheerder, role=Role.CONSULENT, team=team.pk),
    )
    beheerder.refresh_from_db()
    assert (beheerder.role, beheerder.team_id) == (Role.BEHEER, None)


def test_finding_1_beheer_cannot_see_or_edit_the_privacy_officer(
    admin_client, privacy_officer, superuser, colleague, team
):
    """Issue 12, finding 1: the privacy officer, superusers and other beheerders are outside the
    beheerder's reach: not listed, no change form, a crafted POST changes nothing."""
    other_beheer = factories.UserFactory(beheer=True)
    listing = admin_client.get(ADMIN_USERS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert colleague.username in html
    for untouchable in (privacy_officer, superuser, other_beheer):
        assert f"/{untouchable.pk}/change/" not in html
        assert admin_client.get(f"{ADMIN_USERS}{untouchable.pk}/change/").status_code != 200
        admin_client.post(
            f"{ADMIN_USERS}{untouchable.pk}/change/",
            change_data(
                untouchable, role=Role.CONSULENT, team=team.pk, first_name="X", is_active=None
            ),
        )
        before = (untouchable.role, untouchable.first_name, untouchable.is_active)
        untouchable.refresh_from_db()
        assert (untouchable.role, untouchable.first_name, untouchable.is_active) == before
    # nor can it send them a reset link (which would let it take the account over by e-mail)
    admin_client.post(f"{ADMIN_USERS}{privacy_officer.pk}/herstel-link/")
    admin_client.post(
        ADMIN_USERS,
        {"action": "password_reset_link_send", "_selected_action": [privacy_officer.pk]},
    )
    assert mail.outbox == []


def test_finding_1_admin_set_password_form_is_refused(admin_client, colleague, client):
    """Issue 12, finding 1: the admin's set-password form for another user is refused (GET and
    a crafted POST), for the beheerder and for a superuser alike."""
    url = f"{ADMIN_USERS}{colleague.pk}/password/"
    assert admin_client.get(url).status_code == 403
    admin_client.post(url, {"password1": "overgenomen-2026!", "password2": "overgenomen-2026!"})
    colleague.refresh_from_db()
    assert colleague.check_password("geheim-wachtwoord-123")
    root = factories.UserFactory(beheer=True, is_superuser=True)
    client.force_login(root)
    assert client.get(url).status_code == 403


def test_finding_1_superuser_cannot_set_is_superuser_in_the_ui(client, superuser, colleague):
    """Issue 12, finding 1: a superuser exists only through ``createsuperuser``: no UI path sets
    is_superuser, not even a superuser's."""
    client.force_login(superuser)
    response = client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/", change_data(colleague, is_superuser="on")
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_superuser


def _link_from(message) -> str:
    match = re.search(r"https?://testserver(/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_finding_1_reset_link_flow_end_to_end(admin_client, colleague, settings):
    """Issue 12, finding 1: "Stuur herstel-link" e-mails a one-time link; the link's Dutch page
    sets the password and sends the user to the login page (not logged in, so the second factor
    still applies); the link then no longer works."""
    confirm = admin_client.get(f"{ADMIN_USERS}{colleague.pk}/herstel-link/")
    assert confirm.status_code == 200
    assert "Stuur herstel-link" in confirm.content.decode()
    assert mail.outbox == []  # a GET sends nothing
    response = admin_client.post(f"{ADMIN_USERS}{colleague.pk}/herstel-link/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [colleague.email]
    link = _link_from(message)
    assert link.startswith("/inloggen/")

    settings.TWO_FACTOR_ENFORCED = True
    client = Client()  # the colleague's browser, not signed in
    first = client.get(link)
    assert first.status_code == 302  # the token moves out of the URL into the session
    form_page = client.get(first["Location"])
    html = form_page.content.decode()
    assert form_page.status_code == 200
    assert "Nieuw wachtwoord" in html
    assert "<script>" not in html and "style=" not in html
    done = client.post(
        first["Location"],
        {"new_password1": "Zomer-in-Hilversum-2026", "new_password2": "Zomer-in-Hilversum-2026"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/inloggen/"
    assert "_auth_user_id" not in client.session
    colleague.refresh_from_db()
    assert colleague.check_password("Zomer-in-Hilversum-2026")
    # one-time: the same link is dead now
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again
    assert "ongeldig" in again


def test_finding_1_reset_link_page_is_open_to_a_session_without_second_factor(
    admin_client, colleague, settings
):
    """Issue 12, finding 1: a browser that passed only the password step (two-factor enforced)
    can still use a reset link; the new password does not log it in past the second factor."""
    client = Client()  # the colleague's browser (a login ends earlier links: sign in first)
    client.force_login(colleague)
    admin_client.post(
        ADMIN_USERS, {"action": "password_reset_link_send", "_selected_action": [colleague.pk]}
    )
    assert len(mail.outbox) == 1
    link = _link_from(mail.outbox[0])
    settings.TWO_FACTOR_ENFORCED = True  # (after the beheerder's request, which has no device)
    assert client.get("/").status_code == 302  # this browser still owes the second factor
    first = client.get(link)
    assert first.status_code == 302
    assert "tweestapsverificatie" not in first["Location"]
    assert client.get(first["Location"]).status_code == 200
    client.post(
        first["Location"],
        {"new_password1": "Herfst-in-Hilversum-2026", "new_password2": "Herfst-in-Hilversum-2026"},
    )
    # the old session is gone with the old password: back to the login page
    assert client.get("/")["Location"].startswith("/inloggen/")


def test_finding_1_role_change_is_in_the_processing_log_with_the_actor(
    admin_client, beheerder, colleague, team
):
    """Issue 12, finding 1: a role and team change through the admin writes a processing record
    (purpose beheer, action update, the staff member's id) naming the beheerder and old -> new."""
    other_team = factories.TeamFactory(municipality=team.municipality, name="Inkomen")
    response = admin_client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/",
        change_data(colleague, role=Role.TEAMLEIDER, team=other_team.pk),
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.role, colleague.team_id) == (Role.TEAMLEIDER, other_team.pk)
    record = ProcessingRecord.objects.get(
        purpose=Purpose.ADMINISTRATION, object_type="medewerker", object_id=str(colleague.pk)
    )
    assert record.action == Action.UPDATE
    assert (record.user_id, record.username) == (beheerder.pk, beheerder.username)
    assert "consulent -> teamleider" in record.reason
    assert f"{team.name} -> Inkomen" in record.reason


def test_finding_1_deactivation_and_superuser_grants_are_logged(client, superuser, colleague):
    """Issue 12, finding 1: is_active, is_staff, permissions and groups changes (here by a
    technical administrator, the only one who may grant them) are logged with the actor too."""
    client.force_login(superuser)
    perm = Permission.objects.get(codename="view_team")
    client.post(
        f"{ADMIN_USERS}{colleague.pk}/change/",
        change_data(colleague, is_active=None, is_staff="on", user_permissions=[perm.pk]),
    )
    colleague.refresh_from_db()
    assert not colleague.is_active and colleague.is_staff
    reasons = " ".join(
        ProcessingRecord.objects.filter(
            object_type="medewerker", object_id=str(colleague.pk), username=superuser.username
        ).values_list("reason", flat=True)
    )
    assert "actief: ja -> nee" in reasons
    assert "staf: nee -> ja" in reasons
    assert "caseload.view_team" in reasons


def test_finding_1_beheer_adds_an_operational_user_without_a_password(admin_client, team):
    """Issue 12, finding 1: a new account gets no password from the beheerder (the user sets it
    through a reset link); its creation with role and team is logged."""
    response = admin_client.post(
        f"{ADMIN_USERS}add/",
        {
            "username": "nieuwe-consulent",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@gemeente.example",
            "role": Role.CONSULENT,
            "team": team.pk,
            "password1": "een-lang-wachtwoord-2026",
            "password2": "een-lang-wachtwoord-2026",
            "is_superuser": "on",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = factories.models.User.objects.get(username="nieuwe-consulent")
    assert not user.has_usable_password()
    assert not user.is_superuser and not user.is_staff
    record = ProcessingRecord.objects.get(object_type="medewerker", object_id=str(user.pk))
    assert record.action == Action.CREATE
    assert "consulent" in record.reason


def test_finding_1_role_change_service_guards_separation_of_duties(
    beheerder, colleague, privacy_officer, superuser
):
    """Issue 12, finding 1: the service refuses what the admin hides, whoever calls it."""
    from caseload.services import user_role_change

    with pytest.raises(DomainError):
        user_role_change(actor=beheerder, user=colleague, role=Role.PRIVACY, team=None)
    with pytest.raises(DomainError):
        user_role_change(actor=beheerder, user=beheerder, role=Role.MANAGER, team=None)
    with pytest.raises(DomainError):
        user_role_change(actor=beheerder, user=privacy_officer, role=Role.MANAGER, team=None)
    with pytest.raises(DomainError):
        user_role_change(actor=colleague, user=colleague, role=Role.MANAGER, team=None)
    # a technical administrator appoints a beheerder; the record names the superuser
    user_role_change(actor=superuser, user=colleague, role=Role.BEHEER, team=None)
    colleague.refresh_from_db()
    assert colleague.role == Role.BEHEER
    record = ProcessingRecord.objects.get(object_type="medewerker", object_id=str(colleague.pk))
    assert record.username == superuser.username
    assert "consulent -> beheer" in record.reason


def test_finding_1_demo_beheer_is_no_superuser_and_manages_operational_accounts(db, client):
    """Issue 12, finding 1: the demo's beheerder gets its admin rights from its role's
    permissions, not from superuser status; in the admin it reaches the operational accounts
    and not the privacy officer's or its own."""
    import datetime as dt

    from caseload.demo import generate_demo
    from caseload.models import User

    generate_demo(households=100, seed=42, today=dt.date(2026, 11, 22), years=1, password="x")
    assert not User.objects.filter(is_superuser=True).exists()
    beheer = User.objects.get(username="beheer")
    privacy = User.objects.get(username="privacy")
    consulent = User.objects.get(username="consulent")
    client.force_login(beheer)
    html = client.get(f"{ADMIN_USERS}?all=").content.decode()
    assert f"/{consulent.pk}/change/" in html
    assert f"/{privacy.pk}/change/" not in html
    assert f"/{beheer.pk}/change/" not in html
    assert client.get(f"{ADMIN_USERS}{consulent.pk}/change/").status_code == 200


def test_beheer_manages_account_manager_accounts_bound_to_a_municipality_or_the_region(
    admin_client,
):
    """Issue 18 with issue 17: the account manager (werkgeversservicepunt) is an operational
    role. Functioneel beheer creates the account, bound to one municipality (its candidate
    lists, employers and database rows are that municipality's) or left unbound (the WSP works
    for the region), and changes that binding; every change is logged."""
    north = factories.MunicipalityFactory(cbs_code="GM9201", name="Noordwijk")
    form = admin_client.get(f"{ADMIN_USERS}add/").content.decode()
    assert f'<option value="{Role.ACCOUNT_MANAGER}">' in form
    response = admin_client.post(
        f"{ADMIN_USERS}add/",
        {
            "username": "wsp-noord",
            "first_name": "Wim",
            "last_name": "Werkgever",
            "email": "wim@gemeente.example",
            "role": Role.ACCOUNT_MANAGER,
            "team": "",
            "municipality": north.pk,
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = factories.models.User.objects.get(username="wsp-noord")
    assert (user.role, user.team_id, user.municipality_id) == (Role.ACCOUNT_MANAGER, None, north.pk)
    # unbound: the whole region (every municipality of the installation)
    response = admin_client.post(
        f"{ADMIN_USERS}{user.pk}/change/", change_data(user, municipality="")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.municipality_id is None
    records = ProcessingRecord.objects.filter(object_type="medewerker", object_id=str(user.pk))
    assert records.count() == 2
    assert "gemeente: - -> Noordwijk" in records.earliest("pk").reason
    assert records.latest("pk").reason == "gemeente: Noordwijk -> -"


def test_beheer_resets_a_colleagues_lost_authenticator(admin_client, colleague, privacy_officer):
    """The security probe of 4 December: docs/security.md sent the functioneel beheerder to the
    device admin for a lost phone, which answers 403 for beheer. The account page now offers
    "Tweestapsverificatie opnieuw instellen" for the accounts beheer may change, and only those."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from common.two_factor import user_has_confirmed_device

    for user in (colleague, privacy_officer):
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    url = f"{ADMIN_USERS}{colleague.pk}/tweestapsverificatie/"
    change_page = admin_client.get(f"{ADMIN_USERS}{colleague.pk}/change/").content.decode()
    assert url in change_page
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Authenticator verwijderen" in confirm.content.decode()
    assert user_has_confirmed_device(colleague)  # a GET removes nothing
    done = admin_client.post(url, follow=True)
    assert not user_has_confirmed_device(colleague)
    assert "is verwijderd" in done.content.decode()
    again = admin_client.post(url, follow=True)
    assert "nog geen authenticator" in again.content.decode()
    # outside the beheerder's reach: as missing, and the device stays
    assert (
        admin_client.get(f"{ADMIN_USERS}{privacy_officer.pk}/tweestapsverificatie/").status_code
        == 404
    )
    admin_client.post(f"{ADMIN_USERS}{privacy_officer.pk}/tweestapsverificatie/")
    assert user_has_confirmed_device(privacy_officer)
