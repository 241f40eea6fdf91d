"""REST framework permission: a view names the permission codename it needs.

In ``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``; a view with ``required_permission =
CaseloadPermission.VIEW_FRAUD`` answers 403 to a caller without it (session user or token). The
check is ``request.user.has_perm``, the same as the pages' (``common.auth_backends``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class RequiredPermission(permissions.BasePermission):
    message = _("U heeft geen toegang tot deze gegevens.")
    code = "permission"

    def has_permission(self, request, view) -> bool:
        required = getattr(view, "required_permission", None)
        return required is None or request.user.has_perm(required)
