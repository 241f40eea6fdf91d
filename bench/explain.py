"""EXPLAIN (ANALYZE, BUFFERS) of an indicator's fill statement, or of the floor, rolled back.

    DATABASE_URL=.../bench_scale_40000 DJANGO_SETTINGS_MODULE=bench.settings \\
        .venv/bin/python bench/explain.py caseload.size [YEAR] [out.txt]
    ... bench/explain.py floor [out.txt]

Without YEAR the statement covers every year with data, as ``indicator_values_fill`` runs it
(one statement per indicator for all years). Both run in a transaction with the fill's
``work_mem`` (``settings.INDICATORS_FILL_WORK_MEM``, ``SET LOCAL``), so the plan is the one the
fill gets. Use on a database kept by ``BENCH_KEEP_DB=1 make bench`` or ``bench/run.py --scale``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _header(what: str, periods: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM caseload_household")
        households = cursor.fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"-- {what}, {periods} periods, {households} households, work_mem {work_mem},"
        f" load average {load}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n"
    )


def municipality_id(cbs_code: str = "GM0402") -> int:
    """The benchmark municipality's id, by SQL: a kept database seeded before a later
    ``caseload`` migration lacks columns the model now has (bench/scale.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM caseload_municipality WHERE cbs_code = %s", [cbs_code])
        return cursor.fetchone()[0]


def explain(code: str, year: int | None = None, *, municipality: int | None = None) -> str:
    from django.db import connection, transaction

    from common import clock
    from indicators.calculations import periods_of_year
    from indicators.engine import definition_params, fill_sql, statement_params
    from indicators.fill import _data_years, _work_mem
    from indicators.registry import indicator_get

    defn = indicator_get(code)
    today = clock.today()
    municipality = municipality or municipality_id()
    years = [year] if year else _data_years(municipality_id=municipality, today=today)
    periods = [p for y in years for p in periods_of_year(y, defn.period_kinds, today)]
    params = {
        **statement_params(municipality_id=municipality, today=today, periods=periods),
        **definition_params(defn),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _work_mem(cursor)
        header = _header(f"{code}, {years[0]}-{years[-1]}", len(periods))
        cursor.execute(
            "DELETE FROM indicators_indicatorvalue WHERE municipality_id = %(municipality_id)s"
            " AND code = ANY(%(codes)s) AND period_start >= %(first)s AND period_end <= %(last)s",
            {**params, "first": min(p.start for p in periods), "last": max(p.end for p in periods)},
        )
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + fill_sql(defn), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return f"{header}{plan}\n"


def explain_floor(*, municipality: int | None = None) -> str:
    import indicators_recompute as ir
    from django.db import connection, transaction

    from common import clock
    from indicators.fill import _work_mem

    today = clock.today()
    municipality = municipality or municipality_id()
    periods = ir.data_summary(municipality, today)["periods"]
    with transaction.atomic(), connection.cursor() as cursor:
        _work_mem(cursor)
        header = _header("floor (bench/indicators_recompute.py FLOOR_SQL)", len(periods))
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + ir.FLOOR_SQL,
            {
                "today": today,
                "municipality_id": municipality,
                "starts": [p.start for p in periods],
                "ends": [p.end for p in periods],
            },
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"{header}{plan}\n"


if __name__ == "__main__":
    import django

    django.setup()
    args = sys.argv[1:]
    if args[0] == "floor":
        text, rest = explain_floor(), args[1:]
    elif len(args) > 1 and args[1].isdigit():
        text, rest = explain(args[0], int(args[1])), args[2:]
    else:
        text, rest = explain(args[0]), args[1:]
    if rest:
        Path(rest[0]).write_text(text)
    print(text)
