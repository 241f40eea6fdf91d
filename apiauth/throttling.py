"""Throttling per client: a token, else a user, else the remote address (Redis cache)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_rate(self):
        # read the rate on every request, so override_settings and settings reloads apply
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class BsnSearchThrottle(ClientRateThrottle):
    """A stricter per-client limit on the BSN search, against enumeration."""

    scope = "bsn_search"
