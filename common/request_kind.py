"""What kind of request this is, decided by the view that answers it, not by the path.

The JSON API is a REST framework view (``APIView``, which ``@api_view``, viewsets and the schema
view are); a page is everything else, wherever it is mounted. The token and import pages under
``/beheer/`` and the API reference page are pages; the Django admin (namespace ``admin``) and the
browsable API are the only views whose templates we do not own (issue 16, point 5)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve
from rest_framework.views import APIView

#: URL namespaces whose templates are third-party (inline ``style=`` attributes)
THIRD_PARTY_NAMESPACES = frozenset({"admin"})

#: Only for a path no view answers (a 404 has no view to ask): the mount point of the JSON API.
API_MOUNT = "/api/"


def _match(request: HttpRequest) -> ResolverMatch | None:
    """The resolved view: set by Django once the request reaches the view, resolved here when a
    middleware asks before that."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


def is_api_view(match: ResolverMatch) -> bool:
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def is_api_request(request: HttpRequest) -> bool:
    """True when a REST framework view answers the request (JSON errors, no redirects)."""
    match = _match(request)
    if match is None:
        return request.path_info.startswith(API_MOUNT)
    return is_api_view(match)


def is_third_party_page(request: HttpRequest) -> bool:
    """The Django admin and the browsable API: views whose templates use inline styles."""
    match = _match(request)
    if match is None:
        return False
    return bool(THIRD_PARTY_NAMESPACES.intersection(match.namespaces)) or is_api_view(match)
