"""The role -> permission mapping, field grants from a team kind, and the permission backend
(``user.has_perm``, issue 16 point 4)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from caseload.models import Resident, Role, Team
from caseload.permissions import CaseloadPermission
from common.permissions import all_codenames
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
    assert user.has_perm(V) is dossier
    assert user.has_perm(F) is fraud
    assert user.has_perm(H) is health
    assert user.has_perm(D) is dash
    assert user.has_perm("budget.view_budget") is budget
    assert user.has_perm(CaseloadPermission.CONFIGURE) is conf


def test_aggregate_roles_see_no_dossier(db):
    factories.ResidentFactory()
    for trait in ("manager", "finance", "beheer", "privacy"):
        user = factories.UserFactory(**{trait: True})
        assert not user.has_perm(V)
        assert not Resident.objects.visible_to(user).exists()


def test_handhaving_team_brings_the_fraud_grant(db):
    enforcement = factories.TeamFactory(kind=Team.Kind.ENFORCEMENT)
    work = factories.TeamFactory(kind=Team.Kind.WORK)
    assert factories.UserFactory(team=enforcement).has_perm(F)
    assert not factories.UserFactory(team=work).has_perm(F)


def test_superuser_has_all_inactive_and_anonymous_none(db):
    from django.contrib.auth.models import AnonymousUser

    admin = factories.UserFactory(manager=True, is_superuser=True)
    assert admin.has_perm(F) and admin.has_perm(H)
    inactive = factories.UserFactory(role="teamleider", is_active=False)
    assert not inactive.has_perm(V)
    assert inactive.get_all_permissions() == set()
    assert not AnonymousUser().has_perm(V)


def test_mapping_is_configuration(db, settings):
    settings.ROLE_PERMISSIONS = {**settings.ROLE_PERMISSIONS, "consulent": ["caseload.view_fraud"]}
    user = factories.UserFactory()
    assert user.has_perm(F)
    assert not user.has_perm(H)


def test_role_checks_do_not_query_for_role_permissions(db, django_assert_num_queries):
    user = factories.UserFactory(role="teamleider")
    user = type(user).objects.get(pk=user.pk)  # fresh: team not loaded
    with django_assert_num_queries(0):
        assert user.has_perm(V)
        assert not user.has_perm("budget.view_budget")


# --- Issue 16, point 4: one permission backend; user.has_perm is the one path --------------------

PROJECT = Path(__file__).resolve().parents[2]
APPS = ("caseload", "intake", "indicators", "budget", "apiauth", "privacy", "common", "config")


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", sorted(settings.ROLE_PERMISSIONS))
def test_point_4_backend_gives_exactly_the_matrix_per_role(db, role):
    """Issue 16, point 4: ``user.has_perm`` and ``get_all_permissions`` give exactly the role's
    row of ``ROLE_PERMISSIONS``, for every declared codename, through Django's auth API."""
    team = (
        factories.TeamFactory(kind=Team.Kind.WORK) if role in ("consulent", "teamleider") else None
    )
    user = _fresh(factories.UserFactory(role=role, team=team))
    expected = {str(p) for p in settings.ROLE_PERMISSIONS[role]}
    assert user.get_all_permissions() == expected
    for codename in all_codenames():
        assert user.has_perm(codename) is (codename in expected), (role, codename)
    assert user.has_perms(expected)


def test_point_4_team_kind_and_service_account_extras_through_has_perm(db, settings):
    """Issue 16, point 4: the extras of a team kind and of a service account come through the
    same backend."""
    enforcement = factories.TeamFactory(kind=Team.Kind.ENFORCEMENT)
    member = _fresh(factories.UserFactory(team=enforcement))
    assert member.has_perm(F)
    assert F in member.get_all_permissions()
    settings.SERVICE_ACCOUNT_PERMISSIONS = [str(F)]
    from apiauth import services as apiauth_services

    account = apiauth_services.service_account_create(
        username="koppeling-test",
        municipality=factories.MunicipalityFactory(),
        description="test",
    )
    account = _fresh(account)
    assert account.has_perm(F)
    assert not account.has_perm(V)
    settings.SERVICE_ACCOUNT_PERMISSIONS = []
    assert not _fresh(account).has_perm(F)


def test_point_4_backend_is_listed_before_model_backend():
    """Issue 16, point 4: the role backend answers before ModelBackend, which stays listed for
    the admin's model permissions."""
    backends = settings.AUTHENTICATION_BACKENDS
    role = backends.index("common.auth_backends.RolePermissionBackend")
    assert role < backends.index("django.contrib.auth.backends.ModelBackend")


def test_point_4_role_backend_grants_no_admin_permission(db):
    """Issue 16, point 4: no declared role codename is a model permission, and a staff user of
    any role without permission rows gets no admin model or module permission."""
    from django.contrib.auth.models import Permission

    model_perms = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert model_perms, "the test database has no permission rows"
    assert not set(all_codenames()) & model_perms
    for role in settings.ROLE_PERMISSIONS:
        team = factories.TeamFactory() if role in ("consulent", "teamleider") else None
        user = _fresh(factories.UserFactory(role=role, team=team, is_staff=True))
        assert not any(user.has_perm(p) for p in model_perms), role
        assert not any(user.has_module_perms(c.label) for c in apps.get_app_configs()), role
        assert user.get_all_permissions() == {str(p) for p in settings.ROLE_PERMISSIONS[role]}


def test_point_4_model_permissions_still_come_from_model_backend(db):
    """Issue 16, point 4: the beheerder's admin rights (permission rows) keep working next to
    the role's permissions."""
    from django.contrib.auth.models import Permission

    user = factories.UserFactory(beheer=True)
    user.user_permissions.add(Permission.objects.get(codename="change_team"))
    user = _fresh(user)
    assert user.has_perm("caseload.change_team")
    assert user.has_module_perms("caseload")
    assert user.has_perm(CaseloadPermission.CONFIGURE)
    assert not user.has_perm("caseload.delete_team")


def test_point_4_templates_use_perms(db):
    """Issue 16, point 4: templates check with Django's ``perms``."""
    from django.contrib.auth.context_processors import PermWrapper
    from django.template import Context, Template

    template = Template("{% if perms.caseload.reassign_resident %}ja{% else %}nee{% endif %}")
    lead = factories.UserFactory(teamleider=True)
    consulent = factories.UserFactory()
    assert template.render(Context({"perms": PermWrapper(lead)})) == "ja"
    assert template.render(Context({"perms": PermWrapper(consulent)})) == "nee"


def _clone(code: str, source: str, **changes):
    from dataclasses import fields

    from indicators.registry import indicator_get, indicator_register

    defn = indicator_get(source)
    attrs = {f.name: getattr(defn, f.name) for f in fields(defn) if f.name not in ("sql", "code")}
    attrs.update(changes)
    indicator_register(code=code, **attrs)(lambda: defn.sql)


def test_point_4_indicator_definitions_declare_the_drilldown_permission(db, settings):
    """Issue 16, point 4: the drill-down checks the permission a definition declares
    (``required_permission``), not a code prefix."""
    from django.core.exceptions import PermissionDenied

    from indicators import selectors
    from indicators.registry import RegistryError, indicator_get, indicator_unregister

    assert indicator_get("enforcement.fraud_effect").required_permission == F
    # a consulent who also sees the dashboards: the drill-down, but no fraud grant
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "consulent": [*settings.ROLE_PERMISSIONS["consulent"], str(D)],
    }
    team = factories.TeamFactory(kind=Team.Kind.WORK)
    consulent = _fresh(factories.UserFactory(team=team))
    lead = _fresh(factories.UserFactory(team=team, teamleider=True))
    args = {"municipality": team.municipality, "year": 2025}
    try:
        # a definition outside the enforcement family that declares the fraud grant
        _clone("zz.fraud_behind", "enforcement.fraud_effect", required_permission=str(F))
        # an enforcement code that declares none
        _clone("enforcement.zz_open", "enforcement.fraud_effect", required_permission="")
        with pytest.raises(PermissionDenied):
            selectors.indicator_residents(user=consulent, code="zz.fraud_behind", **args)
        with pytest.raises(PermissionDenied):
            selectors.indicator_residents(user=consulent, code="enforcement.fraud_effect", **args)
        assert list(selectors.indicator_residents(user=lead, code="zz.fraud_behind", **args)) == []
        opened = selectors.indicator_residents(user=consulent, code="enforcement.zz_open", **args)
        assert list(opened) == []
        with pytest.raises(RegistryError):
            _clone("zz.bad_permission", "enforcement.fraud_effect", required_permission="fraud")
    finally:
        for code in ("zz.fraud_behind", "enforcement.zz_open", "zz.bad_permission"):
            indicator_unregister(code)


#: the ad-hoc guard helpers that issue 16 removed, and the old helper
_GONE = re.compile(
    r"user_has_permission|def _guard\b|def _team_user\b|def _require_beheer\b"
    r"|def _require_budget_role\b|def can_view_dashboards\b|def can_edit_targets\b"
    r"|def can_view_budget\b|FRAUD_INDICATOR_PREFIXES|startswith\(\s*\"enforcement"
)


def test_point_4_has_perm_is_the_one_path():
    """Issue 16, point 4: no module checks a permission through a helper of its own: the old
    ``user_has_permission`` and the ad-hoc guards are gone, and no view or API module reads the
    role matrix itself."""
    offenders = []
    for app in APPS:
        for path in (PROJECT / app).rglob("*.py"):
            text = path.read_text()
            rel = path.relative_to(PROJECT)
            if _GONE.search(text):
                offenders.append(f"{rel}: {_GONE.search(text).group(0)}")
            interface = path.name in ("views.py", "api.py") or path.parent.name == "api"
            if interface and "ROLE_PERMISSIONS" in text:
                offenders.append(f"{rel}: reads ROLE_PERMISSIONS")
    for path in (PROJECT / "tests").rglob("*.py"):
        if path.name != "test_permissions.py" and "user_has_permission" in path.read_text():
            offenders.append(str(path.relative_to(PROJECT)))
    assert offenders == []


def test_point_4_role_backend_authenticates_nobody(db, client):
    """Issue 16, point 4: the role backend neither checks passwords nor loads session users; a
    login keeps naming ModelBackend in the session."""
    from django.contrib.auth import BACKEND_SESSION_KEY, authenticate

    user = factories.UserFactory()
    found = authenticate(username=user.username, password="geheim-wachtwoord-123")
    assert found == user
    assert found.backend == "django.contrib.auth.backends.ModelBackend"
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
