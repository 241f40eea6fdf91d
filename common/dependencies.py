"""What a request does when a server it depends on is down (issue 13, finding 4).

Redis (cache, API throttling, Celery broker and results) is reached with short timeouts
(``REDIS_CONNECT_TIMEOUT``, ``REDIS_SOCKET_TIMEOUT`` in settings) and no retries inside a
request, so a request never waits on it longer than that. What happens then is chosen per
dependency (docs/reliability.md, "Dependencies and what happens when they are down"): a
caller either goes on without it (``apiauth.throttling.ClientRateThrottle``) or refuses with
:class:`ServiceUnavailable`, a 503 with ``Retry-After``; an outage error that reaches past a
view is answered the same way by ``common.middleware.DependencyUnavailableMiddleware`` (the
API's JSON error, the Dutch page elsewhere), never a 500.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import redis
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.backoff import NoBackoff
from redis.retry import Retry
from rest_framework import status
from rest_framework.exceptions import APIException

#: Errors that mean "Redis (or the broker on it) is unreachable or refuses work": connection
#: refused or reset, a timeout, a server that is loading, read-only or out of memory.
REDIS_ERRORS: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, KombuOperationalError)

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = _(
    "Een onderdeel van het systeem is tijdelijk niet bereikbaar. Probeer het over een minuut "
    "opnieuw."
)


def retry_after() -> int:
    """Seconds a client is asked to wait (``Retry-After``) when a dependency is down."""
    return int(settings.DEPENDENCY_RETRY_AFTER)


def is_database_outage(exc: BaseException) -> bool:
    """True for an error that means PostgreSQL cannot be reached (the connection failed or was
    lost: ``OperationalError``/``InterfaceError``), also when it is the cause of another error."""
    from django.db import InterfaceError, OperationalError

    current: BaseException | None = exc
    for _depth in range(5):
        if current is None:
            return False
        if isinstance(current, (InterfaceError, OperationalError)):
            return True
        current = current.__cause__ or current.__context__
    return False


def is_outage(exc: BaseException) -> bool:
    """True for an error that means a dependency is down (see :data:`REDIS_ERRORS`), also when
    it is the cause of another error (kombu and Celery wrap redis-py's)."""
    current: BaseException | None = exc
    for _depth in range(5):
        if current is None:
            return False
        if isinstance(current, REDIS_ERRORS):
            return True
        current = current.__cause__ or current.__context__
    return False


class ServiceUnavailable(APIException):
    """503 in the API's error format; DRF's exception handler adds ``Retry-After``."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = UNAVAILABLE_MESSAGE

    def __init__(self, detail=None, code=None):
        super().__init__(detail, code)
        self.wait = retry_after()


def redis_options(*, timeout: float | None = None) -> dict:
    """Keyword arguments for a redis-py client or pool: the configured connect and read timeouts
    (or ``timeout`` for both) and no retries, so one command waits at most that long."""
    return {
        "socket_connect_timeout": timeout or settings.REDIS_CONNECT_TIMEOUT,
        "socket_timeout": timeout or settings.REDIS_SOCKET_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
    }


def redis_client(url: str, *, timeout: float | None = None) -> redis.Redis:
    """A redis-py client for ``url`` with :func:`redis_options`. Use this (not
    ``redis.Redis.from_url``, whose defaults wait 5 s per attempt and retry three times) for
    every Redis connection made while serving a request."""
    return redis.Redis.from_url(url, **redis_options(timeout=timeout))


@contextlib.contextmanager
def redis_optional(what: str) -> Iterator[None]:
    """For a use of Redis that only saves work or shows something (a cache of rendered cards,
    an import's progress): an outage ends the block with a warning naming ``what`` instead of
    failing the request or the job, and the caller goes on without it (the fault run of 3
    December: the dashboard answered 503 and a running import failed on a Redis blip). Not for
    what must fail closed (the BSN search limit)."""
    try:
        yield
    except REDIS_ERRORS as exc:
        logger.warning("%s: Redis unreachable, going on without it (%s)", what, type(exc).__name__)
