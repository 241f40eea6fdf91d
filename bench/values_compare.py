"""Stored indicator values before and after a change of the engine: an ``EXCEPT`` both ways.

    .venv/bin/python bench/values_compare.py bench_scale_40000 save before
    # ... change a definition, recompute (bench/run.py --scale --reuse, or manage.py
    #     recompute_indicators against that database) ...
    .venv/bin/python bench/values_compare.py bench_scale_40000 diff before
    .venv/bin/python bench/values_compare.py bench_scale_40000 diff before CODE ...  # some only

``save TAG`` copies every stored value (``indicators_indicatorvalue`` without ``id``,
``changed_at`` and ``definition_version``) into the table ``bench_values_<TAG>`` of the same
benchmark database; ``diff TAG`` prints, for each indicator in the copy, the rows only in the
copy and the rows only in the current values, and exits 1 when any row differs or an indicator
has no rows on one side; with codes after the tag only those are compared (the indicators
recomputed after the change). (To compare some indicators only, compute just those before ``save``,
e.g. ``manage.py recompute_indicators --code ...`` on an empty copy of the values.) Only ``bench_*`` databases on the project's server (as the benchmark makes them).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402

COLUMNS = (
    "municipality_id, code, period_kind, period_start, period_end, dimension, dimension_value,"
    " value, numerator, denominator"
)


def _connect(database: str):
    import psycopg

    if not re.fullmatch(r"bench_[a-z0-9_]+", database):
        raise SystemExit("only benchmark databases (bench_*)")
    return psycopg.connect(benv.with_database(benv.server_url(), database), autocommit=True)


def save(database: str, tag: str) -> int:
    table = f"bench_values_{tag}"
    with _connect(database) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(
            f"CREATE TABLE {table} AS SELECT {COLUMNS} FROM indicators_indicatorvalue"  # noqa: S608
        )
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def diff(
    database: str, tag: str, codes: list[str] | None = None
) -> dict[str, tuple[int, int, int, int]]:
    """Per code: (rows in the copy, rows now, only in the copy, only now)."""
    table = f"bench_values_{tag}"
    only = "WHERE code = ANY(%(codes)s)" if codes else ""
    sql = f"""
    WITH before AS (SELECT {COLUMNS} FROM {table} {only}),
         after AS (SELECT {COLUMNS} FROM indicators_indicatorvalue
                    WHERE code IN (SELECT code FROM before)),
         gone AS (SELECT * FROM before EXCEPT ALL SELECT * FROM after),
         new AS (SELECT * FROM after EXCEPT ALL SELECT * FROM before),
         codes AS (SELECT code FROM before UNION SELECT code FROM after)
    SELECT c.code,
           (SELECT count(*) FROM before b WHERE b.code = c.code),
           (SELECT count(*) FROM after a WHERE a.code = c.code),
           (SELECT count(*) FROM gone g WHERE g.code = c.code),
           (SELECT count(*) FROM new n WHERE n.code = c.code)
      FROM codes c ORDER BY c.code
    """  # noqa: S608 - table name checked by the tag pattern
    with _connect(database) as conn:
        rows = conn.execute(sql, {"codes": codes} if codes else None).fetchall()
        return {row[0]: tuple(row[1:]) for row in rows}


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] not in ("save", "diff") or not re.fullmatch(r"\w+", argv[2]):
        raise SystemExit(__doc__)
    database, action, tag, codes = argv[0], argv[1], argv[2], argv[3:]
    if action == "save":
        print(f"{database}: {save(database, tag)} values saved as bench_values_{tag}")
        return 0
    result = diff(database, tag, codes)
    bad = 0
    for code, (before, after, gone, new) in result.items():
        flag = "" if gone == new == 0 and before and after else "  DIFFERS"
        bad += bool(flag)
        print(f"{code:45s} {before:7d} {after:7d} only-before {gone:5d} only-after {new:5d}{flag}")
    total = [sum(v[i] for v in result.values()) for i in range(4)]
    print(
        f"{'total':45s} {total[0]:7d} {total[1]:7d} only-before {total[2]:5d} only-after {total[3]:5d}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
