"""The fill: recompute and store indicator values, the body of the recompute tasks (re-exported
by :mod:`indicators.services`).

``indicator_values_fill`` is the only writer of ``IndicatorValue`` and ``FillState``. Per
indicator (all the requested periods, of every year, in one statement) it

1. takes ``pg_advisory_xact_lock(municipality, code)`` and marks the periods 'started'
   (committed), then
2. in one transaction, under the same lock, recomputes the periods' values with one set-based
   statement (:mod:`indicators.engine`) that writes only the rows that changed (inserts the
   new, updates the changed, deletes those no longer computed; a figure computed the same is
   left as it is) and marks them 'done'. The 'done' mark's ``computed_at`` is when the figures
   were last computed ("berekend op", kept while the period is 'started' again); a value's
   ``changed_at`` when it last changed.

So it is idempotent, safe to run twice at once (the lock serialises runs per
municipality and indicator; the second simply recomputes the same figures), and resumable: with
``resume=True`` it fills only periods that are missing, left 'started' by a crash, or computed by
an older definition version.

The fill transaction raises ``work_mem`` for itself only (``SET LOCAL`` via ``set_config``) to
``settings.INDICATORS_FILL_WORK_MEM`` (default ``"64MB"``; any PostgreSQL memory size, or an
empty string to keep the server's setting) and ``hash_mem_multiplier`` to
``settings.INDICATORS_FILL_HASH_MEM_MULTIPLIER`` (default ``"8"``, so hash tables get 512 MB):
hash joins and hashed grouping sets stay in one batch up to national size, sorts of the facts
spill to disk beyond work_mem (docs/benchmarks/scale.md).

With ``settings.INDICATORS_FILL_SHARED_TABLES = True`` (the default) the indicators that use the
same shared relation (``uses=``, see :mod:`indicators.registry`) are filled together, in one
transaction that builds the relation once as a TEMP TABLE; that batch starts first, as it is the
longest. ``False`` fills them one by one, each computing the relation as a CTE, so that they can
run on different workers. Same figures. Measured on 4 December, sharing against not, same runs
alternating: a full recompute at 40,000 households 12.1-12.3 -> 10.8-11.0 s, at 400,000
131.8 -> 117.2 s, the regional bench's 16 municipalities 20.0-20.3 -> 19.4-19.5 s (the eight
indicators compute benefit_dims and group_segments once instead of eight and two times).

Outside a transaction the batches (one indicator each by default) run on
``settings.INDICATORS_FILL_WORKERS`` threads (default 2), each with its own database connection:
the fill is CPU-bound in PostgreSQL, so two connections use two cores. Inside a transaction (a
caller's ``atomic`` block, a test) they run one after the other, as other connections could not
see its rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, transaction

from caseload.models import Benefit, Municipality
from common import clock
from common.exceptions import DomainError

from . import definitions  # noqa: F401 - registers the preloaded indicators
from .calculations import Period, periods_affected, periods_of_year
from .engine import (
    definition_params,
    fill_sql,
    period_arrays,
    same_facts,
    shared_relation_create_sql,
    statement_params,
)
from .models import FillState, ManualValue
from .registry import IndicatorDefinition, indicator_all, indicator_get, is_registered

logger = logging.getLogger(__name__)

#: a full recompute covers at most this many years before the current one (benefits that
#: started decades ago would otherwise make every run compute long-gone years)
HISTORY_YEARS = 10

#: ``work_mem`` of the fill transaction unless ``settings.INDICATORS_FILL_WORK_MEM`` says otherwise
DEFAULT_FILL_WORK_MEM = "64MB"

#: ``hash_mem_multiplier`` of the fill transaction unless
#: ``settings.INDICATORS_FILL_HASH_MEM_MULTIPLIER`` says otherwise: hash tables (the dimension
#: tables joined to the facts, the group spans' change days, the grouping sets' groups) get
#: 8 x work_mem = 512 MB, so that at 400,000 households they are still built in one batch (at
#: 40,000 the largest is 41 MB, the residents' table 13 MB), while the sorts of the facts, which
#: grow with the data, may spill to disk beyond work_mem (issue 19)
DEFAULT_FILL_HASH_MEM_MULTIPLIER = "8"

#: batches filled at once unless ``settings.INDICATORS_FILL_WORKERS`` says otherwise
DEFAULT_FILL_WORKERS = 2


@dataclass
class FillResult:
    periods: int = 0
    #: values written: new, changed or deleted (a figure computed the same as stored is not
    #: rewritten, so a recompute without changes writes none)
    rows: int = 0
    codes: list[str] = field(default_factory=list)
    #: wall seconds per batch (one indicator unless shared tables gather several), by code(s)
    seconds: dict[str, float] = field(default_factory=dict)


def current_periods(*, today: dt.date | None = None) -> list[Period]:
    """The running month, quarter and year (what beat refreshes every few minutes)."""
    today = today or clock.today()
    return [
        p
        for p in periods_of_year(today.year, ("month", "quarter", "year"), today)
        if p.start <= today <= p.end
    ]


def _data_years(
    *, municipality_id: int, today: dt.date, records_from: dt.date | None = None
) -> list[int]:
    first = (
        Benefit.objects.filter(household__municipality_id=municipality_id)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    if first is not None and records_from is not None:
        first = max(first, records_from)
    manual = (
        ManualValue.objects.filter(municipality_id=municipality_id)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    starts = [d.year for d in (first, manual) if d is not None]
    first_year = max(min([*starts, today.year]), today.year - HISTORY_YEARS)
    return list(range(first_year, today.year + 1))


def _lock(cursor, municipality_id: int, defns: list[IndicatorDefinition]) -> None:
    """The advisory lock of each definition, one after the other in code order (so that two
    fills of overlapping sets cannot deadlock)."""
    for defn in sorted(defns, key=lambda d: d.code):
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::int, hashtext(%s))", [municipality_id, defn.code]
        )


def _records_from_now(municipality_id: int, defns: list[IndicatorDefinition]) -> dt.date | None:
    """The municipality's ``records_from`` as committed now (called under the definitions'
    locks); ``None`` for hand-entered definitions, whose periods it does not limit."""
    if any(defn.manual for defn in defns):
        return None
    return (
        Municipality.objects.filter(pk=municipality_id)
        .values_list("records_from", flat=True)
        .first()
    )


def _work_mem(cursor) -> None:
    """Raise ``work_mem`` and ``hash_mem_multiplier`` for the current transaction only
    (``SET LOCAL``)."""
    value = getattr(settings, "INDICATORS_FILL_WORK_MEM", DEFAULT_FILL_WORK_MEM)
    if value:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [str(value)])
    multiplier = getattr(
        settings, "INDICATORS_FILL_HASH_MEM_MULTIPLIER", DEFAULT_FILL_HASH_MEM_MULTIPLIER
    )
    if multiplier:
        cursor.execute("SELECT set_config('hash_mem_multiplier', %s, true)", [str(multiplier)])


def _mark(
    cursor, *, municipality_id: int, defns: list[IndicatorDefinition], periods, state: str
) -> None:
    """Mark ``periods`` of every definition in ``defns`` as ``state``, in one statement."""
    cursor.execute(
        """
        INSERT INTO indicators_fillstate
            (municipality_id, code, period_start, period_end, state, definition_version,
             updated_at, computed_at)
        SELECT %(municipality_id)s, d.code, s.period_start, s.period_end, %(state)s,
               d.version, now(), CASE WHEN %(state)s = 'done' THEN now() END
          FROM unnest(%(codes)s::text[], %(versions)s::int[]) AS d(code, version)
         CROSS JOIN unnest(%(starts)s::date[], %(ends)s::date[]) AS s(period_start, period_end)
        ON CONFLICT (municipality_id, code, period_start, period_end) DO UPDATE
           SET state = EXCLUDED.state, definition_version = EXCLUDED.definition_version,
               updated_at = EXCLUDED.updated_at,
               computed_at = coalesce(EXCLUDED.computed_at, indicators_fillstate.computed_at)
        """,
        {
            "municipality_id": municipality_id,
            "state": state,
            **definition_params(*defns),
            **period_arrays(periods),
        },
    )


def _fill_periods(
    *,
    municipality_id: int,
    defns: list[IndicatorDefinition],
    periods: list[Period],
    today: dt.date,
) -> int:
    """Fill ``periods`` for every definition in ``defns`` in one transaction.

    The advisory locks are taken in code order (so concurrent fills cannot deadlock); the
    periods are marked 'started' (committed) and 'done' for all of them at once. A shared
    relation used by two or more of the definitions is built once as a TEMP TABLE (dropped at
    commit) and read by all of them; otherwise each statement computes it as a CTE.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, municipality_id, defns)
        _mark(
            cursor, municipality_id=municipality_id, defns=defns, periods=periods, state="started"
        )
    # definitions with the same facts are one statement (their figures computed once); a shared
    # relation read by two or more statements is built once
    statements: dict[tuple, list[IndicatorDefinition]] = {}
    for defn in defns:
        statements.setdefault(same_facts(defn), []).append(defn)
    uses = [name for group in statements.values() for name in group[0].uses]
    shared = frozenset(name for name in uses if uses.count(name) > 1)
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, municipality_id, defns)
        records_from = _records_from_now(municipality_id, defns)
        if records_from is not None and any(p.start < records_from for p in periods):
            # records_from moved since this fill read it, and the full fill's delete of the
            # earlier periods may have run: they are not written back, nor left 'started'
            _delete_before(cursor, municipality_id, defns, records_from)
            periods = [p for p in periods if p.start >= records_from]
            if not periods:
                return 0
        base = statement_params(municipality_id=municipality_id, today=today, periods=periods)
        _work_mem(cursor)
        for name in sorted(shared):
            for statement in shared_relation_create_sql(name):
                cursor.execute(statement, base)
        for group in statements.values():
            cursor.execute(fill_sql(group[0], shared), {**base, **definition_params(*group)})
            rows += cursor.fetchone()[0]
        _mark(cursor, municipality_id=municipality_id, defns=defns, periods=periods, state="done")
    return rows


def _batches(
    defs: list[IndicatorDefinition], *, relations: bool = True
) -> list[list[IndicatorDefinition]]:
    """``defs`` in order, but those with the same facts (:func:`engine.same_facts`) and, with
    ``relations``, those using a shared relation gathered in one batch, so they are filled
    together and share them; the gathered batches first (the longest first), so that the
    workers do not end with one of them running alone: at 400,000 households the eight
    indicators reading ``benefit_dims`` take 112 of the recompute's 117 seconds on one worker."""
    batches: list[list[IndicatorDefinition]] = []
    by_key: dict[object, list[IndicatorDefinition]] = {}
    for defn in defs:
        keys = [("facts", same_facts(defn))] + (list(defn.uses) if relations else [])
        batch = next((by_key[k] for k in keys if k in by_key), None)
        if batch is None:
            batch = []
            batches.append(batch)
        batch.append(defn)
        for key in keys:
            by_key.setdefault(key, batch)
    return sorted(batches, key=len, reverse=True)  # (stable: otherwise in order)


def _fill_workers() -> int:
    """How many batches run at once: ``settings.INDICATORS_FILL_WORKERS``, but one inside a
    transaction (another connection would not see its uncommitted rows)."""
    if connection.in_atomic_block:
        return 1
    return max(1, int(getattr(settings, "INDICATORS_FILL_WORKERS", DEFAULT_FILL_WORKERS)))


def _run_batches(
    fill_batch: Callable[[list[IndicatorDefinition]], FillResult],
    batches: list[list[IndicatorDefinition]],
) -> list[FillResult]:
    """``fill_batch`` over ``batches``, in order or on worker threads with a database connection
    each. The batches are independent (each commits its own periods under its own locks), and
    the work is in PostgreSQL, so two connections use two cores."""
    workers = min(_fill_workers(), len(batches))
    if workers <= 1:
        return [fill_batch(batch) for batch in batches]
    todo = iter(enumerate(batches))
    lock = threading.Lock()
    results: dict[int, FillResult] = {}

    def worker() -> None:
        try:
            while True:
                with lock:
                    item = next(todo, None)
                if item is None:
                    return
                results[item[0]] = fill_batch(item[1])
        finally:
            connections.close_all()  # this thread's connection only

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="indicator-fill") as pool:
        for future in [pool.submit(worker) for _ in range(workers)]:
            future.result()  # re-raises a worker's error
    return [results[i] for i in range(len(batches))]


def _before_records_delete(
    *, municipality_id: int, defs: list[IndicatorDefinition], before: dt.date
) -> None:
    """Values of the periods before the municipality's ``records_from`` go: figures from the
    dossiers for a time the system did not hold them read as zeros (the independent
    recomputation of 3 December: 0 outflows to work in 2018, where the plan counts 205). Hand-
    entered values (CBS figures) stay.

    Under the definitions' locks: a fill of the same definitions that is writing is waited for,
    and one that writes after the delete reads the new ``records_from`` under its locks first
    (:func:`_records_from_now`), so no figure before it is written back."""
    from_dossiers = [defn for defn in defs if not defn.manual]
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, municipality_id, from_dossiers)
        _delete_before(cursor, municipality_id, from_dossiers, before)


def _delete_before(
    cursor, municipality_id: int, defns: list[IndicatorDefinition], before: dt.date
) -> None:
    """The values and fill states of ``defns`` for the periods that start before ``before``."""
    params = {"m": municipality_id, "codes": [defn.code for defn in defns], "before": before}
    cursor.execute(
        """DELETE FROM indicators_indicatorvalue
            WHERE municipality_id = %(m)s AND code = ANY(%(codes)s)
              AND period_start < %(before)s""",
        params,
    )
    cursor.execute(
        """DELETE FROM indicators_fillstate
            WHERE municipality_id = %(m)s AND code = ANY(%(codes)s)
              AND period_start < %(before)s""",
        params,
    )


def _done_periods(*, municipality_id: int, defn: IndicatorDefinition) -> set[tuple]:
    return set(
        FillState.objects.filter(
            municipality_id=municipality_id,
            code=defn.code,
            state=FillState.State.DONE,
            definition_version=defn.version,
        ).values_list("period_start", "period_end")
    )


def indicator_values_fill(
    *,
    municipality_id: int,
    codes: list[str] | None = None,
    year: int | None = None,
    periods: list[Period] | None = None,
    affected_from: dt.date | None = None,
    resume: bool = False,
    today: dt.date | None = None,
) -> FillResult:
    """Compute and store indicator values for one municipality.

    Which periods: those of ``year`` (default: every year from the first benefit to this year)
    that have started by ``today``; narrowed to ``periods`` when given, to the periods touched
    by a change on ``affected_from`` (and everything after it; minus the outflow return window,
    as a new benefit can cancel an earlier outflow) when given, and with
    ``resume=True`` to periods not yet done with the current definition version.
    Must not run inside a transaction: each indicator commits its own periods.
    """
    today = today or clock.today()
    result = FillResult()
    municipality = Municipality.objects.filter(pk=municipality_id).only("records_from").first()
    if municipality is None:
        return result  # e.g. a task for a municipality deleted after it was queued
    records_from = municipality.records_from
    if codes is None:
        defs = indicator_all()
    else:
        unknown = [c for c in codes if not is_registered(c)]
        if unknown:
            raise DomainError(f"Onbekende indicator: {', '.join(unknown)}.", code="unknown_code")
        # each once: two of the same code in one statement would write each row twice
        defs = [indicator_get(c) for c in dict.fromkeys(codes)]
    if affected_from is not None:
        # a new benefit start can undo an outflow up to the return window before it
        affected_from -= dt.timedelta(days=settings.OUTFLOW_RETURN_WINDOW_DAYS)
    if year is not None:
        years = [year]
    else:
        years = _data_years(municipality_id=municipality_id, today=today, records_from=records_from)
        if affected_from is not None:
            years = [y for y in years if y >= affected_from.year]
    wanted = set(periods) if periods is not None else None
    # Shared relations as TEMP TABLEs unless turned off: that gathers their indicators on one
    # connection; off, one indicator per batch (but those with the same facts) spreads them
    batches = _batches(defs, relations=getattr(settings, "INDICATORS_FILL_SHARED_TABLES", True))

    def fill_batch(batch: list[IndicatorDefinition]) -> FillResult:
        part = FillResult()
        started = time.monotonic()
        done = {
            defn.code: _done_periods(municipality_id=municipality_id, defn=defn)
            if resume
            else set()
            for defn in batch
        }
        # one statement per definition for all the years at once: the per-period definitions
        # left are small, and the interval ones grow with the items, not items x periods
        # (measured at 40,000 households: a year at a time repeated the scans 11 times)
        todo_by_periods: dict[tuple[Period, ...], list[IndicatorDefinition]] = {}
        for defn in batch:
            todo = [p for y in years for p in periods_of_year(y, defn.period_kinds, today)]
            if wanted is not None:
                todo = [p for p in todo if p in wanted]
            if records_from is not None and not defn.manual:
                todo = [p for p in todo if p.start >= records_from]
            if affected_from is not None:
                todo = periods_affected(todo, affected_from)
            if resume:
                todo = [p for p in todo if (p.start, p.end) not in done[defn.code]]
            if todo:
                todo_by_periods.setdefault(tuple(todo), []).append(defn)
        for todo_periods, defns in todo_by_periods.items():
            part.rows += _fill_periods(
                municipality_id=municipality_id,
                defns=defns,
                periods=list(todo_periods),
                today=today,
            )
            part.periods += len(todo_periods) * len(defns)
        part.codes += [defn.code for defn in batch]
        part.seconds[", ".join(part.codes)] = time.monotonic() - started
        return part

    if records_from is not None and year is None and periods is None and affected_from is None:
        # a full fill (nightly, or by hand): a moved records_from takes effect here, not in
        # each small recompute after a case change
        _before_records_delete(municipality_id=municipality_id, defs=defs, before=records_from)
    for part in _run_batches(fill_batch, batches):
        result.rows += part.rows
        result.periods += part.periods
        result.codes += part.codes
        result.seconds.update(part.seconds)
    position = {defn.code: i for i, defn in enumerate(defs)}
    result.codes.sort(key=position.__getitem__)  # as asked, whatever order the batches ran in
    logger.info(
        "indicator fill municipality=%s codes=%s periods=%s rows=%s",
        municipality_id,
        len(result.codes),
        result.periods,
        result.rows,
    )
    return result
