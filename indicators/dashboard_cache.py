"""The dashboard's indicator cards, rendered once per state of the stored figures (issue 17,
"Scale": the dashboard under load).

The overview page renders 40+ cards from the stored values of two years; the result depends
only on the municipality, the year, whether figures are shown exactly or with small-number
suppression (``selectors.has_case_access``), the language, today's date (the running year's
forecast) and the stored rows themselves. The rendered cards are kept in Django's cache (Redis,
``CACHES["default"]``) under a key that holds a *fingerprint* of those rows: the number and the
sum of a 64-bit hash of every shown column (``ROW(...)::text``, which tells NULL from an empty
string) of the municipality's values of the two years, and the same of its targets of the year.
A fill that changes a figure, a new or deleted row and every target change make a new key, so a
changed figure is never served from the cache; a recompute that writes the same figures again
(the worker recomputes after every case change, most figures stay the same) keeps the entry. An
entry that is no longer asked for expires after :data:`TIMEOUT`.

One aggregate over the indexed rows per request (about 15 ms for the 12,000 values of a
municipality of 10,000 households) instead of loading the rows (``_year_rows``) and rendering
the cards (0.8-1.2 s there). Reads stored figures only, never a case table.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection
from django.utils.translation import get_language

from .registry import indicator_all

#: seconds a rendered set of cards is kept (changed figures make a new key anyway)
TIMEOUT = 15 * 60

_VERSION_SQL = """
SELECT v.n, v.fingerprint, t.n, t.fingerprint
  FROM (SELECT count(*) AS n,
               sum(hashtextextended(ROW(code, period_kind, period_start, period_end, dimension,
                                        dimension_value, value, numerator, denominator)::text,
                                    0)) AS fingerprint
          FROM indicators_indicatorvalue
         WHERE municipality_id = %(municipality_id)s
           AND period_kind IN ('month', 'quarter', 'year')
           AND period_start BETWEEN %(first)s AND %(last)s) AS v,
       (SELECT count(*) AS n,
               sum(hashtextextended(ROW(code, baseline, target, note)::text, 0)) AS fingerprint
          FROM indicators_target
         WHERE municipality_id = %(municipality_id)s AND year = %(year)s) AS t
"""


def _registry_digest() -> str:
    """Changes with the registered definitions (a deploy that adds or renames an indicator)."""
    text = "|".join(f"{d.code}:{d.version}:{d.label}" for d in indicator_all())
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def overview_cards_key(*, municipality_id: int, year: int, exact: bool, today: dt.date) -> str:
    """The cache key of the overview's cards in their current state (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _VERSION_SQL,
            {
                "municipality_id": municipality_id,
                "year": year,
                "first": dt.date(year - 1, 1, 1),
                "last": dt.date(year, 12, 31),
            },
        )
        version = cursor.fetchone()
    raw = "|".join(
        str(part)
        for part in (
            connection.settings_dict["NAME"],  # one Redis may serve several databases
            municipality_id,
            year,
            int(exact),
            get_language(),
            today.isoformat(),
            _registry_digest(),
            *version,
        )
    )
    return "indicators:overview-cards:" + hashlib.sha256(raw.encode()).hexdigest()
