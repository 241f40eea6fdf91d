"""Authentication and authorisation backends (``AUTHENTICATION_BACKENDS``).

``LockoutBackend``: django-axes refuses ``authenticate()`` without a request. Every login over HTTP
(the login page, the admin) passes one and is counted; calls without a request (management
commands, tests) have no client address to lock out, so this backend steps aside and the next
backend checks the password as usual.

``RolePermissionBackend``: answers ``user.has_perm`` for the role matrix (docs/security.md,
section 1; ``common.permissions``). It sits before Django's ``ModelBackend``, which keeps
answering for the admin's model permissions (``caseload.change_team``; real ``Permission`` rows,
e.g. the functioneel beheerder's ``BEHEER_MODELS``). The two never answer for each other's
codenames: the role backend grants only the declared role codenames (the ``<app>.permissions``
enums, which no model permission shares: ``tests/security/test_permissions.py``), so it opens no
admin page; and for a role codename it is authoritative, so a role codename the user lacks is
refused here (``PermissionDenied`` ends Django's backend loop) without ``ModelBackend`` loading
the user's permission rows.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.core.exceptions import PermissionDenied

from common import permissions


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _active(user) -> bool:
    """Active, signed in, and not waiting for the privacy officer's approval of new access
    (``User.access_pending``: an account functioneel beheer created or moved holds no role
    permission until then; security review of 3 December)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "access_granted", False))


class RolePermissionBackend:
    """Permissions from the role matrix for active users; superusers hold every declared one
    (Django's ``User.has_perm`` lets an active superuser through before asking a backend);
    inactive and anonymous users, and accounts waiting for approval, none.

    Authenticates nobody and loads no session user: no ``get_user`` (so ``login`` and the test
    client's ``force_login`` keep naming ``ModelBackend`` in the session), and an ``authenticate``
    that takes no credentials, so Django never offers it a password.

    Cached per user object like ``ModelBackend`` (``_role_perm_cache``, keyed by role and team so a
    changed role on the same object is not answered from a stale set); the team kind and service
    account (which may query) are looked at only for a codename one of them can grant.
    """

    _CACHE = "_role_perm_cache"
    _EXTRA_CACHE = "_role_extra_perm_cache"

    def authenticate(self, request) -> None:
        return None

    def _key(self, user) -> tuple:
        return (getattr(user, "role", None), getattr(user, "team_id", None))

    def _cached(self, user, attr: str, compute) -> frozenset[str]:
        key = self._key(user)
        cached = getattr(user, attr, None)
        if cached is None or cached[0] != key:
            cached = (key, compute(user))
            setattr(user, attr, cached)
        return cached[1]

    def _role(self, user) -> frozenset[str]:
        if getattr(user, "is_superuser", False):
            return frozenset(permissions.all_codenames())
        return self._cached(user, self._CACHE, permissions.role_permissions)

    def _extra(self, user) -> frozenset[str]:
        return self._cached(user, self._EXTRA_CACHE, permissions.extra_permissions)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not _active(user_obj) or obj is not None:
            return set()
        return set(self._role(user_obj) | self._extra(user_obj))

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        perm = str(perm)
        if obj is not None or not permissions.is_role_codename(perm):
            return False  # not a role codename: ModelBackend answers (admin model permissions)
        if _active(user_obj) and (
            perm in self._role(user_obj)
            or (perm in permissions.extra_grantable() and perm in self._extra(user_obj))
        ):
            return True
        raise PermissionDenied  # authoritative for role codenames

    def has_module_perms(self, user_obj, app_label) -> bool:
        """Always False: in Django, module permissions are the admin's gate to an app's pages,
        and the role matrix opens no admin page (those come from ``ModelBackend``)."""
        return False
