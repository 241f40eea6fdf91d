"""EXPLAIN (ANALYZE, BUFFERS) of one indicator's fill statement for one year, rolled back.

    DATABASE_URL=.../bench_main DJANGO_SETTINGS_MODULE=bench.settings \\
        .venv/bin/python bench/explain.py caseload.size 2026 [out.txt]

Use on a database kept by ``BENCH_KEEP_DB=1 make bench``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def explain(code: str, year: int) -> str:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from caseload.models import Municipality
    from indicators.calculations import periods_of_year
    from indicators.engine import fill_sql
    from indicators.registry import indicator_get
    from indicators.services import _arrays

    defn = indicator_get(code)
    today = timezone.localdate()
    municipality = Municipality.objects.get(cbs_code="GM0402")
    periods = periods_of_year(year, defn.period_kinds, today)
    params = {
        "municipality_id": municipality.pk,
        "code": code,
        "today": today,
        "now": timezone.now(),
        "version": defn.version,
        "scale": defn.scale,
        "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
        **_arrays(periods),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_indicatorvalue WHERE municipality_id = %(municipality_id)s"
            " AND code = %(code)s AND period_start >= %(first)s AND period_end <= %(last)s",
            {**params, "first": min(p.start for p in periods), "last": max(p.end for p in periods)},
        )
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + fill_sql(defn), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return (
        f"-- {code}, {len(periods)} periods of {year}, {dt.datetime.now():%Y-%m-%d %H:%M}\n{plan}\n"
    )


if __name__ == "__main__":
    import django

    django.setup()
    text = explain(sys.argv[1], int(sys.argv[2]))
    if len(sys.argv) > 3:
        Path(sys.argv[3]).write_text(text)
    print(text)
