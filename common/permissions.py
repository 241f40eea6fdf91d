"""Who may do what: one role -> permissions mapping, read from the settings.

Permission codenames are enums per app (``caseload.permissions.CaseloadPermission``,
``budget.permissions.BudgetPermission``, ...); their values are dotted strings
(``"caseload.view_fraud"``). The mapping lives in ``settings.ROLE_PERMISSIONS`` (role ->
codenames), plus ``settings.TEAM_KIND_PERMISSIONS`` (team kind -> codenames that members of such a
team get on top of their role, e.g. Handhaving sees fraud investigations) and
``settings.SERVICE_ACCOUNT_PERMISSIONS`` (connected systems acting through an API token).

Field grants (fraud, health) are ordinary permissions: a role without ``caseload.view_fraud``
never gets fraud-investigation data, in a page, an export or the API. Object scoping (which
residents) stays in ``Resident.objects.visible_to(user)``; this module answers "which kind of
data and action".

This module imports no domain app (``common`` sits below them all).
"""

from __future__ import annotations

from django.conf import settings

_CACHE_ATTR = "_permission_cache"


def _team_kind(user) -> str | None:
    team_id = getattr(user, "team_id", None)
    if team_id is None:
        return None
    return getattr(user.team, "kind", None)


def _is_service_account(user) -> bool:
    try:
        return user.service_account is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist or no such relation
        return False


def user_permissions(user) -> frozenset[str]:
    """All permission codenames of ``user`` (empty for anonymous or inactive users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if not getattr(user, "is_active", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if _is_service_account(user):
        perms = set(settings.SERVICE_ACCOUNT_PERMISSIONS)
    else:
        perms = set(settings.ROLE_PERMISSIONS.get(getattr(user, "role", ""), ()))
        kind = _team_kind(user)
        if kind is not None:
            perms |= set(settings.TEAM_KIND_PERMISSIONS.get(kind, ()))
    result = frozenset(str(p) for p in perms)
    setattr(user, _CACHE_ATTR, result)
    return result


def user_has_permission(user, perm: str) -> bool:
    """True when ``user`` holds ``perm`` (a codename enum member or its string value).

    Superusers (technical administrators) hold every permission.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return str(perm) in user_permissions(user)


def all_codenames() -> dict[str, str]:
    """Every permission codename of the installed apps (``<app>.permissions`` enums), with its
    Dutch label; used by the documentation test and the configuration check."""
    import importlib

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
