"""seed_demo wall time and peak memory at several sizes, each in a throwaway database.

    .venv/bin/python bench/seed_scale.py 2200 40000 [400000]

Writes docs/benchmarks/seed.json (merged with earlier sizes) and prints one line per size.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import env as benv

YEARS = 10
OUT = benv.ROOT / "docs" / "benchmarks" / "seed.json"


def measure(households: int, *, keep: bool = False) -> dict:
    server = benv.server_url()
    name = "bench_seed"
    url = benv.database_create(server, name)
    environ = benv.child_env(url, benv.redis_url())
    try:
        benv.manage(["migrate", "--noinput", "-v", "0"], environ)
        log = Path(tempfile.gettempdir()) / f"bench_seed_{households}.log"
        load_start = benv.loadavg()
        result = benv.timed_manage(
            benv.seed_one_municipality(households, YEARS),
            environ,
            log,
        )
        result.update(households=households, years=YEARS, load_start=load_start)
        result["load_end"] = benv.loadavg()
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT relname, n_live_tup FROM pg_stat_user_tables"
                " WHERE relname LIKE 'caseload_%' ORDER BY n_live_tup DESC"
            ).fetchall()
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        # n_live_tup is an estimate; the generator prints exact counts in its log
        counts = {}
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].startswith("caseload_"):
                counts[parts[0]] = int(parts[1].replace(".", ""))
        result["rows"] = counts or dict(rows)
        result["rows_total"] = sum(result["rows"].values())
        result["database_mb"] = round(size / 1024 / 1024)
        return result
    finally:
        if not keep:
            benv.database_drop(server, name)


def main(sizes: list[int]) -> None:
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    for n in sizes:
        r = measure(n)
        data[str(n)] = r
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(data, indent=2) + "\n")
        print(
            f"{n} households x {YEARS} years: {r['wall_s']} s, peak RSS {r['peak_rss_mb']} MB, "
            f"{r['rows_total']} rows, {r['database_mb']} MB database, load {r['load_start']}",
            flush=True,
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2200, 40000])
