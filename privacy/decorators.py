"""``@processing_logged``: the one decorator every page that shows or changes a resident's data
carries. It

1. opens a processing context and a database transaction around the view;
2. lets the view run (its selectors note the residents they hand out);
3. when the view served data (2xx, 3xx after a write, or a 422 form re-render), appends one
   processing record naming those residents, inside the same transaction: if that insert fails,
   the transaction is rolled back and the exception replaces the response (nothing is served);
4. turns :class:`privacy.access.BreakGlassRequired` into the "why do you need this dossier?"
   page (HTTP 403), when the view offers break-the-glass.

Route walker (tests/privacy/test_route_walker.py) fails for a resident URL without it.
"""

from __future__ import annotations

import functools
import re
import uuid

from django.db import transaction
from django.shortcuts import render

from . import context as pcontext
from .access import BreakGlassRequired
from .forms import BreakGlassForm
from .log import processing_record_write
from .models import Action, Purpose

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "") or request.path_info[:200]


def served(status: int) -> bool:
    return status < 400 or status == 422


def _action_for(method: str) -> str:
    return Action.READ if method in ("GET", "HEAD", "OPTIONS") else Action.UPDATE


def log_served(*, ctx, user, action: str, object_type: str, object_id="", purpose=None) -> None:
    """Append the request's record (unless the view already wrote its own)."""
    if ctx.written:
        return
    reasons = sorted({r for r in ctx.residents.values() if r})
    processing_record_write(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident_ids=list(ctx.residents),
        purpose=purpose or (Purpose.BREAK_GLASS if reasons else Purpose.SERVICE),
        reason=" | ".join(reasons),
        break_glass=bool(reasons),
    )


def processing_logged(
    view=None,
    *,
    object_type: str = "resident",
    action: str | None = None,
    write_action: str | None = None,
    purpose: str | None = None,
    object_kwarg: str | None = None,
    break_glass: bool = False,
    only_methods: tuple[str, ...] | None = None,
):
    """Log every served request of ``view``. ``action`` fixes the action (else GET is a read, a
    POST is ``write_action``, default update, and a POST refused with 422 is a read); ``object_kwarg`` names the URL argument holding
    the object id (never a resident id: residents are named by pseudonym); ``only_methods``
    limits logging to those methods (a form page that shows no resident data on GET)."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            with pcontext.processing_context(
                route=route_of(request), method=request.method, request_id=request_id_of(request)
            ) as ctx:
                try:
                    with transaction.atomic():
                        response = func(request, *args, **kwargs)
                        if served(response.status_code) and (
                            only_methods is None or request.method in only_methods
                        ):
                            if not ctx.residents and "resident_id" in kwargs:
                                ctx.note([kwargs["resident_id"]])
                            chosen = action or (
                                _action_for(request.method)
                                if request.method in ("GET", "HEAD", "OPTIONS")
                                # refused (422): nothing was written, the form came back with
                                # the resident's data (the walk of 3 December: seven refused
                                # submits read as seven outflows created)
                                else Action.READ
                                if response.status_code == 422 or ctx.refused
                                else (write_action or Action.UPDATE)
                            )
                            log_served(
                                ctx=ctx,
                                user=request.user,
                                action=chosen,
                                object_type=object_type,
                                object_id=kwargs.get(object_kwarg, "") if object_kwarg else "",
                                purpose=purpose,
                            )
                except BreakGlassRequired as exc:
                    if not break_glass:
                        raise
                    return break_glass_page(request, resident_id=exc.resident_id)
            return response

        wrapper.processing_logged = True  # the route walker checks for this mark
        return wrapper

    return decorate(view) if view is not None else decorate


def break_glass_page(request, *, resident_id: int, form=None, status: int = 403):
    form = form or BreakGlassForm(initial={"next": request.get_full_path()})
    return render(
        request,
        "privacy/break_glass.html",
        {"form": form, "resident_id": resident_id},
        status=status,
    )
