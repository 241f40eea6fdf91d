"""The one shape of a page whose form calls one service (issue 16, point 8; issue 18's pages).

``form_submit``: on a POST with a valid form, call the service; its ``DomainError`` goes to the
field it names (``BaseForm.add_domain_error``) so the page comes back with what was typed;
otherwise the success message and the redirect. ``form_render``: the page with the form, 422
when the form has errors. A view is then::

    form = VacancyForm(request.POST or None, initial=...)
    return form_submit(
        request, form, save=lambda data: services.vacancy_update(...), success=_("..."),
        done=lambda vacancy: redirect("employers:vacancy_detail", pk=vacancy.pk),
    ) or form_render(request, "employers/vacancy_form.html", form, {"vacancy": vacancy})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.exceptions import DomainError

T = TypeVar("T")


def form_submit(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], T],
    success: str | Callable[[T], str],
    done: Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """The answer to a valid POST: ``save(form.cleaned_data)`` (one service call), then the
    ``success`` message (a text, or made from what ``save`` returned) and ``done(result)`` (a
    redirect). None when there is nothing to answer yet: not a POST, an invalid form, or the
    service's ``DomainError`` (now on the form): the caller renders the page again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return done(result)


def form_render(
    request: HttpRequest, template: str, form: Any, context: dict[str, Any] | None = None
) -> HttpResponse:
    """The page with ``form`` (as ``form``) and ``context``: 422 when the form has errors."""
    status = 422 if form.errors else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
