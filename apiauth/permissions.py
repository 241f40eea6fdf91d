"""Scope check per action for token requests (session users are checked by role scoping)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken
from .scopes import READ, WRITE, scope_code


def api_scope_group(view, request) -> str | None:
    group = getattr(view, "api_scope_group", None)
    if group:
        return group
    match = getattr(request, "resolver_match", None)
    namespace = match.namespaces[0] if match and match.namespaces else ""
    if namespace.endswith("-api"):
        return namespace.removesuffix("-api")
    return None


def required_scope(view, request) -> str | None:
    group = api_scope_group(view, request)
    if group is None:
        return None
    action = getattr(view, "action", None)
    if (
        request.method in permissions.SAFE_METHODS
        or getattr(view, "api_read_only", False)  # e.g. a POST that only calculates
        or (action is not None and action in getattr(view, "api_read_actions", ()))
    ):
        return scope_code(group, READ)
    return scope_code(group, WRITE)


class TokenHasScope(permissions.BasePermission):
    """A token request needs ``<group>:read`` for reads and ``<group>:write`` for writes.

    Fails closed: a token request to a view without a resource group is refused.
    """

    message = _("Deze API-sleutel heeft niet de benodigde scope.")
    code = "scope"

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiToken):
            return True
        scope = required_scope(view, request)
        return scope is not None and request.auth.has_scope(scope)


__all__ = ["TokenHasScope", "required_scope", "READ", "WRITE"]
