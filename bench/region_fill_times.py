"""Per-municipality fill time of indicators on the regional benchmark database (issue 17).

    .venv/bin/python bench/region_fill_times.py [--db bench_region_40000] [--municipality GM9812 ...]
        [--all] [--code CODE ...] [--repeat 2] [--explain DIR] [--json FILE]

For each municipality (default: the smallest and the largest of the database by households;
``--all``: every one) and
each indicator (default: all), stores the indicator's values for every year with data with
``indicator_values_fill`` (one indicator at a time, one worker, so each figure is that statement
alone), ``--repeat`` times, and prints the wall seconds (best of the repeats) with the load
average before and after. The fill rewrites the same figures (``bench/values_compare.py`` checks
that). With ``--explain DIR`` it writes EXPLAIN (ANALYZE, BUFFERS) of each indicator's fill
statement per municipality into ``DIR/<cbs>.<code>.txt`` instead (rolled back, as
``bench/explain.py`` does for Hilversum). Only ``bench_*`` databases.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402


def _setup(database: str) -> None:
    if not re.fullmatch(r"bench_[a-z0-9_]+", database):
        raise SystemExit("only benchmark databases (bench_*)")
    os.environ["DATABASE_URL"] = benv.with_database(benv.server_url(), database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _municipalities(cbs_codes: list[str], every: bool = False) -> list[dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.cbs_code, m.name, count(h.id) FROM caseload_municipality m"
            " JOIN caseload_household h ON h.municipality_id = m.id"
            " GROUP BY m.id ORDER BY count(h.id)"
        )
        rows = [dict(zip(("id", "cbs", "name", "households"), r, strict=True)) for r in cursor]
    if every:
        return rows
    if cbs_codes:
        return [r for r in rows if r["cbs"] in cbs_codes]
    return [rows[0], rows[-1]]


def _explain(municipality_id: int, code: str, today) -> str:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from indicators.calculations import periods_of_year
    from indicators.engine import definition_params, fill_sql, period_arrays
    from indicators.fill import _data_years, _work_mem
    from indicators.registry import indicator_get

    defn = indicator_get(code)
    years = _data_years(municipality_id=municipality_id, today=today)
    periods = [p for y in years for p in periods_of_year(y, defn.period_kinds, today)]
    params = {
        "municipality_id": municipality_id,
        "code": code,
        "today": today,
        "now": timezone.now(),
        **definition_params(defn),
        "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
        **period_arrays(periods),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _work_mem(cursor)
        cursor.execute(
            "DELETE FROM indicators_indicatorvalue WHERE municipality_id = %(municipality_id)s"
            " AND code = %(code)s",
            params,
        )
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + fill_sql(defn), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"-- {code}, municipality {municipality_id}, {len(periods)} periods, load {load}\n{plan}\n"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_region_40000")
    parser.add_argument("--municipality", action="append", default=[], help="CBS code")
    parser.add_argument("--all", action="store_true", help="every municipality")
    parser.add_argument("--code", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--explain", metavar="DIR")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    _setup(args.db)

    from django.test.utils import override_settings
    from django.utils import timezone

    from indicators.registry import indicator_all
    from indicators.services import indicator_values_fill

    today = timezone.localdate()
    codes = args.code or sorted(d.code for d in indicator_all())
    out: dict = {"db": args.db, "today": str(today), "municipalities": []}
    for m in _municipalities(args.municipality, args.all):
        row = {**m, "load_before": benv.loadavg(), "seconds": {}}
        for code in codes:
            if args.explain:
                path = Path(args.explain) / f"{m['cbs']}.{code}.txt"
                path.write_text(_explain(m["id"], code, today))
                continue
            runs = []
            with override_settings(INDICATORS_FILL_WORKERS=1):
                for _ in range(args.repeat):
                    started = time.monotonic()
                    indicator_values_fill(municipality_id=m["id"], codes=[code], today=today)
                    runs.append(time.monotonic() - started)
            row["seconds"][code] = round(min(runs), 3)
            print(
                f"{m['cbs']} {m['name']} ({m['households']}) {code}: {min(runs):.2f} s", flush=True
            )
        row["load_after"] = benv.loadavg()
        row["total_s"] = round(sum(row["seconds"].values()), 2)
        print(
            f"{m['cbs']}: total {row['total_s']} s, load {row['load_before']} -> {row['load_after']}"
        )
        out["municipalities"].append(row)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
