"""Scheduled and triggered recomputes: thin adapters around ``indicator_values_fill``.

Tasks take ids (and dates as ISO strings) and are safe to run twice: the fill service replaces
the periods it computes under an advisory lock.
"""

from __future__ import annotations

from celery import shared_task

from caseload.models import Municipality
from common import clock

from . import services
from .debounce import dirty_take


@shared_task(name="indicators.recompute")
def indicators_recompute_task(
    municipality_id: int, year: int | None = None, codes: list[str] | None = None
) -> int:
    """Recompute all periods of ``year`` (default: every year with data)."""
    result = services.indicator_values_fill(municipality_id=municipality_id, year=year, codes=codes)
    return result.rows


@shared_task(name="indicators.recompute_dirty")
def indicators_recompute_dirty_task(municipality_id: int) -> int:
    """Recompute the periods touched by the case changes collected since the last run."""
    affected_from = dirty_take(municipality_id)
    if affected_from is None:
        return 0
    result = services.indicator_values_fill(
        municipality_id=municipality_id, affected_from=affected_from
    )
    return result.rows


@shared_task(name="indicators.recompute_all")
def indicators_recompute_all_task() -> int:
    """Nightly: every indicator, every year with data, every municipality."""
    rows = 0
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        rows += services.indicator_values_fill(municipality_id=municipality_id).rows
    return rows


@shared_task(name="indicators.recompute_current")
def indicators_recompute_current_task() -> int:
    """Every few minutes: the running periods (this month, quarter and year) everywhere."""
    today = clock.today()
    rows = 0
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        rows += services.indicator_values_fill(
            municipality_id=municipality_id,
            year=today.year,
            periods=services.current_periods(today=today),
        ).rows
    return rows
