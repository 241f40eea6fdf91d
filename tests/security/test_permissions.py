"""The role -> permission mapping, field grants from a team kind, and the helper."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from caseload.models import Resident, Role, Team
from caseload.permissions import CaseloadPermission
from common.permissions import all_codenames, user_has_permission, user_permissions
from indicators.permissions import IndicatorPermission
from intake.permissions import IntakePermission
from tests import factories

DOCS = Path(__file__).resolve().parents[2] / "docs/security.md"


def _configured_codenames() -> set[str]:
    names = {p for perms in settings.ROLE_PERMISSIONS.values() for p in perms}
    names |= {p for perms in settings.TEAM_KIND_PERMISSIONS.values() for p in perms}
    names |= set(settings.SERVICE_ACCOUNT_PERMISSIONS)
    names |= set(settings.TIMELINE_KIND_PERMISSIONS.values())
    return names


def test_every_role_has_an_entry():
    assert set(settings.ROLE_PERMISSIONS) == set(Role.values)
    assert set(settings.TEAM_KIND_PERMISSIONS) <= set(Team.Kind.values)


def test_every_configured_codename_is_declared_in_its_apps_enum():
    declared = all_codenames()
    labels = {c.label for c in apps.get_app_configs()}
    for name in _configured_codenames():
        app = name.split(".")[0]
        assert app in labels, name
        try:
            importlib.import_module(f"{app}.permissions")
        except ModuleNotFoundError:
            continue  # the app has not declared its enum yet (see docs/security.md)
        assert name in declared, f"{name} is not a member of {app}.permissions"


def test_every_codename_is_in_the_docs():
    text = DOCS.read_text()
    for name in set(all_codenames()) | _configured_codenames():
        assert f"`{name}`" in text, name


V = CaseloadPermission.VIEW_DOSSIER
F = CaseloadPermission.VIEW_FRAUD
H = IntakePermission.VIEW_HEALTH
D = IndicatorPermission.VIEW_DASHBOARDS

MATRIX = [
    # role, view dossier, fraud, health, dashboards, budget, configure
    ("consulent", True, False, True, False, False, False),
    ("teamleider", True, True, True, True, False, False),
    ("manager", False, False, False, True, False, False),
    ("financien", False, False, False, True, True, False),
    ("beheer", False, False, False, True, True, True),
    ("privacy", False, False, False, False, False, False),
]


@pytest.mark.parametrize(("role", "dossier", "fraud", "health", "dash", "budget", "conf"), MATRIX)
def test_role_matrix(db, role, dossier, fraud, health, dash, budget, conf):
    team = factories.TeamFactory() if role in ("consulent", "teamleider") else None
    user = factories.UserFactory(role=role, team=team)
    assert user_has_permission(user, V) is dossier
    assert user_has_permission(user, F) is fraud
    assert user_has_permission(user, H) is health
    assert user_has_permission(user, D) is dash
    assert user_has_permission(user, "budget.view_budget") is budget
    assert user_has_permission(user, CaseloadPermission.CONFIGURE) is conf


def test_aggregate_roles_see_no_dossier(db):
    factories.ResidentFactory()
    for trait in ("manager", "finance", "beheer", "privacy"):
        user = factories.UserFactory(**{trait: True})
        assert not user_has_permission(user, V)
        assert not Resident.objects.visible_to(user).exists()


def test_handhaving_team_brings_the_fraud_grant(db):
    enforcement = factories.TeamFactory(kind=Team.Kind.ENFORCEMENT)
    work = factories.TeamFactory(kind=Team.Kind.WORK)
    assert user_has_permission(factories.UserFactory(team=enforcement), F)
    assert not user_has_permission(factories.UserFactory(team=work), F)


def test_superuser_has_all_inactive_and_anonymous_none(db):
    from django.contrib.auth.models import AnonymousUser

    admin = factories.UserFactory(manager=True, is_superuser=True)
    assert user_has_permission(admin, F) and user_has_permission(admin, H)
    inactive = factories.UserFactory(role="teamleider", is_active=False)
    assert not user_has_permission(inactive, V)
    assert user_permissions(inactive) == frozenset()
    assert not user_has_permission(AnonymousUser(), V)
    assert not user_has_permission(None, V)


def test_mapping_is_configuration(db, settings):
    settings.ROLE_PERMISSIONS = {**settings.ROLE_PERMISSIONS, "consulent": ["caseload.view_fraud"]}
    user = factories.UserFactory()
    assert user_has_permission(user, F)
    assert not user_has_permission(user, H)


def test_role_checks_do_not_query_for_role_permissions(db, django_assert_num_queries):
    user = factories.UserFactory(role="teamleider")
    user = type(user).objects.get(pk=user.pk)  # fresh: team not loaded
    with django_assert_num_queries(0):
        assert user_has_permission(user, V)
        assert not user_has_permission(user, "budget.view_budget")
