"""Scheduled and triggered recomputes: thin adapters around ``indicator_values_fill``
(:mod:`indicators.fill`), and the case-change listener that queues them (:func:`case_changed`).

Tasks take ids (and dates as ISO strings) and are safe to run twice: the fill replaces the
periods it computes under an advisory lock. The fill and the debounce sit one layer below this
module; the services queue these tasks, so neither imports back.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from caseload.models import Municipality
from common import clock

from .debounce import COUNTDOWN, dirty_mark, dirty_take
from .fill import current_periods, indicator_values_fill


def case_changed(municipality_id: int, affected_from: dt.date) -> None:
    """The listener registered with ``caseload.services.case_change_listener_register``: note
    the earliest affected date and queue one recompute per burst (:mod:`indicators.debounce`)."""
    if dirty_mark(municipality_id, affected_from):
        indicators_recompute_dirty_task.apply_async((municipality_id,), countdown=COUNTDOWN)


@shared_task(name="indicators.recompute")
def indicators_recompute_task(
    municipality_id: int, year: int | None = None, codes: list[str] | None = None
) -> int:
    """Recompute all periods of ``year`` (default: every year with data)."""
    result = indicator_values_fill(municipality_id=municipality_id, year=year, codes=codes)
    return result.rows


@shared_task(name="indicators.recompute_dirty")
def indicators_recompute_dirty_task(municipality_id: int) -> int:
    """Recompute the periods touched by the case changes collected since the last run."""
    affected_from = dirty_take(municipality_id)
    if affected_from is None:
        return 0
    result = indicator_values_fill(municipality_id=municipality_id, affected_from=affected_from)
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
