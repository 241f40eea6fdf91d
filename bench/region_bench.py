"""The regional benchmark (issue 17, "Scale"): ``bench/run.py --region`` (``make bench-region``).

    .venv/bin/python bench/run.py --region [--reuse] [--skip-recompute] [--skip-rls]
        [--skip-case-change] [--skip-load] [--merge]
    BENCH_REGION_HOUSEHOLDS=2000 BENCH_DURATION=20 .venv/bin/python bench/run.py --region  # smoke

One region of 16 municipalities with 40,000 open benefit households in all
(``caseload.demo.large_region``: the four of the seeds, Hilversum the largest at a quarter, and
twelve fictional ones of varying size), ``BENCH_YEARS`` (10) of history each, in its own database
``bench_region_<households>`` on the project's PostgreSQL server (kept afterwards: ``--reuse``
runs the measurements again without seeding; never a ``bench_scale_*`` or the development
database). Measured, each with the load average next to it (the machine is shared):

1. the seed (wall time, peak RSS, rows, database size), VACUUM ANALYZE;
2. the regional full recompute (``indicator_values_fill`` for every municipality, every year
   with data, as the nightly task does) and its SQL floor: one single-pass aggregate over
   periods x benefits of the whole region (``FLOOR_SQL`` grouped per municipality; median of
   three around the recompute), and the per-municipality floors added up. Goal: within 3x;
3. row-level security on the worklist, the dossier and the recompute, with and without the
   policies at this size (``bench/rls_cost.py --db ... --reuse``). Goal: under 20 %;
4. query counts per page, then gunicorn and a Celery worker, one case change, and the same
   locust load as ``make bench`` (20 users; consulent and manager of Hilversum). Goal: worklist,
   dossier and dashboard p95 at most 2x the ``/health/`` p95 of the same run.

Writes docs/benchmarks/region.json, region.md and region-rls.md (``BENCH_OUT`` elsewhere).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402
import run  # noqa: E402

HOUSEHOLDS = int(os.environ.get("BENCH_REGION_HOUSEHOLDS") or 40_000)
MUNICIPALITIES = int(os.environ.get("BENCH_REGION_MUNICIPALITIES") or 16)
RLS_ROUNDS = int(os.environ.get("BENCH_RLS_ROUNDS") or 5)
RLS_REQUESTS = int(os.environ.get("BENCH_RLS_REQUESTS") or 20)
DB_NAME = f"bench_region_{HOUSEHOLDS}"
FOLLOW_UP = "\n## Follow-up"  # region.md from here on is written by hand, kept by a rerun
PAGE_GOAL = 2.0  # page p95 at most this times the /health/ p95 of the same run
log = run.log

REGION_FLOOR_SQL = """
WITH periods AS MATERIALIZED (
    SELECT s.period_start, s.period_end, LEAST(s.period_end, %(today)s::date) AS ref_date
      FROM unnest(%(starts)s::date[], %(ends)s::date[]) AS s(period_start, period_end)
)
SELECT h.municipality_id, p.period_start, p.period_end,
       count(*) FILTER (WHERE b.start_date <= p.ref_date
                          AND (b.end_date IS NULL OR b.end_date > p.ref_date)) AS open_at_ref,
       count(*) FILTER (WHERE b.end_date BETWEEN p.period_start AND p.ref_date) AS ended
  FROM periods p
  JOIN caseload_benefit b
    ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date >= p.period_start)
  JOIN caseload_household h ON h.id = b.household_id
 WHERE h.municipality_id = ANY(%(municipality_ids)s)
 GROUP BY h.municipality_id, p.period_start, p.period_end
"""


def step_seed(url: str, environ: dict[str, str], results: dict) -> None:
    log(f"migrate + region_seed: {MUNICIPALITIES} municipalities, {HOUSEHOLDS} households")
    load_before = benv.loadavg()
    benv.manage(["migrate", "--noinput", "-v", "0"], environ)
    seed_log = run.WORK / "seed.log"
    started = time.monotonic()
    cmd = [benv.PY, "bench/region_seed.py", str(HOUSEHOLDS), str(run.YEARS)]
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-v", *cmd]
    with seed_log.open("w") as out:
        proc = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
            cmd, cwd=benv.ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT
        )
    wall = time.monotonic() - started
    text = seed_log.read_text()
    if proc.returncode:
        raise RuntimeError(f"region_seed failed; see {seed_log}:\n{text[-3000:]}")
    import re

    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rows = sum(
        int(parts[1])
        for parts in (line.split() for line in text.splitlines())
        if len(parts) == 2 and parts[0].startswith("caseload_") and parts[1].isdigit()
    )
    seed = {
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
        "rows": rows,
        "per_municipality": [line for line in text.splitlines() if "huishoudens in" in line],
        "load_avg": [load_before, benv.loadavg()],
    }
    results["seed"] = seed
    log(f"seed: {wall:.0f} s, {rows} rows")


def step_vacuum(results: dict, *, reuse: bool) -> None:
    """VACUUM ANALYZE and the database's size: the seed's figures after a seed; with ``--reuse``
    the kept database's now (``reused``), which may hold more than the seed (a migration, the
    copies of ``bench/values_compare.py save``), so the seed's stay as they were measured."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    figures = {
        "database_mb": round(size / 1024 / 1024),
        "vacuum_analyze_s": round(time.monotonic() - started, 1),
    }
    results.setdefault("reused" if reuse else "seed", {}).update(figures)


def region_summary(today) -> dict:
    """The region's municipalities (load order), their households and benefits, the periods."""
    import indicators_recompute as ir

    from caseload.models import Household, Municipality

    municipalities = []
    periods: dict = {}
    for mun in Municipality.objects.order_by("pk"):
        data = ir.data_summary(mun.pk, today)
        municipalities.append(
            {
                "id": mun.pk,
                "name": mun.name,
                "cbs_code": mun.cbs_code,
                "households": Household.objects.filter(municipality=mun).count(),
                "benefits": data["benefits"],
                "years": f"{data['years'][0]}-{data['years'][-1]}",
                "periods": data["periods"],
            }
        )
        for p in data["periods"]:
            periods[(p.start, p.end)] = p
    return {"municipalities": municipalities, "periods": list(periods.values())}


def region_floor_seconds(municipality_ids: list[int], today, periods) -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            REGION_FLOOR_SQL,
            {
                "today": today,
                "municipality_ids": municipality_ids,
                "starts": [p.start for p in periods],
                "ends": [p.end for p in periods],
            },
        )
        cursor.fetchall()
    return time.monotonic() - started


def step_recompute(today, results: dict) -> None:
    import indicators_recompute as ir
    from django.conf import settings

    summary = region_summary(today)
    muns = summary["municipalities"]
    ids = [m["id"] for m in muns]
    periods = summary["periods"]
    benefits = sum(m["benefits"] for m in muns)
    log(f"recompute: {len(muns)} municipalities, {benefits} benefits, {len(periods)} periods")
    load = [benv.loadavg()]
    region_floor_seconds(ids, today, periods)  # warm the cache like the fill
    floors = [region_floor_seconds(ids, today, periods) for _ in range(2)]
    load.append(benv.loadavg())
    per_municipality = []
    started = time.monotonic()
    per_code_total: dict[str, float] = {}
    for m in muns:
        t = time.monotonic()
        _, fill = ir.full_recompute(m["id"], today)
        per_code, indicators = fill.seconds, len(fill.codes)
        seconds = time.monotonic() - t
        per_municipality.append({"name": m["name"], "households": m["households"], "s": seconds})
        for code, s in per_code.items():
            per_code_total[code] = per_code_total.get(code, 0) + s
    full = time.monotonic() - started
    load.append(benv.loadavg())
    floors.append(region_floor_seconds(ids, today, periods))
    floor = statistics.median(floors)
    # the floor per municipality (its own periods), added up: the same reads in 16 statements
    own = sum(ir.floor_seconds(m["id"], today, m["periods"]) for m in muns)
    load.append(benv.loadavg())
    heaviest = max(per_code_total, key=per_code_total.get)
    results["recompute"] = {
        "municipalities": len(muns),
        "benefits": benefits,
        "periods": len(periods),
        "indicators": indicators,
        "workers": settings.INDICATORS_FILL_WORKERS,
        "floor_s": round(floor, 2),
        "floor_runs_s": [round(f, 2) for f in floors],
        "floor_per_municipality_sum_s": round(own, 2),
        "full_s": round(full, 2),
        "full_per_floor": round(full / floor, 2),
        "full_per_municipality_floors": round(full / own, 2),
        "heaviest": heaviest,
        "heaviest_s": round(per_code_total[heaviest], 2),
        "per_municipality": [
            {**row, "s": round(row["s"], 2)}
            for row in sorted(per_municipality, key=lambda r: -r["households"])
        ],
        "per_code_s": {
            k: round(v, 2) for k, v in sorted(per_code_total.items(), key=lambda kv: -kv[1])
        },
        "git_commit": results.get("machine", {}).get("git_commit"),
        # before the floors, after them, after the recompute, after the last floors
        "load_avg": load,
    }
    log(f"recompute: full {full:.1f} s, floor {floor:.2f} s ({full / floor:.2f}x)")
    results["municipalities"] = [
        {k: v for k, v in m.items() if k != "periods"} for m in summary["municipalities"]
    ]


def step_rls(results: dict, environ: dict[str, str]) -> None:
    out = run.OUT / "region-rls.md"
    figures = run.WORK / "rls.json"
    log(f"row-level security: {RLS_ROUNDS} rounds x {RLS_REQUESTS} requests")
    load_before = benv.loadavg()
    started = time.monotonic()
    env = dict(environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [
            benv.PY,
            "bench/rls_cost.py",
            "--db",
            DB_NAME,
            "--reuse",
            "--rounds",
            str(RLS_ROUNDS),
            "--requests",
            str(RLS_REQUESTS),
            "--out",
            str(out),
            "--json",
            str(figures),
            "--note",
            f"Run by `bench/run.py --region` on `{DB_NAME}` (see region.md).",
        ],
        cwd=benv.ROOT,
        env=env,
        check=True,
        stdout=(run.WORK / "rls.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    data = json.loads(figures.read_text())
    data["wall_s"] = round(time.monotonic() - started)
    data["load_avg"] = [load_before, benv.loadavg()]
    data.pop("samples_ms", None)  # in region-rls.md
    data["git_commit"] = results.get("machine", {}).get("git_commit")
    results["rls"] = data
    log(f"rls: {data['median_ms']}")


def goals(results: dict) -> list[dict]:
    """Each goal with the figure of its section; with ``--merge`` the sections come from
    different runs, so every value names the commit it was measured at."""
    out = []
    fallback = results.get("merged_from", results.get("machine", {})).get("git_commit")

    def goal(text: str, value, target: str, met: bool | None, section: dict | None) -> None:
        commit = (section or {}).get("git_commit") or fallback
        out.append({"goal": text, "value": f"{value} at `{commit}`", "target": target, "met": met})

    rc = results.get("recompute")
    if rc:
        goal(
            "regional full recompute / its SQL floor",
            f"{rc['full_per_floor']}x ({rc['full_s']} s / {rc['floor_s']} s)",
            "<= 3x",
            rc["full_per_floor"] <= 3,
            rc,
        )
    rls = results.get("rls")
    if rls:
        for name, row in rls["median_ms"].items():
            goal(
                f"row-level security cost, {name}",
                f"{row['cost_pct']:+.1f} % ({row['without']} -> {row['with']} ms)",
                "< 20 %",
                row["cost_pct"] < 20,
                rls,
            )
    pages = results.get("load", {}).get("pages", {})
    floor = pages.get("floor: /health/")
    if floor and floor["p95_ms"]:
        for name in ("worklist", "dossier", "dashboard"):
            if name in pages and pages[name]["p95_ms"] is not None:
                ratio = pages[name]["p95_ms"] / floor["p95_ms"]
                goal(
                    f"{name} p95 / /health/ p95",
                    f"{ratio:.2f}x ({pages[name]['p95_ms']:.0f} / {floor['p95_ms']:.0f} ms)",
                    f"<= {PAGE_GOAL:g}x",
                    ratio <= PAGE_GOAL,
                    results.get("load"),
                )
        errors = sum(p["failures"] for n, p in pages.items() if n != "all requests")
        goal("errors under load", errors, "0", errors == 0, results.get("load"))
    return out


def _load(value) -> str:
    if not value:
        return "-"
    if isinstance(value[0], list):
        return " / ".join(", ".join(f"{x:g}" for x in v) for v in value)
    return ", ".join(f"{x:g}" for x in value)


def markdown(results: dict) -> str:
    m = results["machine"]
    c = results["config"]
    lines = [
        "# Regional benchmark (`bench/run.py --region`, issue 17)",
        "",
        f"{c['municipalities']} municipalities, {c['households']:,} open benefit households in all, "
        f"{c['years']} years of history each, database `{c['database']}`; {m['date']}, commit "
        f"`{m['git_commit']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared with other engineers' test runs), "
        f"{m['ram_gb']} GB RAM; PostgreSQL {m['postgresql']} (shared_buffers "
        f"{m['postgresql_shared_buffers']}, work_mem {m['postgresql_work_mem']}). Load average "
        f"(1, 5, 15 min) at start {_load(results['load_avg_start'])}, at end "
        f"{_load(results.get('load_avg_end'))}.",
        "",
    ]
    mf = results.get("merged_from")
    if mf:
        lines += [
            f"The seed, row-level security and the case change are those of the run at commit "
            f"`{mf['git_commit']}` ({mf['date']}) on the same database; the recompute and the "
            "pages under load were measured again (`--reuse --merge`) at the commits their "
            "sections name; earlier runs are kept below them, newest first.",
            "",
        ]
    lines += [
        "Analysis, causes and what is left: [README.md](README.md#regional-run-issue-17).",
        "",
        "## Goals",
        "",
        "| goal | measured | target | met |",
        "|---|---|---|---|",
    ]
    for g in results["goals"]:
        met = "yes" if g["met"] else "**no**"
        lines.append(f"| {g['goal']} | {g['value']} | {g['target']} | {met} |")
    lines += [
        "",
        "Measured outside this run since: the row-level security cost with the copied "
        "municipality column in [region-rls-column.md](region-rls-column.md), the pages after "
        "the rendering cut in [region-pages-render.md](region-pages-render.md).",
    ]
    muns = results.get("municipalities")
    if muns:
        lines += [
            "",
            "## The region",
            "",
            "| municipality | CBS | households (all, incl. ended) | benefits | years |",
            "|---|---|---:|---:|---|",
        ]
        for mun in muns:
            lines.append(
                f"| {mun['name']} | {mun['cbs_code']} | {mun['households']:,} | "
                f"{mun['benefits']:,} | {mun['years']} |"
            )
    s = results.get("seed")
    if s and "wall_s" in s:
        lines += [
            "",
            f"Seed (`bench/region_seed.py`): {s['wall_s']} s wall, peak RSS {s['peak_rss_mb']} MB, "
            f"{s['rows']:,} rows, database {s.get('database_mb', '-')} MB; VACUUM ANALYZE "
            f"{s.get('vacuum_analyze_s', '-')} s. Load average before / after: "
            f"{_load(s['load_avg'])}." + (f" ({s['note']}.)" if s.get("note") else ""),
            "",
            "Generation per municipality: " + "; ".join(s.get("per_municipality", [])) + ".",
        ]
    rc = results.get("recompute")
    if rc:
        lines += [
            "",
            "## Regional full recompute vs its SQL floor",
            "",
            f"Commit `{rc.get('git_commit', m['git_commit'])}`.",
            "",
            f"Load average (before the floors / after them / after the recompute / after the "
            f"last floors): {_load(rc['load_avg'])}.",
            "",
            "| figure | seconds | x floor |",
            "|---|---:|---:|",
            f"| floor: one single-pass SQL aggregate over the region ({rc['benefits']:,} "
            f"benefits, {rc['periods']} periods, grouped per municipality; median of "
            f"{', '.join(map(str, rc['floor_runs_s']))}) | {rc['floor_s']} | 1 |",
            f"| the same floor per municipality, 16 statements added up | "
            f"{rc['floor_per_municipality_sum_s']} | "
            f"{rc['floor_per_municipality_sum_s'] / rc['floor_s']:.2f} |",
            f"| full recompute: {rc['indicators']} indicators x {rc['municipalities']} "
            f"municipalities, every year with data, {rc['workers']} indicators at once | "
            f"{rc['full_s']} | **{rc['full_per_floor']}** |",
            f"| heaviest fill over all municipalities: one indicator, or those sharing a "
            f"relation ({rc['heaviest']}) | "
            f"{rc['heaviest_s']} | {rc['heaviest_s'] / rc['floor_s']:.2f} |",
            "",
            "Per municipality: "
            + ", ".join(
                f"{r['name']} ({r['households']:,} households) {r['s']} s"
                for r in rc["per_municipality"]
            )
            + ".",
        ]
    for rp in results.get("recompute_previous", []):
        lines += [
            "",
            f"Earlier run at commit `{rp['git_commit']}`: full recompute {rp['full_s']} s, floor "
            f"{rp['floor_s']} s (median of {', '.join(map(str, rp['floor_runs_s']))}) = "
            f"{rp['full_per_floor']}x; per-municipality floors added up "
            f"{rp['floor_per_municipality_sum_s']} s; heaviest {rp['heaviest']} {rp['heaviest_s']} s; "
            f"load average {_load(rp['load_avg'])}.",
        ]
    rls = results.get("rls")
    if rls:
        lines += [
            "",
            "## Row-level security at this size",
            "",
            f"`bench/rls_cost.py --db {rls['database']} --reuse` ({rls['rounds']} rounds, "
            f"{rls['requests']} requests per page and mode, alternating with and without the "
            f"policies; as the application role `{rls['app_role']}`; the consulent's "
            f"municipality holds {rls['households_in_municipality']:,} households, "
            f"{rls['residents_in_all']:,} residents in the region). Every sample in "
            "[`region-rls.md`](region-rls.md). Load average before / after: "
            f"{_load(rls['load_avg'])}.",
            "",
            "| what | without policies (ms, median) | with policies (ms, median) | cost |",
            "|---|---:|---:|---:|",
        ]
        for name, row in rls["median_ms"].items():
            lines.append(
                f"| {name} | {row['without']} | {row['with']} | {row['cost_pct']:+.1f} % |"
            )
        lines.append("")
        lines.append(
            "Load average (1 min) per half round: "
            + "; ".join(
                f"{mode} policies " + ", ".join(f"{a:g}-{b:g}" for a, b in v)
                for mode, v in rls["load_avg_per_half_round"].items()
            )
            + "."
        )
    qc = results.get("query_counts")
    if qc:
        lines += ["", "## Queries per page at this size", "", "| page | queries | on case tables |"]
        lines.append("|---|---|---|")
        for name, q in qc.items():
            lines.append(f"| {name} | {q['queries']} | {q['case_table_queries']} |")
    cc = results.get("case_change")
    if cc:
        lines += [
            "",
            f"One case change (outflow through the service) visible on the dashboard after "
            f"{cc['visible_on_dashboard_s']} s; the worker's recompute for it "
            f"{cc['recompute_affected_s']} s in-process.",
        ]
    ld = results.get("load")
    if ld:
        lines += [
            "",
            f"## Pages under load ({ld['users']} users, {ld['duration_s']} s, think time "
            f"{ld['think_time_s']} s, gunicorn {ld['gunicorn']})",
            "",
            f"Commit `{ld.get('git_commit', m['git_commit'])}`.",
            "",
            f"Load average at start / end of the locust run: {_load(ld['load_avg_during'])}. "
            f"The Celery worker ran {ld['worker_fill_statements']} fill statements meanwhile.",
            "",
            "| request | requests | failures | p50 ms | p95 ms | p99 ms | req/s "
            "| p50 / /health/ p50 | p95 / /health/ p95 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        floor = ld["pages"].get("floor: /health/")
        for name, p in ld["pages"].items():
            ratio = " | "
            if floor and floor["p95_ms"] and p["p95_ms"] and floor["p50_ms"] and p["p50_ms"]:
                ratio = f"{p['p50_ms'] / floor['p50_ms']:.2f} | {p['p95_ms'] / floor['p95_ms']:.2f}"
            lines.append(
                f"| {name} | {p['requests']} | {p['failures']} | {p['p50_ms'] or 0:.0f} | "
                f"{p['p95_ms'] or 0:.0f} | {p['p99_ms'] or 0:.0f} | {p['rps']} | {ratio} |"
            )
        for f in ld["failures"]:
            lines.append(f"\nFailure: {f['name']}: {f['error']} ({f['count']}x)")
    earlier = results.get("load_previous") or []
    for lp in earlier if isinstance(earlier, list) else [earlier]:
        lines += [
            "",
            f"### The same load at commit `{lp['git_commit']}` ({lp['date']})",
            "",
            f"Load average at start / end of the locust run: {_load(lp['load_avg_during'])}.",
            "",
            "| request | requests | failures | p50 ms | p95 ms | p50 / /health/ p50 "
            "| p95 / /health/ p95 |",
            "|---|---|---|---|---|---|---|",
        ]
        floor = lp["pages"].get("floor: /health/")
        for name, p in lp["pages"].items():
            ratio = " | "
            if floor and floor["p95_ms"] and p["p95_ms"] and floor["p50_ms"] and p["p50_ms"]:
                ratio = f"{p['p50_ms'] / floor['p50_ms']:.2f} | {p['p95_ms'] / floor['p95_ms']:.2f}"
            lines.append(
                f"| {name} | {p['requests']} | {p['failures']} | {p['p50_ms'] or 0:.0f} | "
                f"{p['p95_ms'] or 0:.0f} | {ratio} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    reuse = "--reuse" in argv
    results: dict = {"load_avg_start": benv.loadavg()}
    results["config"] = {
        "municipalities": MUNICIPALITIES,
        "households": HOUSEHOLDS,
        "years": run.YEARS,
        "users": run.USERS,
        "duration_s": run.DURATION,
        "database": DB_NAME,
    }
    log(f"work directory {run.WORK}")
    run.OUT.mkdir(parents=True, exist_ok=True)
    server = benv.server_url()
    redis = benv.redis_url()
    url = benv.with_database(server, DB_NAME) if reuse else benv.database_create(server, DB_NAME)
    environ = benv.child_env(url, redis, TWO_FACTOR_ENFORCED="false")
    os.environ.update(DATABASE_URL=url, REDIS_URL=redis, DJANGO_SETTINGS_MODULE="bench.settings")
    os.environ["TWO_FACTOR_ENFORCED"] = "false"
    results["machine"] = benv.machine(url)
    servers: list[run.Server] = []
    try:
        if not reuse:
            step_seed(url, dict(environ, RLS_ENFORCED="false"), results)
        else:  # the kept database gets the migrations of the code measured now
            benv.manage(["migrate", "--noinput", "-v", "0"], environ)
        import django

        django.setup()
        from django.utils import timezone

        from caseload.models import Municipality

        step_vacuum(results, reuse=reuse)
        municipality = Municipality.objects.get(cbs_code="GM0402")
        today = timezone.localdate()
        if "--skip-recompute" not in argv:
            step_recompute(today, results)
        if "--skip-rls" not in argv:
            from django.db import connections

            connections.close_all()
            step_rls(results, environ)
        if "--skip-load" not in argv:
            data = run.step_prepare_load(municipality, today, results)
            run.step_query_counts(municipality, today, data, results)
            port = benv.free_port()
            base = f"http://127.0.0.1:{port}"
            py = {"PYTHON": benv.PY}
            web = run.Server(
                "web",
                [str(benv.ROOT / "bin" / "entrypoint"), "web"],
                dict(
                    environ,
                    **py,
                    BIND=f"127.0.0.1:{port}",
                    WEB_CONCURRENCY=str(run.WEB_WORKERS),
                    WEB_THREADS=str(run.WEB_THREADS),
                ),
            )
            servers.append(web)
            worker = run.Server(
                "worker",
                [str(benv.ROOT / "bin" / "entrypoint"), "worker"],
                dict(environ, **py, LOG_LEVEL="WARNING", CELERY_CONCURRENCY="1"),
            )
            servers.append(worker)
            run._wait_http(base + "/health/")
            time.sleep(3)  # let the worker connect to the broker
            if "--skip-case-change" not in argv:  # records an outflow: once per database
                run.step_case_change(base, municipality, today, data, results)
            run.step_load(base, data, results, web)
            results["load"]["git_commit"] = results["machine"]["git_commit"]
    finally:
        for s in servers:
            s.stop()
        from django.db import connections

        connections.close_all()
    results["load_avg_end"] = benv.loadavg()
    name = os.environ.get("BENCH_REGION_NAME", "region")
    previous_path = run.OUT / f"{name}.json"
    if "--merge" in argv and previous_path.exists():
        # a rerun of some steps on the kept database: the other figures stay those of the run
        # before; a page load measured before is kept beside the new one
        previous = json.loads(previous_path.read_text())
        if "load" in results and "load" in previous:
            earlier = previous.get("load_previous") or []
            earlier = earlier if isinstance(earlier, list) else [earlier]
            results["load_previous"] = [
                {
                    "git_commit": previous["machine"]["git_commit"],
                    "date": previous["machine"]["date"],
                    **previous["load"],
                },
                *earlier,
            ]
        if "recompute" in results and "recompute" in previous:
            results["recompute_previous"] = [
                {"git_commit": previous.get("merged_from", previous["machine"])["git_commit"]}
                | previous["recompute"],
                *previous.get("recompute_previous", []),
            ]
        seed = {**previous.get("seed", {}), **results.get("seed", {})}
        # the run that measured the seed (a merge of a merge keeps the first run's machine)
        first = previous.get("merged_from", previous["machine"])
        results = {**previous, **results, "seed": seed, "merged_from": first}
    results["goals"] = goals(results)
    (run.OUT / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path = run.OUT / f"{name}.md"
    text = markdown(results)
    # the hand-written follow-up sections at the end (from "## Follow-up" on) are kept
    if md_path.exists() and FOLLOW_UP in md_path.read_text():
        text = (
            text.rstrip("\n")
            + "\n\n"
            + md_path.read_text()[md_path.read_text().index(FOLLOW_UP) + 1 :]
        )
    md_path.write_text(text)
    log(f"wrote {run.OUT / name}.json and .md")
    print(markdown(results))


def render(path: str) -> str:
    data = json.loads(Path(path).read_text())
    data["goals"] = goals(data)
    return markdown(data)
