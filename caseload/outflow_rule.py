"""The one rule of "an outflow to work" (``docs/glossary.md``, DOMAIN.md), for every reader.

An outflow event counts as an outflow to work when its reason is work (full outflow, partial
outflow: part-time work with a supplementary benefit, or more hours), unless it was a full
outflow and the household got a bijstand benefit again within the return window
(``OUTFLOW_RETURN_WINDOW_DAYS``; loonkostensubsidie is no benefit: :data:`BIJSTAND_REGIMES_SQL`): then the resident did not really leave. A benefit that starts
on the outflow day itself is such a return (a benefit does not run on its end date, so the
household was never without one; the independent recomputation of 4 December: a switch from
algemene bijstand to IOAW on one day counted as outflow to work and as new inflow). The indicator
``outflow.to_work`` (set-based SQL in ``indicators/definitions.py``) and the realised business
case (``budget.selectors``) both use :data:`OUTFLOW_TO_WORK_SQL`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection

#: the benefit regimes a return (or an earlier benefit, for the inflow) is one of: the bijstand
#: benefits (algemene bijstand, IOAW, IOAZ, Bbz for starters). Loonkostensubsidie is a subsidy
#: to the employer, no benefit of the household: recorded from the day a resident starts
#: subsidised work, it is that outflow to work, not a return (the review of 4 December)
BIJSTAND_REGIMES_SQL = "('pw', 'ioaw', 'ioaz', 'bbz_starter')"

#: the condition on ``caseload_outflowevent o`` joined to its ``caseload_benefit b``; takes the
#: query parameter ``return_window`` (days)
OUTFLOW_TO_WORK_SQL = f"""
    o.reason = 'werk'
    AND NOT (o.kind = 'volledig' AND EXISTS (
        SELECT 1 FROM caseload_benefit nb
         WHERE nb.household_id = b.household_id AND nb.id <> o.benefit_id
           AND nb.regime IN {BIJSTAND_REGIMES_SQL}
           AND nb.start_date >= o.occurred_on
           AND nb.start_date <= o.occurred_on + %(return_window)s
    ))
"""  # noqa: S608 - a constant regime list; every value is bound


@dataclass(frozen=True)
class OutflowToWork:
    """One counted outflow to work (no personal data: the benefit's id, the kind, the date)."""

    kind: str
    occurred_on: dt.date
    benefit_id: int
    hours_per_week: Decimal | None


def outflow_to_work_events(
    *, municipality_id: int, start: dt.date, end: dt.date
) -> list[OutflowToWork]:
    """The outflows to work of a municipality from ``start`` to ``end`` (inclusive), in order:
    the events ``outflow.to_work`` counts for that span."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT o.kind, o.occurred_on, o.benefit_id, o.hours_per_week
              FROM caseload_outflowevent o
              JOIN caseload_benefit b ON b.id = o.benefit_id
              JOIN caseload_household h ON h.id = b.household_id
             WHERE h.municipality_id = %(municipality_id)s
               AND o.occurred_on BETWEEN %(start)s AND %(end)s
               AND {OUTFLOW_TO_WORK_SQL}
             ORDER BY o.occurred_on, o.id
            """,  # noqa: S608 - the interpolated text is a constant of this module
            {
                "municipality_id": municipality_id,
                "start": start,
                "end": end,
                "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
            },
        )
        return [OutflowToWork(*row) for row in cursor.fetchall()]
