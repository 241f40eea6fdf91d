"""Throttling per client: a token, else a user, else the remote address (Redis cache).

When Redis cannot be reached (within ``REDIS_SOCKET_TIMEOUT``; issue 13, finding 4) the general
limit fails open: the request goes on and a warning is logged, since refusing every API call
while the cache is down would turn a cache outage into an API outage. The BSN search limit
fails closed: it is the protection against enumerating BSNs, so without it the search (and the
registration's BSN check) answers 503 with ``Retry-After``. docs/reliability.md and
docs/security.md record the choice.
"""

from __future__ import annotations

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from common.dependencies import REDIS_ERRORS, ServiceUnavailable

from .models import ApiToken

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"
    #: let requests through when the counter cannot be read or written (see the module doc)
    fail_open = True

    def get_rate(self):
        # read the rate on every request, so override_settings and settings reloads apply
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        # a page's request (registers' BSN step) has no ``auth``: the user's counter
        if isinstance(getattr(request, "auth", None), ApiToken):
            ident = f"token-{request.auth.pk}-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except REDIS_ERRORS as exc:
            if self.fail_open:
                logger.warning(
                    "throttle %s: cache unreachable (%s), request let through unthrottled",
                    self.scope,
                    exc.__class__.__name__,
                )
                return True
            logger.warning(
                "throttle %s: cache unreachable (%s), request refused with 503",
                self.scope,
                exc.__class__.__name__,
            )
            raise ServiceUnavailable() from exc


class BsnSearchThrottle(ClientRateThrottle):
    """A stricter per-client limit on the BSN search, against enumeration; fails closed."""

    scope = "bsn_search"
    fail_open = False
