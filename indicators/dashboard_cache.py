"""The dashboard's indicator cards, each rendered once per state of its stored figures (issue 17,
"Scale": the dashboard under load).

The overview page renders 40+ cards from the stored values of two years; a card depends only
on its indicator and the municipality, the year, whether figures are shown exactly or with small-number
suppression (``selectors.has_case_access``), the language, today's date (the running year's
forecast) and the stored rows themselves. The rendered cards are kept in Django's cache (Redis,
``CACHES["default"]``), one entry per card (its HTML and its chart data), under a key that holds
a *fingerprint* of the indicator's rows: the number and the sum of a 64-bit hash of every shown
column (``ROW(...)::text``, which tells NULL from an empty string) of the municipality's values
of the two years, and the same of its target of the year. A fill that changes a figure, a new or
deleted row and every target change make a new key for that card, so a changed figure is never
served from the cache; a recompute that writes the same figures again keeps the entries (the
worker recomputes every indicator after each case change; most figures stay the same), and
after one that changes a few indicators only their cards are rendered again. An entry that is no
longer asked for expires after :data:`TIMEOUT`.

One aggregate over the indexed rows per request (about 15-20 ms for the 12,000 values of a
municipality of 10,000 households) and one Redis MGET, instead of loading the rows
(``_year_rows``) and rendering every card (0.8-1.2 s there). Reads stored figures only, never a
case table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from common.dependencies import redis_optional

from . import suppression
from .registry import indicator_all

#: seconds a rendered card is kept (changed figures make a new key anyway)
TIMEOUT = 15 * 60


def cached_many(keys: list[str]) -> dict[str, Any]:
    """The entries of ``keys`` that the cache holds; none when Redis is down. The cache only
    saves work: every figure is in PostgreSQL, so the dashboard and the regional pages render
    from there instead of answering 503 (the fault run of 3 December)."""
    found: dict[str, Any] = {}
    with redis_optional("dashboard cache"):
        found = cache.get_many(keys)
    return found


def store_many(entries: dict[str, Any]) -> None:
    """Keep ``entries`` for :data:`TIMEOUT`; nothing when Redis is down (see :func:`cached_many`)."""
    with redis_optional("dashboard cache"):
        cache.set_many(entries, TIMEOUT)


_VERSIONS_SQL = """
WITH v AS (
    SELECT code, count(*) AS n,
           sum(hashtextextended(ROW(code, period_kind, period_start, period_end, dimension,
                                    dimension_value, value, numerator, denominator)::text,
                                0)) AS fingerprint
      FROM indicators_indicatorvalue
     WHERE municipality_id = %(municipality_id)s
       AND period_kind IN ('month', 'quarter', 'year')
       AND period_start BETWEEN %(first)s AND %(last)s
     GROUP BY code
), t AS (
    SELECT code, sum(hashtextextended(ROW(code, baseline, target, note)::text, 0)) AS fingerprint
      FROM indicators_target
     WHERE municipality_id = %(municipality_id)s AND year = %(year)s
     GROUP BY code
)
SELECT coalesce(v.code, t.code), v.n, v.fingerprint, t.fingerprint
  FROM v FULL JOIN t ON t.code = v.code
"""


def card_keys(*, municipality_id: int, year: int, exact: bool, today: dt.date) -> dict[str, str]:
    """The cache key of every registered indicator's card in its current state (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _VERSIONS_SQL,
            {
                "municipality_id": municipality_id,
                "year": year,
                "first": dt.date(year - 1, 1, 1),
                "last": dt.date(year, 12, 31),
            },
        )
        versions = {row[0]: row[1:] for row in cursor.fetchall()}
    common = (
        connection.settings_dict["NAME"],  # one Redis may serve several databases
        municipality_id,
        year,
        int(exact),
        get_language(),
        today.isoformat(),
    )
    keys = {}
    for defn in indicator_all():
        raw = "|".join(
            str(part)
            for part in (
                *common,
                defn.code,
                defn.version,
                defn.label,  # a deploy that renames an indicator
                # a text read from the database when rendered (the national series' coverage,
                # ``statline.indicators``): a new import changes it without changing a figure
                str(defn.no_value_text) if defn.no_value_text else "",
                *versions.get(defn.code, ()),
            )
        )
        keys[defn.code] = "indicators:card:" + hashlib.sha256(raw.encode()).hexdigest()
    return keys


_MASKS_VERSIONS_SQL = """
SELECT municipality_id, count(*),
       sum(hashtextextended(ROW(code, period_kind, period_start, period_end, dimension,
                                dimension_value, value, numerator, denominator)::text, 0))
  FROM indicators_indicatorvalue
 WHERE municipality_id = ANY(%(municipality_ids)s)
   AND period_start BETWEEN %(first)s AND %(last)s
 GROUP BY municipality_id
"""


def masks_keys(*, municipality_ids: list[int], year: int, threshold: int) -> dict[int, str]:
    """The cache key of each municipality's published masks of ``year``
    (``selectors.published_masks``), under a fingerprint of all its stored rows of the year (one
    query): a fill that changes any figure of the year makes a new key, so masks computed from
    older figures are never served."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MASKS_VERSIONS_SQL,
            {
                "municipality_ids": municipality_ids,
                "first": dt.date(year, 1, 1),
                "last": dt.date(year, 12, 31),
            },
        )
        versions = {row[0]: row[1:] for row in cursor.fetchall()}
    # a deploy that changes a definition (its version, unit, dimensions, whether its numerator
    # is a count or it is entered by hand) or the suppression rules changes the masks
    definitions = ";".join(
        [
            f"suppression:{suppression.SUPPRESSION_VERSION}:{threshold}",
            *(
                f"{d.code}:{d.version}:{d.unit}:{','.join(d.dimensions)}:{d.small_counts}:"
                f"{d.manual}"
                for d in indicator_all()
            ),
        ]
    )
    keys = {}
    for municipality_id in municipality_ids:
        raw = "|".join(
            str(part)
            for part in (
                connection.settings_dict["NAME"],
                municipality_id,
                year,
                definitions,
                *versions.get(municipality_id, ()),
            )
        )
        keys[municipality_id] = "indicators:masks:" + hashlib.sha256(raw.encode()).hexdigest()
    return keys
