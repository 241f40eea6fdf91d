"""Who may do what: one role -> permissions mapping, read from the settings.

Permission codenames are enums per app (``caseload.permissions.CaseloadPermission``,
``budget.permissions.BudgetPermission``, ...); their values are dotted strings
(``"caseload.view_fraud"``). The mapping lives in ``settings.ROLE_PERMISSIONS`` (role ->
codenames), plus ``settings.TEAM_KIND_PERMISSIONS`` (team kind -> codenames that members of such a
team get on top of their role, e.g. Handhaving sees fraud investigations) and
``settings.SERVICE_ACCOUNT_PERMISSIONS`` (extra for connected systems acting through an API token;
their role is ``manager``).

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


def _role_permissions(user) -> frozenset[str]:
    return frozenset(str(p) for p in settings.ROLE_PERMISSIONS.get(getattr(user, "role", ""), ()))


def _extra_permissions(user) -> frozenset[str]:
    """Permissions from the user's team kind and from being a service account (may query)."""
    perms: set[str] = set()
    kind = _team_kind(user)
    if kind is not None:
        perms |= {str(p) for p in settings.TEAM_KIND_PERMISSIONS.get(kind, ())}
    if settings.SERVICE_ACCOUNT_PERMISSIONS and _is_service_account(user):
        perms |= {str(p) for p in settings.SERVICE_ACCOUNT_PERMISSIONS}
    return frozenset(perms)


def _active(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def user_permissions(user) -> frozenset[str]:
    """All permission codenames of ``user`` (empty for anonymous or inactive users)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _role_permissions(user) | _extra_permissions(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_has_permission(user, perm: str) -> bool:
    """True when ``user`` holds ``perm`` (a codename enum member or its string value).

    Superusers (technical administrators) hold every permission. The role's permissions are
    checked first, without a query; the team kind and service account are looked at only for a
    permission that one of those can grant.
    """
    if not _active(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    perm = str(perm)
    if perm in _role_permissions(user):
        return True
    extra_grantable = {str(p) for perms in settings.TEAM_KIND_PERMISSIONS.values() for p in perms}
    extra_grantable |= {str(p) for p in settings.SERVICE_ACCOUNT_PERMISSIONS}
    if perm not in extra_grantable:
        return False
    return perm in user_permissions(user)


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
