"""Security middleware: two-factor login required, no caching of personal data, no personal data
in query strings, and a limit on the size of a request body; and a 503 instead of a 500 when a
dependency (Redis) is down.

Order in ``settings.MIDDLEWARE``: after ``django_otp.middleware.OTPMiddleware`` (which gives
``request.user.is_verified()``), before ``axes.middleware.AxesMiddleware`` (last).
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import parse_qs, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from common.bsn import bsns_in
from common.request_kind import is_api_request, is_third_party_page

logger = logging.getLogger(__name__)

#: URL names a signed-in but not yet verified user may open
TWO_FACTOR_EXEMPT_URL_NAMES = ("login", "logout", "two_factor_setup", "two_factor_verify", "health")


def _exempt_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in TWO_FACTOR_EXEMPT_URL_NAMES)


class TwoFactorRequiredMiddleware:
    """With ``settings.TWO_FACTOR_ENFORCED``, a signed-in user who has not passed the TOTP step
    in this session is sent to it (or, without a confirmed device, to the setup page) from every
    page; session-authenticated API calls (a REST framework view answers them,
    ``common.request_kind``: the HTML pages under ``/beheer/`` are pages) get a 403 with a JSON
    error. Token requests to the API are not session users and are not affected (a token is its
    own second factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TWO_FACTOR_ENFORCED and self._needs_verification(request):
            if is_api_request(request):
                return JsonResponse(
                    {
                        "errors": [
                            {
                                "code": "two_factor_required",
                                "message": _("Rond eerst de tweestapsverificatie af."),
                                "field": None,
                            }
                        ]
                    },
                    status=403,
                )
            from common.two_factor import user_has_confirmed_device

            name = "two_factor_verify" if user_has_confirmed_device(request.user) else None
            target = reverse(name or "two_factor_setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_verification(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if user.is_verified():
            return False
        path = request.path
        if path.startswith(settings.STATIC_URL) or path.startswith("/favicon"):
            return False
        return not path.startswith(_exempt_paths())


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (dossiers, worklists,
    exports: anything may hold personal data) and on every response under the API prefixes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(tuple(settings.NO_STORE_PATH_PREFIXES)):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
            response.headers.pop("Expires", None)
        return response


class ThirdPartyPagesCspMiddleware:
    """The Django admin and DRF's browsable API (templates we do not own) use ``style=``
    attributes and an inline ``<style>`` (DRF's code style). On their views (the ``admin``
    namespace and REST framework views, ``common.request_kind.is_third_party_page``; not by path:
    our own pages under ``/beheer/`` keep the strict policy) the policy's ``style-src`` becomes
    ``'self' 'unsafe-inline'`` (styles only: ``script-src`` stays ``'self'``). Sits after
    ``csp.middleware.CSPMiddleware`` so it marks the response before the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_third_party_page(request):
            replace = dict(getattr(response, "_csp_replace", None) or {})
            # a hash in style-src would make browsers ignore 'unsafe-inline': replace it
            replace["style-src"] = ["'self'", "'unsafe-inline'"]
            response._csp_replace = replace
        return response


class RequestSizeLimitMiddleware:
    """A body declared larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused up front with a
    413: the API's JSON error for an API view, the Dutch page elsewhere. Multipart bodies are
    let through (the limit does not count uploaded files; Django counts their other fields and
    ``common.views.bad_request`` turns its ``RequestDataTooBig`` into the same 413). Bodies
    without a declared length are bounded by Django (forms) and ``common.api.SafeJSONParser``.
    First in ``settings.MIDDLEWARE``, before anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                from common.views import error_response

                return error_response(request, 413)
        return self.get_response(request)


#: Query parameter names that would put personal data in a URL (and so in access logs, browser
#: history and proxies); refused unless the view declares the parameter (e.g. a filterset).
PERSONAL_DATA_QUERY_NAMES = frozenset(
    {
        "bsn",
        "burgerservicenummer",
        "sofinummer",
        "geboortedatum",
        "birth_date",
        "birthdate",
        "date_of_birth",
        "naam",
        "name",
        "achternaam",
        "voornaam",
        "geslachtsnaam",
        "first_name",
        "last_name",
    }
)


#: parameters whose value is an opaque token that may hold nine digits by chance (DRF's cursor)
_OPAQUE_QUERY_PARAMS = frozenset({"cursor"})
#: the keys of DRF's cursor (offset, reverse, position), base64 of a query string
_CURSOR_KEYS = frozenset({"o", "r", "p"})


def _is_cursor_token(value: str) -> bool:
    """Whether ``value`` is a cursor as DRF's ``CursorPagination`` writes it (base64 of
    ``o=..&r=..&p=..``); anything else in a ``cursor`` parameter is checked like any value
    (the security assessment of 4 December: ``/caseload/?cursor=<bsn>`` passed the guard)."""
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True).decode("ascii")
    except (ValueError, UnicodeError):
        return False
    keys = set(parse_qs(decoded, keep_blank_values=True))
    return bool(keys) and keys <= _CURSOR_KEYS


def declared_query_params(view_func) -> frozenset[str]:
    """The query parameters a view takes by declaration: a DRF view's filterset, pagination,
    ordering and search parameters, and ``declared_query_params`` on the view or its class."""
    names: set[str] = {"format"}
    cls = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    for holder in (view_func, cls):
        names.update(getattr(holder, "declared_query_params", ()) or ())
    if cls is not None:
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            names.update(filterset.base_filters)
        paginator = getattr(cls, "pagination_class", None)
        for attr in ("cursor_query_param", "page_size_query_param", "page_query_param"):
            names.add(getattr(paginator, attr, None) or "")
        for backend in getattr(cls, "filter_backends", ()) or ():
            for attr in ("ordering_param", "search_param"):
                names.add(getattr(backend, attr, None) or "")
    names.discard("")
    return frozenset(names)


def _named_personal_data(name: str) -> bool:
    # the name itself, or the field after a form prefix ("inwoner-bsn")
    if name.lower().strip() in PERSONAL_DATA_QUERY_NAMES:
        return True
    return name.rsplit("-", 1)[-1].lower().strip() in PERSONAL_DATA_QUERY_NAMES


def _holds_bsn(values: list[str]) -> bool:
    # also typed with separators: "111 222 333", "111.222.333" (common.bsn.BSN_SHAPED)
    return any(bsns_in(value) for value in values)


class PersonalDataQueryMiddleware:
    """A query string that carries personal data is refused (400) instead of ignored, so that a
    client learns not to send it: a parameter named like ``bsn``, ``geboortedatum`` or
    ``achternaam`` unless the view declares that parameter (:func:`declared_query_params`), or
    any parameter whose value holds a BSN (nine digits passing the 11-test, also typed with
    spaces, dots or dashes), declared or not. The API answers
    with its JSON error, pages with the Dutch 400 page. The BSN search is a POST everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.GET:
            return None
        declared = declared_query_params(view_func)
        for name, values in request.GET.lists():
            named = name not in declared and _named_personal_data(name)
            # a declared parameter (a filter) takes a name, never a BSN; an opaque cursor of a
            # view that pages by cursor may hold any digits, when it is one
            opaque = (
                name in _OPAQUE_QUERY_PARAMS
                and name in declared
                and all(_is_cursor_token(v) for v in values)
            )
            if named or (not opaque and _holds_bsn(values)):
                from common.views import error_response

                return error_response(
                    request,
                    400,
                    _(
                        "Persoonsgegevens zoals een BSN, naam of geboortedatum horen niet in een "
                        "webadres. Zoek een inwoner op BSN met het zoekformulier."
                    ),
                    code="personal_data_in_query",
                )
        return None


class DependencyUnavailableMiddleware:
    """A view that fails because Redis (cache, broker) is down answers 503 with ``Retry-After``:
    the API's JSON error for an API view, the Dutch page in the site layout elsewhere, never a
    500 (issue 13, finding 4; ``common.dependencies``). The timeouts in settings bound how long
    the view waited before it failed. Other errors go on to the 500 handler as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        from common.dependencies import is_outage

        if not is_outage(exception):
            return None
        logger.warning(
            "dependency down while serving %s %s: %s",
            request.method,
            getattr(request.resolver_match, "view_name", None) or "?",
            exception.__class__.__name__,
        )
        from common.views import error_response

        return error_response(request, 503)
