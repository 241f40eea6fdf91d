"""Security middleware: two-factor login required, and no caching of personal data.

Order in ``settings.MIDDLEWARE``: after ``django_otp.middleware.OTPMiddleware`` (which gives
``request.user.is_verified()``), before ``axes.middleware.AxesMiddleware`` (last).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

#: URL names a signed-in but not yet verified user may open
TWO_FACTOR_EXEMPT_URL_NAMES = ("login", "logout", "two_factor_setup", "two_factor_verify", "health")


def _exempt_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in TWO_FACTOR_EXEMPT_URL_NAMES)


class TwoFactorRequiredMiddleware:
    """With ``settings.TWO_FACTOR_ENFORCED``, a signed-in user who has not passed the TOTP step
    in this session is sent to it (or, without a confirmed device, to the setup page) from every
    page; session-authenticated API calls get a 403 with a JSON error. Token requests to the API
    are not session users and are not affected (a token is its own second factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TWO_FACTOR_ENFORCED and self._needs_verification(request):
            if request.path.startswith("/api/"):
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
    attributes and an inline ``<style>`` (DRF's code style). Under
    ``settings.CSP_STYLE_ATTR_PATH_PREFIXES`` the policy's ``style-src`` becomes
    ``'self' 'unsafe-inline'`` (styles only: ``script-src`` stays ``'self'``). Sits after
    ``csp.middleware.CSPMiddleware`` so it marks the response before the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(tuple(settings.CSP_STYLE_ATTR_PATH_PREFIXES)):
            replace = dict(getattr(response, "_csp_replace", None) or {})
            # a hash in style-src would make browsers ignore 'unsafe-inline': replace it
            replace["style-src"] = ["'self'", "'unsafe-inline'"]
            response._csp_replace = replace
        return response
