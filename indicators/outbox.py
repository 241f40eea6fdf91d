"""The recompute outbox: a case change is never lost, whatever the broker does (issue 13,
finding 1).

1. **Record** (:func:`request_record`): the case-change listener (``indicators.tasks
   .case_changed``) inserts a :class:`~indicators.models.RecomputeRequest` row *inside the
   transaction of the case change*. The change and its row commit together or not at all.
   Rows are only inserted, never updated, so concurrent changes never wait on each other.
2. **Wake up**: after commit the listener asks Redis/Celery to run the drain soon
   (:mod:`indicators.debounce`). That may be lost (Redis down, a message dropped); beat runs the
   drain every minute anyway (``config/schedule.py``), so a lost wake-up only delays the figure.
3. **Drain** (:func:`outbox_drain`): per municipality, on a connection of its own, take the
   municipality's rows with ``SELECT ... FOR UPDATE SKIP LOCKED``, recompute from the earliest
   ``affected_from`` with the fill (:func:`indicators.fill.indicator_values_fill`, on the
   thread's own connection, outside any transaction as it requires), then delete exactly the
   rows taken and commit. A drain that dies mid-fill (an exception, a killed worker, a lost
   database connection) rolls back its claim: the rows stay and the next drain redoes them. A
   second drain running at the same time skips the locked rows, so no row is processed twice;
   rows committed after the claim are left for the next drain (their wake-up queues one).

A burst of edits costs one recompute: the drain takes every row of the municipality at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections

from .fill import indicator_values_fill
from .models import RecomputeRequest

logger = logging.getLogger(__name__)

_TABLE = RecomputeRequest._meta.db_table


def request_record(*, municipality_id: int, affected_from: dt.date) -> None:
    """Write the outbox row for one case change; call it inside the change's transaction."""
    RecomputeRequest.objects.create(municipality_id=municipality_id, affected_from=affected_from)


@dataclass
class DrainResult:
    #: municipalities recomputed
    municipalities: int = 0
    #: outbox rows taken (and deleted)
    requests: int = 0
    #: indicator value rows written by the fills
    rows: int = 0
    #: municipalities whose recompute failed (their rows stay in the outbox)
    failed: list[int] = field(default_factory=list)


def _claim_next(cursor, *, skip: list[int]) -> tuple[int, list[int], dt.date] | None:
    """Lock the rows of the next municipality with pending rows no other drain holds: its id,
    the row ids and the earliest affected date. None when there is nothing to take."""
    cursor.execute(
        f"SELECT municipality_id FROM {_TABLE} "  # noqa: S608 - the model's own table name
        "WHERE NOT (municipality_id = ANY(%s)) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
        [skip],
    )
    first = cursor.fetchone()
    if first is None:
        return None
    municipality_id = first[0]
    cursor.execute(
        f"SELECT id, affected_from FROM {_TABLE} "  # noqa: S608
        "WHERE municipality_id = %s FOR UPDATE SKIP LOCKED",
        [municipality_id],
    )
    taken = cursor.fetchall()
    return municipality_id, [row[0] for row in taken], min(row[1] for row in taken)


def outbox_drain(*, today: dt.date | None = None) -> DrainResult:
    """Recompute every municipality with pending outbox rows, once each (see the module doc).

    Must not run inside a transaction (the fill commits per indicator). A municipality whose
    fill fails keeps its rows and is not retried in this run; the others are still drained, and
    the first error is raised at the end so the task is marked failed.
    """
    result = DrainResult()
    if not RecomputeRequest.objects.exists():
        return result  # the usual minute: no claim connection opened
    seen: list[int] = []
    error: BaseException | None = None
    while True:
        # the claim lives on a connection of its own: its transaction holds the row locks for as
        # long as the fill runs, and rolls back (rows kept) when this process or the fill dies
        claim = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            claim.set_autocommit(False)
            with claim.cursor() as cursor:
                taken = _claim_next(cursor, skip=seen)
                if taken is None:
                    claim.rollback()
                    break
                municipality_id, ids, affected_from = taken
                seen.append(municipality_id)
                try:
                    fill = indicator_values_fill(
                        municipality_id=municipality_id, affected_from=affected_from, today=today
                    )
                except Exception as exc:
                    claim.rollback()
                    result.failed.append(municipality_id)
                    error = error or exc
                    logger.exception(
                        "indicator outbox drain: recompute failed municipality=%s requests=%s "
                        "(kept for the next drain)",
                        municipality_id,
                        len(ids),
                    )
                    continue
                cursor.execute(
                    f"DELETE FROM {_TABLE} WHERE id = ANY(%s)",  # noqa: S608
                    [ids],
                )
            claim.commit()
        finally:
            claim.close()
        result.municipalities += 1
        result.requests += len(ids)
        result.rows += fill.rows
    if result.requests or result.failed:
        logger.info(
            "indicator outbox drain municipalities=%s requests=%s rows=%s failed=%s",
            result.municipalities,
            result.requests,
            result.rows,
            len(result.failed),
        )
    if error is not None:
        raise error
    return result
