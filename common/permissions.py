"""Who may do what: the role matrix, read from the settings.

Permission codenames are enums per app (``caseload.permissions.CaseloadPermission``,
``budget.permissions.BudgetPermission``, ...); their values are Django's ``"app_label.codename"``
strings (``"caseload.view_fraud"``), so an enum member goes straight into ``user.has_perm``. The
mapping lives in ``settings.ROLE_PERMISSIONS`` (role -> codenames), plus
``settings.TEAM_KIND_PERMISSIONS`` (team kind -> codenames that members of such a team get on top
of their role, e.g. Handhaving sees fraud investigations) and ``settings.SERVICE_ACCOUNT_PERMISSIONS``
(extra for connected systems acting through an API token; their role is ``manager``).

Nothing checks a permission through this module: every check is Django's ``user.has_perm`` (views
``permission_required``, DRF ``common.api_permissions.RequiredPermission``, templates
``perms.caseload.view_fraud``), answered by ``common.auth_backends.RolePermissionBackend``, which
reads the matrix through the functions below.

Field grants (fraud, health) are ordinary permissions: a role without ``caseload.view_fraud``
never gets fraud-investigation data, in a page, an export or the API. Object scoping (which
residents) stays in ``Resident.objects.visible_to(user)``; this module answers "which kind of
data and action".

This module imports no domain app (``common`` sits below them all).
"""

from __future__ import annotations

import functools
import importlib

from django.conf import settings


def _team_kind(user) -> str | None:
    if getattr(user, "team_id", None) is None:
        return None
    return getattr(user.team, "kind", None)


def _is_service_account(user) -> bool:
    try:
        return user.service_account is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist or no such relation
        return False


def role_permissions(user) -> frozenset[str]:
    """The codenames ``user``'s role holds (``ROLE_PERMISSIONS``); no query."""
    return frozenset(str(p) for p in settings.ROLE_PERMISSIONS.get(getattr(user, "role", ""), ()))


def extra_grantable() -> frozenset[str]:
    """The codenames a team kind or being a service account can add to a role."""
    perms = {str(p) for kind in settings.TEAM_KIND_PERMISSIONS.values() for p in kind}
    return frozenset(perms | {str(p) for p in settings.SERVICE_ACCOUNT_PERMISSIONS})


def extra_permissions(user) -> frozenset[str]:
    """Permissions from the user's team kind and from being a service account (may query)."""
    perms: set[str] = set()
    kind = _team_kind(user)
    if kind is not None:
        perms |= {str(p) for p in settings.TEAM_KIND_PERMISSIONS.get(kind, ())}
    if settings.SERVICE_ACCOUNT_PERMISSIONS and _is_service_account(user):
        perms |= {str(p) for p in settings.SERVICE_ACCOUNT_PERMISSIONS}
    return frozenset(perms)


@functools.cache
def _declared() -> dict[str, str]:
    from django.apps import apps
    from django.db.models import TextChoices

    out: dict[str, str] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, TextChoices)
                and value is not TextChoices
            ):
                for member in value:
                    out[member.value] = str(member.label)
    return out


def all_codenames() -> dict[str, str]:
    """Every permission codename of the installed apps (``<app>.permissions`` enums), with its
    Dutch label; the role backend answers for exactly these (the documentation test and the
    configuration check read it too)."""
    return dict(_declared())


def is_role_codename(perm: str) -> bool:
    """Whether ``perm`` is one of the declared role codenames (not a model permission)."""
    return str(perm) in _declared()
