"""Coalescing case changes into one recompute per burst (Redis, no ORM).

Every case write calls ``indicators.tasks.case_changed`` after commit. It records the earliest
affected date in a sorted set (:func:`dirty_mark`) and, only when no recompute is pending
(``SET NX`` token), queues one with a short countdown. The task first drops the token and then
takes the earliest date atomically, so an edit arriving while it runs queues the next recompute;
nothing is lost and a burst of edits costs one recompute.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import redis
from django.conf import settings
from django.db import connection

#: seconds between the first edit of a burst and the recompute
COUNTDOWN = 2
TOKEN_TTL = 10 * 60


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(f"{settings.REDIS_URL}/2")


def _keys(municipality_id: int) -> tuple[str, str]:
    # Namespaced by database so test databases (and deployments) sharing a Redis do not mix.
    base = f"indicators:{connection.settings_dict['NAME']}:{municipality_id}"
    return f"{base}:token", f"{base}:dirty"


def dirty_mark(municipality_id: int, affected_from: dt.date) -> bool:
    """Record a change; True when the caller should queue a recompute."""
    token, dirty = _keys(municipality_id)
    client = _client()
    ordinal = affected_from.toordinal()
    client.zadd(dirty, {str(ordinal): ordinal})
    return bool(client.set(token, 1, nx=True, ex=TOKEN_TTL))


def dirty_take(municipality_id: int) -> dt.date | None:
    """Drop the pending token and take (and clear) the earliest affected date."""
    token, dirty = _keys(municipality_id)
    client = _client()
    client.delete(token)
    pipe = client.pipeline(transaction=True)
    pipe.zrange(dirty, 0, 0)
    pipe.delete(dirty)
    first, _ = pipe.execute()
    if not first:
        return None
    return dt.date.fromordinal(int(first[0]))
