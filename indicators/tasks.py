"""Scheduled and triggered recomputes: thin adapters around ``indicator_values_fill``
(:mod:`indicators.fill`) and the outbox drain (:mod:`indicators.outbox`), and the case-change
listener that feeds the outbox (:func:`case_changed`).

Tasks take ids (and dates as ISO strings) and are safe to run twice: the fill replaces the
periods it computes under an advisory lock, the drain takes outbox rows under row locks. The
fill, the outbox and the wake-up sit one layer below this module; the services queue these
tasks, so neither imports back.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import connection, transaction

from caseload.models import Municipality
from common import clock

from .debounce import COUNTDOWN, wake_up_claim, wake_up_release
from .fill import current_periods, indicator_values_fill
from .outbox import outbox_drain, request_record

logger = logging.getLogger(__name__)


def case_changed(municipality_id: int, affected_from: dt.date) -> None:
    """The listener registered with ``caseload.services.case_change_listener_register``, called
    inside the transaction of the case change: write the outbox row there (it commits with the
    change), and after commit wake the drain up (once per transaction)."""
    request_record(municipality_id=municipality_id, affected_from=affected_from)
    pending = getattr(connection, "run_on_commit", None) or []
    if not any(item[1] is outbox_wake_up for item in pending):
        transaction.on_commit(outbox_wake_up)


def outbox_wake_up() -> None:
    """Queue the drain unless one is pending. Redis or the broker being away costs nothing but
    the wake-up: the row is committed and beat drains the outbox every minute."""
    try:
        if wake_up_claim():
            # one quick retry: a pooled broker connection that went stale while idle (Redis
            # closes idle clients, or restarted) fails its first publish and reconnects; with
            # Redis gone the retry costs one more connect timeout
            indicators_outbox_drain_task.apply_async(
                countdown=COUNTDOWN,
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0},
            )
    except Exception as exc:  # noqa: BLE001 - any broker trouble; the outbox row is safe
        logger.warning(
            "indicator outbox wake-up not sent (%s); beat drains the outbox within a minute",
            type(exc).__name__,
        )


@shared_task(name="indicators.drain_recompute_outbox")
def indicators_outbox_drain_task() -> int:
    """Recompute the periods of the case changes in the outbox (woken up after a change; beat
    runs it every minute as the safety net). Returns the number of requests taken."""
    try:
        wake_up_release()  # before taking rows: a change committed from now on wakes us again
    except Exception as exc:  # noqa: BLE001 - the token expires by itself
        logger.warning("indicator outbox wake-up token not released (%s)", type(exc).__name__)
    return outbox_drain().requests


@shared_task(name="indicators.recompute")
def indicators_recompute_task(
    municipality_id: int, year: int | None = None, codes: list[str] | None = None
) -> int:
    """Recompute all periods of ``year`` (default: every year with data)."""
    result = indicator_values_fill(municipality_id=municipality_id, year=year, codes=codes)
    return result.rows


@shared_task(name="indicators.recompute_all")
def indicators_recompute_all_task() -> int:
    """Nightly: every indicator, every year with data, every municipality."""
    rows = 0
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        rows += indicator_values_fill(municipality_id=municipality_id).rows
    return rows


@shared_task(name="indicators.recompute_current")
def indicators_recompute_current_task() -> int:
    """Every few minutes: the running periods (this month, quarter and year) everywhere."""
    today = clock.today()
    rows = 0
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        rows += indicator_values_fill(
            municipality_id=municipality_id,
            year=today.year,
            periods=current_periods(today=today),
        ).rows
    return rows
