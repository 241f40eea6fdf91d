# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""Speed of the matching at 40,000 households (issue 18): ``python bench/matching_speed.py``.

    .venv/bin/python bench/matching_speed.py seed      # (re)creates bench_matching_40000
    .venv/bin/python bench/matching_speed.py measure   # the live statement's candidate lists
    .venv/bin/python bench/matching_speed.py vacancies # bench only: open vacancies up to 2,000
    .venv/bin/python bench/matching_speed.py facts     # facts refresh, lists from the facts,
                                                       # the nightly refresh against its floor

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


#: open vacancies the nightly refresh is measured with (issue 18: "2,000 vacancies")
REFRESH_VACANCIES = 2000
EXPLAIN_DIR = benv.ROOT / "docs" / "benchmarks" / "explain" / "matching"


def vacancies_fill() -> dict:
    """Bench-only seeding: add open vacancies to ``bench_matching_40000`` until there are
    :data:`REFRESH_VACANCIES`. Each new one takes the employer, start and opening date of an
    existing open vacancy (in turn) and the occupation, hours, postcode and education level of
    a filled one of the demo (spread by a fixed stride), so the pairs look like the demo's;
    deterministic, no randomness."""
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM employers_vacancy WHERE status = 'open'")
        need = REFRESH_VACANCIES - cursor.fetchone()[0]
        if need > 0:
            cursor.execute(
                """
                WITH src AS (SELECT v.*, row_number() OVER (ORDER BY v.id) AS rn
                               FROM employers_vacancy v WHERE v.status = 'open'),
                     hist AS (SELECT v.*, row_number() OVER (ORDER BY v.id) AS rn
                                FROM employers_vacancy v WHERE v.status <> 'open'),
                     gen AS (SELECT g, (g - 1) %% (SELECT count(*) FROM src) + 1 AS src_rn,
                                    (g * 7919) %% (SELECT count(*) FROM hist) + 1 AS hist_rn
                               FROM generate_series(1, %s) g)
                INSERT INTO employers_vacancy
                       (employer_id, occupation_id, title, hours_per_week, postcode,
                        education_level, requirements, start_date, banenafspraak,
                        loonkostensubsidie, status, opened_on, closed_on, created_at,
                        updated_at)
                SELECT s.employer_id, h.occupation_id, 'Benchvacature ' || gen.g,
                       h.hours_per_week, h.postcode, h.education_level, '', s.start_date,
                       s.banenafspraak, s.loonkostensubsidie, 'open', s.opened_on, NULL,
                       now(), now()
                  FROM gen JOIN src s ON s.rn = gen.src_rn JOIN hist h ON h.rn = gen.hist_rn
                """,
                [need],
            )
        cursor.execute("ANALYZE employers_vacancy")
        cursor.execute("SELECT count(*) FROM employers_vacancy WHERE status = 'open'")
        return {"added": max(need, 0), "open_vacancies": cursor.fetchone()[0]}


def floor_sql() -> str:
    """The floor of the nightly refresh: **one SQL pass over the same pairs** (every open
    vacancy x every candidate fact with a running benefit and an active consent, the region)
    computing the same credits and the same weighted, rounded score, aggregated to one row
    (count and sum) so that nothing is ranked, returned or stored."""
    from matching import ranking

    pair = ranking._FACTS_PAIR.replace("FROM cand f", "FROM vac v CROSS JOIN cand f")
    scored = ranking._SCORED.replace("FROM facts pr", f"FROM ({pair}) pr")
    full = ranking.facts_scored_sql(
        vacancies="SELECT v.id FROM employers_vacancy v WHERE v.status = 'open'",
        per_vacancy_limit="100",
        many=True,
    )
    ctes = full[: full.index("top AS (")].rstrip().rstrip(",")
    return f"""{ctes}
        SELECT count(*), sum(round(({ranking._TOTAL})::numeric, 1))
          FROM (SELECT s.*, greatest(s.occ_sought, s.occ_experience) AS c_occupation
                  FROM ({scored}) s) t"""


def _explain(cursor, sql: str, params: dict | None, name: str, note: str) -> None:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
    lines = [row[0] for row in cursor.fetchall()]
    EXPLAIN_DIR.mkdir(parents=True, exist_ok=True)
    (EXPLAIN_DIR / name).write_text(
        f"-- {note}\n-- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load average {benv.loadavg()}\n" + "\n".join(lines) + "\n"
    )


def _pct(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "runs": len(times),
        "p50_ms": round(times[len(times) // 2], 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "max_ms": round(times[-1], 1),
    }


def facts_measure(rounds: int = 2) -> dict:
    """Against ``bench_matching_40000`` (after ``vacancies``):

    * the candidate facts refresh of the whole region: written from an empty table, and again
      with nothing changed (the nightly and the safety-net case); each municipality's refresh
      with nothing changed (what one debounced case change costs); one resident's (what a
      profile edit adds to its transaction);
    * the account manager's candidate list from the facts (``ranking.rank_from_facts``, the
      region, 50 rows: what ``selectors.candidates_for_vacancy`` runs) for every open vacancy,
      once after one warm-up, with the load average before and after;
    * the nightly refresh of the stored scores (``facts.stored_matches_refresh``) against its
      floor (:func:`floor_sql`), ``rounds`` times each, interleaved;
    * EXPLAIN (ANALYZE, BUFFERS) of the list, the facts refresh and the refresh's scoring pass.
    """
    import django

    django.setup()
    from django.db import connection

    from employers.models import Vacancy
    from matching import facts, ranking

    out: dict = {"load_start": benv.loadavg()}
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE matching_candidatefacts")
    started = time.perf_counter()
    first = facts.candidate_facts_refresh()
    out["facts_refresh_region_from_empty_s"] = round(time.perf_counter() - started, 2)
    out["facts_rows"] = first.written
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE matching_candidatefacts")
    started = time.perf_counter()
    facts.candidate_facts_refresh()
    out["facts_refresh_region_unchanged_s"] = round(time.perf_counter() - started, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT municipality_id, count(*) FROM matching_candidatefacts GROUP BY 1 ORDER BY 1"
        )
        per_municipality = cursor.fetchall()
        cursor.execute("SELECT resident_id FROM matching_candidatefacts ORDER BY profile_id")
        one = cursor.fetchone()[0]
    out["facts_refresh_municipality_s"] = {}
    for municipality_id, rows in per_municipality:
        started = time.perf_counter()
        facts.candidate_facts_refresh(municipality_id=municipality_id)
        out["facts_refresh_municipality_s"][str(municipality_id)] = {
            "rows": rows,
            "s": round(time.perf_counter() - started, 3),
        }
    resident_times = []
    for _ in range(20):
        started = time.perf_counter()
        facts.candidate_facts_refresh(resident_ids=[one])
        resident_times.append((time.perf_counter() - started) * 1000)
    out["facts_refresh_one_resident"] = _pct(resident_times)

    vacancies = list(
        Vacancy.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)
    )
    out["open_vacancies"] = len(vacancies)
    ranking.rank_from_facts(vacancy_id=vacancies[0], municipality_ids=None)
    load_before = benv.loadavg()
    times = []
    for pk in vacancies:
        started = time.perf_counter()
        ranking.rank_from_facts(vacancy_id=pk, municipality_ids=None)
        times.append((time.perf_counter() - started) * 1000)
    out["candidate_list_from_facts"] = {
        **_pct(times),
        "load_before": load_before,
        "load_after": benv.loadavg(),
    }

    refresh, floor = [], []
    loads = [benv.loadavg()]
    with connection.cursor() as cursor:
        for _ in range(rounds):
            started = time.perf_counter()
            cursor.execute(floor_sql())
            pairs = cursor.fetchone()[0]
            floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            facts.stored_matches_refresh()
            refresh.append(time.perf_counter() - started)
            loads.append(benv.loadavg())
    out["nightly_refresh"] = {
        "pairs_scored": pairs,
        "floor_s": [round(x, 1) for x in floor],
        "refresh_s": [round(x, 1) for x in refresh],
        "ratio_best": round(min(refresh) / min(floor), 2),
        "ratio_median": round(
            sorted(refresh)[len(refresh) // 2] / sorted(floor)[len(floor) // 2], 2
        ),
        "loads": loads,
    }

    with connection.cursor() as cursor:
        list_sql = ranking.facts_scored_sql(
            vacancies="%(vacancy_id)s", per_vacancy_limit="%(limit)s"
        )
        _explain(
            cursor,
            list_sql + " ORDER BY rank_in_vacancy",
            {"vacancy_id": vacancies[0], "municipality_ids": None, "limit": 50},
            "candidates-facts-40000.txt",
            "the candidate list from the facts: one open vacancy, the region, 50 rows",
        )
        cursor.execute("TRUNCATE matching_candidatefacts")
        _explain(
            cursor,
            facts._UPSERT.format(scope="true"),
            None,
            "facts-refresh-40000.txt",
            "the facts refresh of the whole region into an empty table (the upsert; it runs)",
        )
        cursor.execute("ANALYZE matching_candidatefacts")
        scored = ranking.facts_scored_sql(
            vacancies="SELECT v.id FROM employers_vacancy v WHERE v.status = 'open'",
            per_vacancy_limit="100",
            many=True,
        )
        _explain(
            cursor,
            f"SELECT count(*) FROM ({scored}) s",
            None,
            "stored-refresh-scoring-40000.txt",
            "the nightly refresh's scoring pass: every open vacancy's top 100 from the facts",
        )
    out["load_end"] = benv.loadavg()
    return out


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
    elif command in ("vacancies", "facts"):
        _child(command)
    elif command == "vacancies-here":
        print(json.dumps(vacancies_fill(), indent=2), flush=True)
    elif command == "facts-here":
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **facts_measure()}
        print(json.dumps(result, indent=2), flush=True)
        data = json.loads(OUT.read_text()) if OUT.exists() else {}
        data["candidate_facts"] = result
        OUT.write_text(json.dumps(data, indent=2) + "\n")
    elif command == "measure-here":
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **measure()}
        print(json.dumps(result, indent=2), flush=True)
        data = json.loads(OUT.read_text()) if OUT.exists() else {}
        data["candidate_list"] = result
        OUT.write_text(json.dumps(data, indent=2) + "\n")
    else:
        raise SystemExit(f"unknown command {command!r}")
