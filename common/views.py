"""Cross-cutting views: health check, the landing page per role, and the error pages."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from common.request_kind import is_api_request


def _check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _check_broker() -> dict:
    started = time.monotonic()
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability; 200 when both are up, 503 otherwise."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )


@require_safe
def moved_permanently(request: HttpRequest, *, prefix: str, rest: str = "") -> HttpResponse:
    """A page that moved (issue 16, point 5; kept for one release so bookmarks work): a 301 to
    ``prefix + rest`` with the query string. GET and HEAD only: a form post to the old path is
    refused (405) rather than redirected without its body."""
    target = prefix + rest
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(target)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


# --- Error pages (config/urls.py handler400/403/404/500; docs/security.md) ---------------------
#: (title, message) of the JSON error per status; the HTML pages are templates/<status>.html
_ERRORS = {
    400: ("bad_request", gettext_lazy("Het verzoek bevat een waarde die niet klopt.")),
    403: ("permission_denied", gettext_lazy("U hebt geen toegang tot deze gegevens.")),
    404: ("not_found", gettext_lazy("Niet gevonden.")),
    413: ("request_too_large", gettext_lazy("Het verzoek is te groot om te verwerken.")),
    500: ("server_error", gettext_lazy("Er is een fout opgetreden.")),
}


def wants_json(request: HttpRequest) -> bool:
    """True for the JSON API: a REST framework view answers the request (``common.request_kind``;
    the API reference and the beheer pages are pages, wherever they are mounted)."""
    return is_api_request(request)


def error_response(
    request: HttpRequest, status: int, message: str | None = None, *, code: str | None = None
) -> HttpResponse:
    """The error in the caller's format: the documented JSON error under the API, a Dutch page
    (``templates/<status>.html``) everywhere else."""
    default_code, default = _ERRORS[status]
    code = code or default_code
    if wants_json(request):
        body = {"errors": [{"code": code, "message": str(message or default), "field": None}]}
        return JsonResponse(body, status=status)
    context = {"error_message": message} if message else {}
    if status == 500:  # no context processors: they may be what failed
        return HttpResponseServerError(loader.get_template("500.html").render(context))
    return render(request, f"{status}.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: also a too-large body (Django raises ``RequestDataTooBig``, a
    ``SuspiciousOperation``, which it would answer with a bare 400) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413)
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the Dutch 403 page (the form's page was probably open too long)."""
    return error_response(
        request,
        403,
        gettext_lazy(
            "Het formulier is verlopen of niet vanaf deze site verstuurd. Laad de pagina "
            "opnieuw en probeer het nog eens."
        ),
    )
