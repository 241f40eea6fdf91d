# ruff: noqa: S608 - SQL composed from the registered definitions; all values are bound parameters
"""Experiment of issue 17: the regional recompute as one statement per indicator instead of one
per indicator and municipality, by the cheapest route (each definition unchanged, run for every
municipality inside one ``LATERAL`` subquery), against the per-municipality statements.

    BENCH_SERVER_URL=... .venv/bin/python bench/region_lateral.py [CODE ...]

On ``bench_region_40000`` (``bench/run.py --region``). For each indicator (default: all) it runs
the definition's SELECT (the fill's statement without its INSERT, delete and marks) once per
municipality, then once for all of them with the municipality as the LATERAL's outer column,
in one transaction with the fill's work_mem, rolled back; prints both times and whether the rows
are the same. Only read: nothing is stored."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402

os.environ["DATABASE_URL"] = benv.with_database(benv.server_url(), "bench_region_40000")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main(codes: list[str]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import ProgrammingError, connection
    from django.utils import timezone

    from common import clock
    from indicators.calculations import periods_of_year
    from indicators.engine import _agg_intervals, _agg_per_period, _with, period_arrays
    from indicators.fill import _data_years, _work_mem
    from indicators.registry import indicator_all

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT h.municipality_id FROM caseload_household h ORDER BY 1")
        ids = [row[0] for row in cursor.fetchall()]
    totals = [0.0, 0.0]
    print(f"load average {benv.loadavg()}", flush=True)
    for defn in indicator_all():
        if codes and defn.code not in codes:
            continue
        years = _data_years(municipality_id=ids[0], today=today)
        periods = [p for y in years for p in periods_of_year(y, defn.period_kinds, today)]
        params = {
            "today": today,
            "now": clock.now(),
            "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
            **period_arrays(periods),
        }
        agg = _agg_intervals(defn) if defn.intervals else _agg_per_period(defn)
        select = (
            f"WITH {_with(defn)},\nfacts AS ({defn.sql}),{agg}\n"
            "SELECT period_kind, period_start, period_end, dimension, dimension_value,"
            " numerator, denominator FROM agg"
            " WHERE numerator IS NOT NULL AND (dimension = '' OR dimension_value IS NOT NULL)"
        )
        regional = (
            "SELECT m.mid, x.* FROM unnest(%(ids)s::int[]) AS m(mid) CROSS JOIN LATERAL ("
            + select.replace("%(municipality_id)s", "m.mid")
            + ") AS x"
        )
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            _work_mem(cursor)
            started = time.monotonic()
            separate = []
            for municipality_id in ids:
                cursor.execute(select, {**params, "municipality_id": municipality_id})
                separate += [(municipality_id, *row) for row in cursor.fetchall()]
            one_each = time.monotonic() - started
            started = time.monotonic()
            try:
                cursor.execute(regional, {**params, "ids": ids})
            except ProgrammingError as exc:
                # a derived table in a join may not name the LATERAL's column: this definition
                # would need rewriting for the regional form
                cursor.execute("ROLLBACK")
                print(f"{defn.code:45s} not expressible as is: {str(exc).splitlines()[0]}")
                continue
            together = cursor.fetchall()
            lateral = time.monotonic() - started
            cursor.execute("ROLLBACK")
        same = sorted(map(tuple, separate)) == sorted(map(tuple, together))
        totals[0] += one_each
        totals[1] += lateral
        print(
            f"{defn.code:45s} per municipality {one_each:6.2f} s  lateral {lateral:6.2f} s"
            f"  same rows: {same} ({len(separate)})",
            flush=True,
        )
    print(f"total: per municipality {totals[0]:.2f} s, lateral {totals[1]:.2f} s")
    print(f"load average {benv.loadavg()}")


if __name__ == "__main__":
    main(sys.argv[1:])
