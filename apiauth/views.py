"""Beheer pages: API tokens and the caseload import; and the server-rendered API docs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from caseload.importers import COLUMNS
from caseload.permissions import CaseloadPermission
from common.exceptions import DomainError
from privacy.decorators import processing_logged
from privacy.models import Action, Purpose
from privacy.selectors import require_privacy_officer

from . import selectors, services
from .docs import api_operations
from .forms import ImportForm, TokenCreateForm, TokenDecisionForm
from .imports import import_progress
from .models import ApiToken
from .scopes import scopes_without_permission


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(CaseloadPermission.CONFIGURE, raise_exception=True)
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            expires_at = None
            if data["expires_on"]:
                expires_at = timezone.make_aware(
                    dt.datetime.combine(data["expires_on"], dt.time(23, 59))
                )
            try:
                if data["account"] is None:
                    token, secret = services.token_issue_for_new_account(
                        username=data["new_service_account"],
                        municipality=data["municipality"],
                        name=data["name"],
                        scopes=data["scopes"],
                        created_by=request.user,
                        expires_at=expires_at,
                    )
                else:
                    token, secret = services.token_issue(
                        user=data["account"],
                        name=data["name"],
                        scopes=data["scopes"],
                        created_by=request.user,
                        municipality=data["municipality"],
                        expires_at=expires_at,
                    )
            except DomainError as exc:
                # the service names the moment (expires_at), the form the day (the second walk
                # of 3 December: the error stood only above the form)
                field = {"expires_at": "expires_on"}.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
                status = 422
            else:
                response = render(
                    request,
                    "apiauth/token_created.html",
                    {
                        "token": token,
                        "secret": secret,
                        # said when the key is made, not found out by a 403 later
                        "unusable_scopes": scopes_without_permission(token.user, token.scopes),
                    },
                )
                response["Cache-Control"] = "no-store"
                return response
        else:
            status = 422
    tokens = selectors.token_list(user=request.user)
    return render(
        request,
        "apiauth/token_list.html",
        {
            "form": form,
            "tokens": tokens,
            "lifetime_days": settings.API_TOKEN_DEFAULT_LIFETIME_DAYS,
        },
        status=status,
    )


@login_required
@require_POST
@permission_required(CaseloadPermission.CONFIGURE, raise_exception=True)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("De sleutel is ingetrokken."))
    return redirect("apiauth:token-list")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_approvals(request: HttpRequest) -> HttpResponse:
    """The privacy officer approves or rejects pending keys with a resident-data scope (four
    eyes: the key was requested by someone else, usually functioneel beheer)."""
    require_privacy_officer(request.user)
    form = TokenDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            decide = (
                services.token_approve
                if form.cleaned_data["decision"] == TokenDecisionForm.APPROVE
                else services.token_reject
            )
            try:
                token = decide(token=form.cleaned_data["token"], by=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 422
            else:
                if token.approval == ApiToken.Approval.APPROVED:
                    messages.success(request, _("De sleutel is goedgekeurd."))
                else:
                    messages.success(request, _("De sleutel is afgewezen."))
                return redirect("apiauth:token-approvals")
        else:
            status = 422
    pending, decided = selectors.token_approval_list(user=request.user)
    return render(
        request,
        "apiauth/token_approvals.html",
        {"form": form, "pending": pending, "decided": decided},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@processing_logged(
    object_type="resident_import",
    write_action=Action.CREATE,
    purpose=Purpose.ADMINISTRATION,
    only_methods=("POST",),
)
@permission_required(CaseloadPermission.CONFIGURE, raise_exception=True)
def import_create(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.import_job_create(
                    municipality=form.cleaned_data["municipality"],
                    filename=upload.name,
                    content=upload.read(),
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
                status = 422
            else:
                return redirect("apiauth:import-detail", pk=job.pk)
        else:
            status = 422
    jobs = selectors.import_job_list(user=request.user)[:20]
    return render(
        request,
        "apiauth/import_form.html",
        {"form": form, "jobs": jobs, "columns": COLUMNS},
        status=status,
    )


@login_required
@processing_logged(object_type="resident_import", object_kwarg="pk", purpose=Purpose.ADMINISTRATION)
@permission_required(CaseloadPermission.CONFIGURE, raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=pk)
    context = {"job": job, "progress": import_progress(job=job)}
    if request.headers.get("HX-Request"):
        return render(request, "apiauth/_import_status.html", context)
    return render(request, "apiauth/import_detail.html", context)


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference rendered on the server from the OpenAPI schema (no CDN assets)."""
    return render(request, "apiauth/api_docs.html", {"groups": api_operations(request)})
