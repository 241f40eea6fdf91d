"""Cross-cutting views: health check, the landing page per role, and the error pages."""

from __future__ import annotations

import copy
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
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

from common.dependencies import (
    UNAVAILABLE_MESSAGE,
    is_database_outage,
    is_outage,
    redis_client,
    retry_after,
)
from common.request_kind import is_api_request

#: How long ``/health/`` waits for all its checks together; a check not done by then is
#: reported as ``"Timeout"`` (issue 13, finding 4: the endpoint answers within a second
#: whatever is down).
HEALTH_DEADLINE = 0.6
#: connect and read timeout of the health check's own connections
HEALTH_CHECK_TIMEOUT = 0.4

_health_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="health")
_health_lock = threading.Lock()
#: a check still hanging from an earlier call (e.g. a paused server) is not started again
_health_running: dict[str, Future] = {}


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _check_database() -> None:
    """``SELECT 1`` on a connection of its own (this runs in a pool thread), with a connect and
    statement timeout, closed afterwards."""
    alias = DEFAULT_DB_ALIAS
    params = copy.deepcopy(connections.settings[alias])
    options = params.setdefault("OPTIONS", {})
    options["connect_timeout"] = 2  # libpq's minimum; the deadline answers sooner anyway
    options["options"] = f"-c statement_timeout={int(HEALTH_CHECK_TIMEOUT * 1000)}"
    wrapper = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        wrapper.close()


def _check_redis(url: str) -> None:
    client = redis_client(url, timeout=HEALTH_CHECK_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


def _cache_url() -> str:
    location = settings.CACHES["default"]["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


def _health_checks() -> dict:
    checks = {
        "database": _check_database,
        "cache": partial(_check_redis, _cache_url()),
        "broker": partial(_check_redis, settings.CELERY_BROKER_URL),
    }
    futures = {}
    with _health_lock:
        for name, check in checks.items():
            running = _health_running.get(name)
            if running is not None and not running.done():
                futures[name] = running
            else:
                futures[name] = _health_running[name] = _health_pool.submit(_timed, check)
    wait(futures.values(), timeout=HEALTH_DEADLINE)
    return {
        name: future.result() if future.done() else {"ok": False, "error": "Timeout"}
        for name, future in futures.items()
    }


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Each dependency's state, within a second whatever is down (the checks run side by side
    with their own short timeouts). 200 ``ok`` when all answer; 200 ``degraded`` when only a
    Redis part (cache, broker) is down: this web process still serves pages and the API (docs/
    reliability.md), and taking every web process out of a load balancer for a Redis outage
    would turn it into a full outage; 503 ``error`` when the database is down."""
    checks = _health_checks()
    if not checks["database"]["ok"]:
        state, code = "error", 503
    elif all(check["ok"] for check in checks.values()):
        state, code = "ok", 200
    else:
        state, code = "degraded", 200
    return JsonResponse({"status": state, "checks": checks}, status=code)


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
    503: ("service_unavailable", UNAVAILABLE_MESSAGE),
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
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        context = {"error_message": message} if message else {}
        if status == 500:  # no context processors: they may be what failed
            return HttpResponseServerError(loader.get_template("500.html").render(context))
        response = render(request, f"{status}.html", context, status=status)
    if status == 503:  # a dependency is down (common.dependencies): when to try again
        response["Retry-After"] = str(retry_after())
    return response


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
    """``handler500``. An error because PostgreSQL or Redis is down, also one raised by a
    middleware before any view ran (sessions, authentication), is no server error but an
    outage: 503 with ``Retry-After``, the API's JSON or the Dutch page rendered without context
    processors (they would need the database that is down)."""
    exc = sys.exc_info()[1]
    if exc is not None and (is_database_outage(exc) or is_outage(exc)):
        if wants_json(request):
            return error_response(request, 503)
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(retry_after())
        return response
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
