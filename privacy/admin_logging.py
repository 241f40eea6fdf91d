"""The Django admin (/beheer/) logs like every other page: each registered ModelAdmin of a model
that holds resident data gets its views wrapped at start-up, so a newly registered admin cannot
forget. The change list logs one record naming the residents on the page; a change, delete or
history page logs the resident behind the object.

Changes of staff accounts (role, team, active, staff access, permissions, groups) are logged by
:func:`staff_change_logged`, one record per change with the person who made it (issue #12)."""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction

from caseload.models import Household, Resident

from . import context as pcontext
from .api import resident_ids_of
from .decorators import log_served, request_id_of, route_of, served
from .log import processing_record_write
from .models import Action, Purpose

VIEWS = {
    "changelist_view": Action.SEARCH,
    "change_view": Action.READ,
    "history_view": Action.READ,
    "delete_view": Action.DELETE,
    "add_view": Action.CREATE,
}


def holds_resident_data(model) -> bool:
    if model in (Resident, Household):
        return True
    for field in model._meta.get_fields():
        if getattr(field, "many_to_one", False) and field.related_model is not None:
            if field.related_model is Resident:
                return True
            if any(
                getattr(f, "many_to_one", False) and f.related_model is Resident
                for f in field.related_model._meta.get_fields()
            ):
                return True
    return False


def residents_behind(objects) -> list[int]:
    ids = resident_ids_of(objects)
    if ids:
        return ids
    for obj in objects:  # one FK further (payments, intake assessments, plan actions)
        for field in obj._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is not None:
                parent = getattr(obj, field.name, None)
                if parent is not None and not isinstance(parent, Resident):
                    ids.extend(resident_ids_of([parent]))
    return ids


def resident_model():
    return Resident


def _wrap(model_admin, name: str, action: str):
    original = getattr(model_admin, name)

    @functools.wraps(original)
    def view(request, *args, **kwargs):
        if kwargs.get("object_id") and not _may_open(model_admin, name, request):
            # Django's object views redirect for a nonexistent id before they check the
            # permission: refuse first, so the answer does not tell which ids exist (issue #12)
            raise PermissionDenied
        with (
            pcontext.processing_context(
                route=route_of(request), method=request.method, request_id=request_id_of(request)
            ) as ctx,
            transaction.atomic(),
        ):
            response = original(request, *args, **kwargs)
            if served(response.status_code):
                object_id = kwargs.get("object_id") or ""
                objects = []
                if name == "changelist_view":
                    cl = (getattr(response, "context_data", None) or {}).get("cl")
                    objects = list(cl.result_list) if cl is not None else []
                elif object_id:
                    obj = model_admin.get_object(request, unquote(str(object_id)))
                    objects = [obj] if obj is not None else []
                ctx.note(residents_behind(objects))
                log_served(
                    ctx=ctx,
                    user=request.user,
                    action=action if request.method == "GET" else Action.UPDATE,
                    object_type=model_admin.model._meta.model_name,
                    object_id="" if model_admin.model is resident_model() else object_id,
                    purpose=Purpose.ADMINISTRATION,
                )
        return response

    view.processing_logged = True
    setattr(model_admin, name, view)


def _may_open(model_admin, name: str, request) -> bool:
    if name == "delete_view":
        return model_admin.has_delete_permission(request)
    return model_admin.has_view_or_change_permission(request)


def log_admin_views(site=admin.site) -> None:
    """Wrap the admin views of resident data (above), and log every change of a staff account's
    role, team, status or grants: those go through ``caseload.services`` (the user admin calls
    them), which report to the listener registered here (the core does not import privacy)."""
    from caseload.services import staff_change_listener_register

    staff_change_listener_register(staff_change_logged)
    for model, model_admin in site._registry.items():
        if getattr(model_admin, "_privacy_logged", False) or not holds_resident_data(model):
            continue
        for name, action in VIEWS.items():
            _wrap(model_admin, name, action)
        model_admin._privacy_logged = True


#: ``object_type`` of the records of changes to staff accounts
STAFF_OBJECT_TYPE = "medewerker"


def staff_change_logged(*, actor, user, action: str, changes: dict[str, tuple[str, str]]) -> None:
    """Listener of ``caseload.services`` (registered at start-up by ``log_admin_views``): every change of
    a staff member's role, team, status, permissions or groups, by the admin or any service, is
    one record naming who made it (``actor``; none: the command line) and old -> new."""
    reason = "; ".join(
        f"{label}: {old or '-'} -> {new or '-'}" for label, (old, new) in changes.items()
    )
    processing_record_write(
        user=actor,
        action=Action.CREATE if action == "create" else Action.UPDATE,
        object_type=STAFF_OBJECT_TYPE,
        object_id=user.pk,
        purpose=Purpose.ADMINISTRATION,
        reason=reason,
    )
