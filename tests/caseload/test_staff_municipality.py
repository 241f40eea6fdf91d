"""Issue 17: functioneel beheer binds a manager, finance or WSP account to one municipality in the
user admin (/beheer/caseload/user/). The binding fits the role (a team role works for its
team's municipality; beheer, privacy and the regional role serve the whole installation), is
logged like a team change (processing record with the actor, old -> new), and row-level
security then scopes the account's requests to that municipality."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from caseload.demo import BEHEER_APPS, BEHEER_MODELS
from caseload.models import Role, User
from caseload.services import user_role_change
from common import rls
from common.exceptions import DomainError
from privacy.models import Action, ProcessingRecord, Purpose
from tests import factories
from tests.security.test_admin_separation import ADMIN_USERS, change_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder():
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
def superuser():
    return factories.UserFactory(beheer=True, is_superuser=True, username="technisch-beheer")


@pytest.fixture
def two_municipalities():
    return (
        factories.MunicipalityFactory(cbs_code="GM9101", name="Noordstad"),
        factories.MunicipalityFactory(cbs_code="GM9102", name="Zuiddorp"),
    )


def test_beheer_binds_a_manager_to_a_municipality_and_it_is_logged(
    admin_client, beheerder, two_municipalities
):
    north, south = two_municipalities
    manager = factories.UserFactory(manager=True, email="m@gemeente.example")
    response = admin_client.post(
        f"{ADMIN_USERS}{manager.pk}/change/", change_data(manager, municipality=north.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    manager.refresh_from_db()
    assert manager.municipality_id == north.pk
    record = ProcessingRecord.objects.get(
        purpose=Purpose.ADMINISTRATION, object_type="medewerker", object_id=str(manager.pk)
    )
    assert record.action == Action.UPDATE
    assert (record.user_id, record.username) == (beheerder.pk, beheerder.username)
    assert record.reason == "gemeente: - -> Noordstad"
    # moved to the other municipality, then unbound (every municipality again): logged each time
    admin_client.post(
        f"{ADMIN_USERS}{manager.pk}/change/",
        change_data(manager, municipality=south.pk),
    )
    admin_client.post(f"{ADMIN_USERS}{manager.pk}/change/", change_data(manager, municipality=""))
    manager.refresh_from_db()
    assert manager.municipality_id is None
    reasons = list(
        ProcessingRecord.objects.filter(object_type="medewerker", object_id=str(manager.pk))
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    # another municipality is new access: it waits for the privacy officer (security review
    # of 3 December); binding to one municipality (above) narrows and needs no approval
    assert reasons[1:] == [
        "gemeente: Noordstad -> Zuiddorp; toegang: goedgekeurd -> wacht op goedkeuring",
        "gemeente: Zuiddorp -> -",
    ]


def test_the_binding_of_a_finance_account_scopes_its_requests_in_the_database(
    admin_client, two_municipalities
):
    north, south = two_municipalities
    finance = factories.UserFactory(finance=True, email="f@gemeente.example")
    assert rls.user_municipality_ids(finance) == sorted([north.pk, south.pk])
    response = admin_client.post(
        f"{ADMIN_USERS}{finance.pk}/change/", change_data(finance, municipality=south.pk)
    )
    assert response.status_code == 302
    finance = User.objects.get(pk=finance.pk)
    assert rls.user_municipality_ids(finance) == [south.pk]


def test_a_team_role_cannot_be_bound_and_the_form_keeps_what_was_typed(
    admin_client, team, two_municipalities
):
    north, _south = two_municipalities
    consulent = factories.UserFactory(team=team, email="c@gemeente.example")
    response = admin_client.post(
        f"{ADMIN_USERS}{consulent.pk}/change/",
        change_data(consulent, municipality=north.pk, first_name="Getypte naam"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "werkt voor de gemeente van het team: laat de gemeente leeg" in body
    assert 'value="Getypte naam"' in body
    assert f'<option value="{north.pk}" selected>' in body
    consulent.refresh_from_db()
    assert consulent.municipality_id is None and consulent.first_name != "Getypte naam"
    assert not ProcessingRecord.objects.filter(
        object_type="medewerker", object_id=str(consulent.pk)
    ).exists()


def test_a_new_manager_account_is_created_bound(admin_client, two_municipalities):
    north, _south = two_municipalities
    response = admin_client.post(
        f"{ADMIN_USERS}add/",
        {
            "username": "manager-noord",
            "first_name": "Mo",
            "last_name": "Noord",
            "email": "mo@gemeente.example",
            "role": Role.MANAGER,
            "team": "",
            "municipality": north.pk,
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="manager-noord")
    assert user.municipality_id == north.pk
    record = ProcessingRecord.objects.get(object_type="medewerker", object_id=str(user.pk))
    assert record.action == Action.CREATE and "gemeente: - -> Noordstad" in record.reason


def test_the_service_refuses_a_binding_that_does_not_fit_the_role(
    superuser, team, two_municipalities
):
    north, _south = two_municipalities
    for role in (Role.BEHEER, Role.PRIVACY, Role.REGION):
        user = factories.UserFactory(role=role, team=None)
        with pytest.raises(DomainError) as refused:
            user_role_change(actor=superuser, user=user, role=role, team=None, municipality=north)
        assert refused.value.code == "municipality_role"
    consulent = factories.UserFactory(team=team)
    with pytest.raises(DomainError) as refused:
        user_role_change(
            actor=superuser, user=consulent, role=Role.CONSULENT, team=team, municipality=north
        )
    assert refused.value.code == "municipality_team_role"
    # an accountmanager (WSP) may be bound, by the technical administrator who manages it
    wsp = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    user_role_change(
        actor=superuser, user=wsp, role=Role.ACCOUNT_MANAGER, team=None, municipality=north
    )
    wsp.refresh_from_db()
    assert wsp.municipality_id == north.pk
    # leaving the municipality out keeps it
    user_role_change(actor=superuser, user=wsp, role=Role.ACCOUNT_MANAGER, team=None)
    wsp.refresh_from_db()
    assert wsp.municipality_id == north.pk
