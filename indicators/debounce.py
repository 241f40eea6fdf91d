"""The drain's wake-up de-duplicator (Redis, no ORM).

The durable record of a case change is its outbox row (:mod:`indicators.outbox`); Redis only
wakes the drain up. After a commit the case-change listener calls :func:`wake_up_claim`: only
the first caller since the last drain started gets True (``SET NX`` token) and queues the drain
with a short countdown, so a burst of edits queues one drain. The drain task drops the token
before it takes the rows (:func:`wake_up_release`), so an edit committed while it runs queues
the next one.

Redis may be slow or gone: every call waits at most the Redis timeouts (:data:`REDIS_TIMEOUT`),
tries once and raises ``redis.RedisError`` (the callers log and carry on). The token expires
after :data:`TOKEN_TTL` so that a wake-up lost after the token was set holds back the next ones
only briefly; beat runs the drain every minute whatever happens here.
"""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings
from django.db import connection
from redis.backoff import NoBackoff
from redis.retry import Retry

#: seconds between the first edit of a burst and the drain
COUNTDOWN = 2
#: seconds a wake-up token lives (beat's safety net runs the drain every 60 s)
TOKEN_TTL = 60
#: seconds the request thread waits on Redis at most (connect, read, write), unless the settings
#: say otherwise (``REDIS_CONNECT_TIMEOUT``, ``REDIS_SOCKET_TIMEOUT``)
REDIS_TIMEOUT = 0.5


def _client() -> redis.Redis:
    """The client for the Redis the settings name now (one per URL and timeouts: a process
    whose settings change, such as a test pointing at a Redis of its own, gets the right one)."""
    return _client_for(
        settings.REDIS_URL,
        getattr(settings, "REDIS_SOCKET_TIMEOUT", REDIS_TIMEOUT),
        getattr(settings, "REDIS_CONNECT_TIMEOUT", REDIS_TIMEOUT),
    )


@cache
def _client_for(url: str, socket_timeout: float, connect_timeout: float) -> redis.Redis:
    return redis.Redis.from_url(
        f"{url}/2",
        socket_timeout=socket_timeout,
        socket_connect_timeout=connect_timeout,
        retry=Retry(NoBackoff(), 0),  # one attempt: the caller logs and beat catches up
    )


def _token() -> str:
    # Namespaced by database so test databases (and deployments) sharing a Redis do not mix.
    return f"indicators:{connection.settings_dict['NAME']}:outbox-wake-up"


def wake_up_claim() -> bool:
    """True when the caller should queue the drain (no wake-up pending)."""
    return bool(_client().set(_token(), 1, nx=True, ex=TOKEN_TTL))


def wake_up_release() -> None:
    """Drop the pending token: the next committed change queues a drain again."""
    _client().delete(_token())
