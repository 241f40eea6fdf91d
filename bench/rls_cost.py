"""Benchmark: what row-level security costs on the worklist, the dossier and the recompute.

    .venv/bin/python bench/rls_cost.py [--households 2200] [--years 5] [--rounds 5] [--reuse]
    .venv/bin/python bench/rls_cost.py --db bench_region_40000 --reuse --json out.json  # region

Seeds a throwaway database ``bench_rls`` (``seed_demo``, as the owner), then runs everything as
the application role (a login as ``DATABASE_APP_ROLE``, as the web in production), twice per
round, once **with** the policies and once **without** them (the same role, the policies dropped
and row-level security disabled by the owner between the halves; the order alternates per
round). Measured in-process, sequentially:

* worklist: ``GET /caseload/`` as the demo consulent (the middleware sets the team's
  municipality), ``--requests`` times;
* dossier: ``GET /caseload/inwoners/<id>/`` over ``--requests`` of the consulent's residents;
* recompute: ``indicators.fill.indicator_values_fill`` for the municipality, this year's periods
  (the recompute beat runs every 5 minutes), as the application role with the municipality set on
  every connection of the fill's threads (``options=-c app.municipalities=<id>``). In production
  the fill runs as the owner and pays nothing; this is the cost if it ran under the policies.

Writes ``docs/benchmarks/rls.md`` (``--out``) with the medians side by side, and with ``--json``
the figures as JSON (``bench/run.py --region`` runs it on its regional database with ``--db``
and ``--reuse``). The load average is recorded around every half round. Goal (issue 17):
row-level security costs less than 20 % on each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import env as benv  # noqa: E402 - bench/env.py, next to this file

DB_NAME = "bench_rls"


def _with_user_and_options(url: str, user: str, options: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc.split("@")[-1]
    query = parts.query + ("&" if parts.query else "") + "options=" + quote(options)
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}", query=query))


def _owner_connection(url: str):
    import psycopg

    from common.embedded import DATABASE_NAME  # noqa: F401 - the server is the embedded one

    return psycopg.connect(url, autocommit=True)


def seed(server: str, households: int, years: int, redis: str) -> str:
    url = benv.database_create(server, DB_NAME)
    environ = benv.child_env(url, redis, RLS_ENFORCED="false")
    benv.manage(["migrate", "--noinput", "-v", "0"], environ)
    benv.manage(
        ["seed_demo", "--households", str(households), "--years", str(years), "--force"],
        environ,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    return url


def policies_toggle(owner, on: bool) -> None:
    from common import rls

    with owner.cursor() as cursor:
        for policy in rls.policies():
            if on:
                cursor.execute(f'ALTER TABLE "{policy.table}" ENABLE ROW LEVEL SECURITY')
                cursor.execute(f'DROP POLICY IF EXISTS {policy.name} ON "{policy.table}"')
                cursor.execute(
                    f'CREATE POLICY {policy.name} ON "{policy.table}" FOR ALL '
                    f"USING ({policy.condition}) WITH CHECK ({policy.condition})"
                )
            else:
                cursor.execute(f'DROP POLICY IF EXISTS {policy.name} ON "{policy.table}"')
                cursor.execute(f'ALTER TABLE "{policy.table}" DISABLE ROW LEVEL SECURITY')


def timed(fn, count: int) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=2200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded bench_rls")
    parser.add_argument("--db", default=DB_NAME, help="the bench_* database (default bench_rls)")
    parser.add_argument("--json", default="", help="also write the figures as JSON here")
    parser.add_argument("--note", default="", help="a line about the run (e.g. a busy machine)")
    parser.add_argument("--out", default=str(benv.ROOT / "docs" / "benchmarks" / "rls.md"))
    args = parser.parse_args()
    if args.db != DB_NAME and not args.reuse:
        parser.error("--db names an existing database: use it with --reuse")

    server = benv.server_url()
    redis = benv.redis_url()
    owner_url = benv.with_database(server, args.db)
    seed_s = None
    if not args.reuse:
        started = time.monotonic()
        owner_url = seed(server, args.households, args.years, redis)
        seed_s = round(time.monotonic() - started)

    # this process: the application role, like the web in production
    app_role = os.environ.get("DATABASE_APP_ROLE", "caseload_app")
    owner = _owner_connection(owner_url)
    with owner.cursor() as cursor:
        cursor.execute("SELECT id FROM caseload_municipality ORDER BY name, id")
        municipality_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT t.municipality_id FROM caseload_user u JOIN caseload_team t "
            "ON t.id = u.team_id WHERE u.username = 'consulent'"
        )
        municipality_id = cursor.fetchone()[0]
        cursor.execute("VACUUM ANALYZE")
    os.environ.update(
        DATABASE_URL=_with_user_and_options(
            owner_url, app_role, f"-c app.municipalities={municipality_id}"
        ),
        REDIS_URL=redis,
        DJANGO_SETTINGS_MODULE="bench.settings",
        RLS_ENFORCED="true",
        TWO_FACTOR_ENFORCED="false",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from caseload.models import Resident, User
    from indicators.fill import indicator_values_fill

    consulent = User.objects.get(username="consulent")
    client = Client()
    client.force_login(consulent)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    residents = list(
        Resident.objects.visible_to(consulent).order_by("pk").values_list("pk", flat=True)
    )[: args.requests]
    today = dt.date.today()

    def worklist(_i: int) -> None:
        assert client.get("/caseload/").status_code == 200

    def dossier(i: int) -> None:
        assert client.get(f"/caseload/inwoners/{residents[i % len(residents)]}/").status_code == 200

    def recompute(_i: int) -> None:
        indicator_values_fill(municipality_id=municipality_id, year=today.year)

    samples: dict[str, dict[str, list[float]]] = {
        mode: {"worklist": [], "dossier": [], "recompute": []} for mode in ("with", "without")
    }
    counts: dict[str, int] = {}
    load: dict[str, list[list[float]]] = {"with": [], "without": []}
    for round_no in range(args.rounds):
        order = ("with", "without") if round_no % 2 == 0 else ("without", "with")
        for mode in order:
            policies_toggle(owner, on=mode == "with")
            connection.close()  # plans are cached per session: start each half fresh
            worklist(0)  # warm
            dossier(0)
            load_before = benv.loadavg()
            samples[mode]["worklist"] += timed(worklist, args.requests)
            samples[mode]["dossier"] += timed(dossier, args.requests)
            samples[mode]["recompute"] += timed(recompute, 1)
            load[mode].append([load_before[0], benv.loadavg()[0]])
            if round_no == 0:
                body = client.get("/caseload/").content
                counts[mode] = len(body)
        print(f"round {round_no + 1}/{args.rounds} done", flush=True)
    policies_toggle(owner, on=True)
    assert counts["with"] == counts["without"], "the worklist differs with and without policies"

    with owner.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM caseload_household WHERE municipality_id = %s", [municipality_id]
        )
        households = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM caseload_resident")
        all_residents = cursor.fetchone()[0]
    info = benv.machine(owner_url)
    rows = []
    for name in ("worklist", "dossier", "recompute"):
        with_ms = statistics.median(samples["with"][name])
        without_ms = statistics.median(samples["without"][name])
        rows.append((name, without_ms, with_ms, (with_ms / without_ms - 1) * 100))
    lines = [
        "# Row-level security: cost on the worklist, the dossier and the recompute",
        "",
        "Generated by `bench/rls_cost.py` (issue 17; docs/row-level-security.md). Everything runs",
        f"as the application role `{app_role}`, once with the policies and once without them",
        "(dropped and row-level security disabled by the owner), alternating per round.",
        "",
        (
            f"- data: `seed_demo --households {args.households} --years {args.years}`"
            if args.db == DB_NAME
            else f"- data: the database `{args.db}`"
        )
        + (f" ({seed_s} s)" if seed_s is not None else "")
        + f"; {len(municipality_ids)} municipality(ies), {all_residents} residents in all; the"
        f" consulent's municipality has {households} households",
        f"- {args.rounds} rounds; per round and mode {args.requests} worklist requests,"
        f" {args.requests} dossiers (of {len(residents)} residents), 1 recompute of"
        f" {today.year}'s periods",
        f"- machine: {info['cpu']}, {info['cores']} cores (shared), PostgreSQL"
        f" {info['postgresql']}, {info['date']}, commit {info['git_commit']}",
        "",
        "| what | without policies (ms, median) | with policies (ms, median) | cost | goal < 20 % |",
        "|---|---:|---:|---:|---|",
    ]
    for name, without_ms, with_ms, cost in rows:
        lines.append(
            f"| {name} | {without_ms:.1f} | {with_ms:.1f} | {cost:+.1f} % |"
            f" {'met' if cost < 20 else 'NOT met'} |"
        )
    lines += [
        "",
        "Load average (1 min) before and after each half round: "
        + "; ".join(
            f"{mode} policies " + ", ".join(f"{a}-{b}" for a, b in load[mode])
            for mode in ("without", "with")
        )
        + ".",
    ]
    if args.note:
        lines += ["", args.note]
    lines += [
        "",
        "The recompute row is the fill under the policies (as the application role with the",
        "municipality set). In production the fill runs as the owner, which the policies do not",
        "bind (docs/row-level-security.md), so its real cost is nil; the row shows what the",
        "policies would add if it did not.",
        "",
        "Every sample (ms):",
        "",
    ]
    for mode in ("without", "with"):
        for name in ("worklist", "dossier", "recompute"):
            values = ", ".join(f"{v:.0f}" for v in samples[mode][name])
            lines.append(f"- {mode} policies, {name}: {values}")
    Path(args.out).write_text("\n".join(lines) + "\n")
    if args.json:
        figures = {
            "database": args.db,
            "app_role": app_role,
            "rounds": args.rounds,
            "requests": args.requests,
            "households_in_municipality": households,
            "residents_in_all": all_residents,
            "municipalities": len(municipality_ids),
            "load_avg_per_half_round": load,
            "median_ms": {
                name: {"without": round(wo, 1), "with": round(w, 1), "cost_pct": round(c, 1)}
                for name, wo, w, c in rows
            },
            "samples_ms": {
                mode: {k: [round(v, 1) for v in vs] for k, vs in per.items()}
                for mode, per in samples.items()
            },
        }
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    print("\n".join(lines[:20]))
    owner.close()
    if not args.reuse:
        connection.close()


if __name__ == "__main__":
    main()
