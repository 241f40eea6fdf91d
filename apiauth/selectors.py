"""Reads for the API layer: which residents a request may see, and the token list."""

from __future__ import annotations

from django.db.models import QuerySet

from caseload.models import Resident

from .models import ApiToken, ImportJob


def request_token(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def request_bound_municipality_id(request) -> int | None:
    """The municipality an API call is bound to: its key's own, else its service account's
    (None for a session or an unbound personal key). Every API view that resolves a
    municipality passes it to :func:`caseload.selectors.municipality_for` as ``bound_to``."""
    token = request_token(request)
    if token is None:
        return None
    if token.municipality_id is not None:
        return token.municipality_id
    service_account = getattr(request.user, "service_account", None)
    return service_account.municipality_id if service_account is not None else None


def api_resident_scope(*, user, token: ApiToken | None) -> QuerySet[Resident]:
    """Residents an API caller may see.

    A person (session or personal token) sees ``Resident.objects.visible_to(user)``. A service
    account sees the residents of its municipality. A token restricted to a municipality never
    sees residents of another one.
    """
    service_account = getattr(user, "service_account", None) if token is not None else None
    if service_account is not None and user.is_active:
        qs = Resident.objects.filter(municipality_id=service_account.municipality_id)
    else:
        qs = Resident.objects.visible_to(user)
    if token is not None and token.municipality_id is not None:
        qs = qs.filter(municipality_id=token.municipality_id)
    return qs


def token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related(
        "user", "municipality", "created_by", "approved_by"
    ).order_by("-created_at", "-id")


def token_approval_list(*, user) -> tuple[QuerySet[ApiToken], QuerySet[ApiToken]]:
    """For the privacy officer (the view checks the role): (pending keys, the last 50 decided)."""
    qs = ApiToken.objects.select_related("user", "municipality", "created_by", "approved_by")
    pending = qs.pending().order_by("created_at", "id")
    decided = qs.filter(approved_at__isnull=False).order_by("-approved_at", "-id")[:50]
    return pending, decided


def import_job_list(*, user) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("municipality", "created_by").defer("content")
