"""Speed of the matching at 40,000 households (issue 18): ``python bench/matching_speed.py``.

    .venv/bin/python bench/matching_speed.py seed      # (re)creates bench_matching_40000
    .venv/bin/python bench/matching_speed.py measure   # candidate lists and the nightly refresh

``seed`` creates its own database ``bench_matching_40000`` (never the development database, never
the ``bench_scale_*`` ones) on the project's PostgreSQL server and fills it with
``seed_demo --households H --force`` (H = MATCHING_SPEED_HOUSEHOLDS, default 11,330: Hilversum's
households, the other three municipalities in proportion, about 40,000 households with a running
benefit in the region) and ``seed_matching_demo --force``, then ``VACUUM ANALYZE``.
``measure`` runs in a child process against that database; what it measures is in
:func:`measure`'s docstring and docs/matching.md ("Speed").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import env as benv

NAME = "bench_matching_40000"
HOUSEHOLDS = int(os.environ.get("MATCHING_SPEED_HOUSEHOLDS") or 11330)
OUT = benv.ROOT / "docs" / "benchmarks" / "matching-speed.json"


def seed() -> None:
    server = benv.server_url()
    url = benv.database_create(server, NAME)
    environ = benv.child_env(url, benv.redis_url())
    benv.manage(["migrate", "--noinput", "-v", "0"], environ)
    log = Path(tempfile.gettempdir()) / f"{NAME}_seed.log"
    result = {"households_option": HOUSEHOLDS, "load_start": benv.loadavg()}
    result["seed_demo"] = benv.timed_manage(
        ["seed_demo", "--households", str(HOUSEHOLDS), "--force"], environ, log
    )
    result["seed_matching_demo"] = benv.timed_manage(
        ["seed_matching_demo", "--force"], environ, log.with_suffix(".matching.log")
    )
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    result["load_end"] = benv.loadavg()
    print(json.dumps(result, indent=2), flush=True)


def measure() -> dict:
    """In this process, against ``bench_matching_40000``: the account manager's candidate list
    (``matching.ranking.rank`` with ``CANDIDATE_PAIRS_CONSENTED``, the whole region, consent
    required, 50 rows: what ``selectors.candidates_for_vacancy`` runs) for every open vacancy,
    twice over after one warm-up; p50 and p95 in ms, the 1-minute load average before and after."""
    import django

    django.setup()
    from django.db import connection

    from employers.models import Vacancy
    from matching import ranking

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(DISTINCT b.household_id) FROM caseload_benefit b
                WHERE b.end_date IS NULL"""
        )
        households = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM matching_profile p
                 JOIN caseload_resident r ON r.id = p.resident_id
                WHERE EXISTS (SELECT 1 FROM caseload_benefit b
                               WHERE b.household_id = r.household_id AND b.end_date IS NULL)"""
        )
        profiles = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(DISTINCT resident_id) FROM matching_consent WHERE withdrawn_at IS NULL"
        )
        consented = cursor.fetchone()[0]
    vacancies = list(
        Vacancy.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)
    )
    pairs = ranking.CANDIDATE_PAIRS_CONSENTED
    ranking.rank(pairs, {"vacancy_id": vacancies[0], "municipality_ids": None})
    load_before = benv.loadavg()
    times = []
    for _ in range(2):
        for pk in vacancies:
            started = time.perf_counter()
            ranking.rank(pairs, {"vacancy_id": pk, "municipality_ids": None})
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "households_running_benefit": households,
        "profiles_running_benefit": profiles,
        "consented_residents": consented,
        "open_vacancies": len(vacancies),
        "runs": len(times),
        "p50_ms": round(times[len(times) // 2], 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "max_ms": round(times[-1], 1),
        "load_before": load_before,
        "load_after": benv.loadavg(),
    }


def _child(command: str) -> None:
    url = benv.with_database(benv.server_url(), NAME)
    environ = benv.child_env(url, benv.redis_url())
    subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [benv.PY, __file__, command + "-here"], cwd=benv.ROOT, env=environ, check=True
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "measure"
    if command == "seed":
        seed()
    elif command == "measure":
        _child("measure")
    elif command == "measure-here":
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **measure()}
        print(json.dumps(result, indent=2), flush=True)
        data = json.loads(OUT.read_text()) if OUT.exists() else {}
        data["candidate_list"] = result
        OUT.write_text(json.dumps(data, indent=2) + "\n")
    else:
        raise SystemExit(f"unknown command {command!r}")
