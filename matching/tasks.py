"""Scheduled and triggered refreshes of the candidate facts and the stored match scores: thin
adapters around :mod:`matching.facts`, and the case-change listener that queues them.

Tasks take ids and are safe to run twice (the refreshes rewrite what they cover).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

import redis
from celery import shared_task
from django.conf import settings
from django.db import connection, transaction

from .facts import candidate_facts_refresh, stored_matches_refresh

logger = logging.getLogger(__name__)

#: seconds between the first case change of a burst in a municipality and its facts refresh
COUNTDOWN = 2
#: seconds a municipality's wake-up token lives (the beat refresh is the safety net)
TOKEN_TTL = 60
REDIS_TIMEOUT = 0.5


@functools.cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        f"{url}/2", socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def _token(municipality_id: int) -> str:
    return f"matching:{connection.settings_dict['NAME']}:facts:{municipality_id}"


def case_changed(municipality_id: int, affected_from: dt.date) -> None:
    """The listener registered with ``caseload.services.case_change_listener_register``: after
    commit, queue one facts refresh of the municipality (once per transaction and municipality;
    a burst of changes within :data:`COUNTDOWN` seconds queues one refresh)."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(getattr(item[1], "matching_facts_of", None) == municipality_id for item in pending):
        return
    wake = functools.partial(facts_refresh_wake_up, municipality_id)
    wake.matching_facts_of = municipality_id  # type: ignore[attr-defined]
    transaction.on_commit(wake)


def facts_refresh_wake_up(municipality_id: int) -> None:
    """Queue the municipality's refresh unless one is pending. Redis or the broker being away
    costs only the wake-up: beat refreshes the region's facts every few minutes."""
    try:
        if _client_for(settings.REDIS_URL).set(_token(municipality_id), 1, nx=True, ex=TOKEN_TTL):
            candidate_facts_refresh_task.apply_async(
                args=[municipality_id], countdown=COUNTDOWN, retry=False
            )
    except Exception as exc:  # noqa: BLE001 - any Redis or broker trouble; beat catches up
        logger.warning(
            "candidate facts refresh not queued (%s); beat refreshes them within minutes",
            type(exc).__name__,
        )


@shared_task(name="matching.candidate_facts_refresh")
def candidate_facts_refresh_task(municipality_id: int | None = None) -> int:
    """Refresh the candidate facts of one municipality (None: the region)."""
    if municipality_id is not None:
        try:  # before refreshing: a change committed from now on queues the next one
            _client_for(settings.REDIS_URL).delete(_token(municipality_id))
        except Exception as exc:  # noqa: BLE001 - the token expires by itself
            logger.warning("facts wake-up token not released (%s)", type(exc).__name__)
    return candidate_facts_refresh(municipality_id=municipality_id).written


@shared_task(name="matching.nightly_refresh")
def matching_nightly_refresh_task() -> int:
    """Nightly, after the profile import and the day's case changes: the region's candidate
    facts, then the stored scores of every open vacancy. Returns the vacancies refreshed."""
    candidate_facts_refresh()
    return stored_matches_refresh()
