"""The benchmark suite behind ``make bench`` (issue #8).

    BENCH_HOUSEHOLDS=2000 BENCH_DURATION=20 .venv/bin/python bench/run.py   # smoke run
    make bench                                                               # 40,000 x 10 years

Everything runs in a throwaway database (``bench_main``, dropped at the end unless
``BENCH_KEEP_DB=1``) on the same PostgreSQL server as development (embedded unless
``DATABASE_URL`` is set) and a private embedded Redis. Each figure is measured beside its floor in
the same run, so the ratio holds on a noisy shared machine:

1. seed_demo of Hilversum alone (``--municipality GM0402``; wall time, peak RSS), VACUUM ANALYZE;
2. full indicator recompute vs one hand-written single-pass SQL aggregate (bench/indicators_recompute.py);
3. gunicorn (``bin/entrypoint web``) and a real Celery worker (``bin/entrypoint worker``): one
   outflow recorded through the service, time until the dashboard shows it; and the recompute
   the worker runs for it, timed in-process;
4. query counts per page at this data size (Django test client, same settings);
5. locust, headless, N users (consulenten and managers, never a superuser): worklist, dossier,
   dashboard, intake save, API list and create, vs /health/ and a static file (the floor);
6. BUIG: the overview's GROUP BY selector, the year report task body, a ledger import.

``bench/run.py --scale [--reuse] [--drop]`` instead runs the national-size comparison of the
indicator recompute at 40,000 and 400,000 households (issue 19, ``bench/scale.py``; about an
hour; CI never runs it).

``bench/run.py --region [--reuse]`` (or ``BENCH_REGION=1 make bench``) runs the regional
benchmark instead: 16 municipalities, 40,000 households in all, in ``bench_region_40000`` (issue
17, ``bench/region_bench.py``; about 30 minutes; CI never runs it).

Results: docs/benchmarks/results.json and results.md (BENCH_OUT to write elsewhere).
Settings: BENCH_HOUSEHOLDS (40000), BENCH_YEARS (10), BENCH_USERS (20), BENCH_DURATION (60 s),
BENCH_WAIT ("1,2": think time per user, seconds), BENCH_LEDGER_ROWS (500000), BENCH_WORKERS
(gunicorn workers, 2), BENCH_THREADS (4), BENCH_PROFILE=1 (py-spy on the web workers).
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402

ROOT = benv.ROOT
CASE_TABLES = re.compile(
    r'"caseload_(benefit|benefitpayment|resident|household|application|groupassignment|'
    r'trajectory|outflowevent|contactmoment|ladderscore|fraudinvestigation|debtcase)"'
)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


HOUSEHOLDS = _int("BENCH_HOUSEHOLDS", 40_000)
YEARS = _int("BENCH_YEARS", 10)
USERS = _int("BENCH_USERS", 20)
DURATION = _int("BENCH_DURATION", 60)
LEDGER_ROWS = _int("BENCH_LEDGER_ROWS", 500_000)
WAIT = os.environ.get("BENCH_WAIT", "1,2")
WEB_WORKERS = _int("BENCH_WORKERS", 2)
WEB_THREADS = _int("BENCH_THREADS", 4)
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
# "all" (every year with data) or "current" (this year only: for the national-size run)
RECOMPUTE = os.environ.get("BENCH_RECOMPUTE", "all")
REPEATS = _int("BENCH_REPEATS", 3)  # in-process repeats of the affected-periods recompute
DB_NAME = os.environ.get("BENCH_DB", "bench_main")
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "docs" / "benchmarks")
WORK = Path(tempfile.mkdtemp(prefix="bench-"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


# --- processes ------------------------------------------------------------------------------


class Server:
    """A child process in its own session, stopped by its process group id."""

    def __init__(self, name: str, args: list[str], environ: dict[str, str]) -> None:
        self.name = name
        self.log = WORK / f"{name}.log"
        self.proc = subprocess.Popen(  # noqa: S603 - fixed entry point
            args,
            cwd=ROOT,
            env=environ,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - localhost
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Browser:
    """A logged-in session against the gunicorn server (stdlib only)."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        form = self.get("/inloggen/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        req = urllib.request.Request(  # noqa: S310 - localhost
            base + "/inloggen/", data=data, headers={"Referer": base + "/inloggen/"}
        )
        self.opener.open(req, timeout=30).read()

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.read().decode()


# --- steps ----------------------------------------------------------------------------------


def step_seed(environ: dict[str, str], results: dict) -> None:
    log(f"migrate + seed_demo {HOUSEHOLDS} households x {YEARS} years")
    benv.manage(["migrate", "--noinput", "-v", "0"], environ)
    seed = benv.timed_manage(
        benv.seed_one_municipality(HOUSEHOLDS, YEARS),
        environ,
        WORK / "seed.log",
    )
    text = (WORK / "seed.log").read_text()
    rows = 0
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("caseload_"):
            rows += int(parts[1].replace(".", ""))
    seed["rows"] = rows
    started = time.monotonic()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        seed["database_mb"] = round(cursor.fetchone()[0] / 1024 / 1024)
    seed["vacuum_analyze_s"] = round(time.monotonic() - started, 1)
    results["seed"] = seed
    log(f"seed: {seed}")


def step_recompute(municipality_id: int, today, results: dict) -> None:
    import indicators_recompute as ir
    from django.conf import settings

    data = ir.data_summary(municipality_id, today)
    if RECOMPUTE == "current":
        from indicators.calculations import periods_of_year

        data["years"] = [today.year]
        data["periods"] = periods_of_year(today.year, ("month", "year"), today)
    log(f"recompute: {data['benefits']} benefits, {len(data['periods'])} periods")
    ir.floor_seconds(municipality_id, today, data["periods"])  # warm the cache like the fill
    floors = [ir.floor_seconds(municipality_id, today, data["periods"]) for _ in range(2)]
    full, fill = ir.full_recompute(
        municipality_id, today, year=today.year if RECOMPUTE == "current" else None
    )
    per_code, indicators = fill.seconds, len(fill.codes)
    floors.append(ir.floor_seconds(municipality_id, today, data["periods"]))
    floor = statistics.median(floors)
    heaviest = max(per_code, key=per_code.get)
    results["recompute"] = {
        "benefits": data["benefits"],
        "years": f"{data['years'][0]}-{data['years'][-1]}",
        "indicators": indicators,
        "workers": settings.INDICATORS_FILL_WORKERS,
        "scope": "every year with data" if RECOMPUTE == "all" else f"{today.year} only",
        "floor_s": round(floor, 2),
        "floor_runs_s": [round(f, 2) for f in floors],
        "full_s": round(full, 2),
        "full_per_floor": round(full / floor, 1),
        "per_indicator_avg_s": round(full / indicators, 2),
        "per_indicator_avg_per_floor": round(full / indicators / floor, 2),
        "indicators_sum_s": round(sum(per_code.values()), 2),
        "indicators_sum_per_floor": round(sum(per_code.values()) / floor, 1),
        "heaviest": heaviest,
        "heaviest_s": round(per_code[heaviest], 2),
        "heaviest_per_floor": round(per_code[heaviest] / floor, 1),
        "per_code_s": {k: round(v, 3) for k, v in sorted(per_code.items(), key=lambda kv: -kv[1])},
    }
    log(
        f"recompute: full {full:.1f} s, floor {floor:.2f} s, heaviest {heaviest} "
        f"{per_code[heaviest]:.2f} s"
    )


def _users(municipality):
    from caseload.models import Resident, User

    consulent = User.objects.get(username="consulent")
    manager = User.objects.get(username="manager")
    visible = list(
        Resident.objects.visible_to(consulent)
        .filter(household__benefits__end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    if not visible:
        raise RuntimeError("the demo consulent sees no residents")
    return consulent, manager, visible


def step_prepare_load(municipality, today, results: dict) -> dict:
    from apiauth import services as api_services
    from caseload.demo import DEFAULT_PASSWORD
    from caseload.models import Resident, User
    from intake import services as intake_services

    consulent, manager, visible = _users(municipality)
    intake_ids = visible[: max(1, min(40, len(visible) // 2))]
    for resident in Resident.objects.filter(pk__in=intake_ids):
        intake_services.intake_start(resident=resident, by=consulent)
    issued, token = api_services.token_issue(
        user=consulent, name="benchmark", scopes=["caseload:read", "caseload:write"]
    )
    # a resident-data key works after the privacy officer's approval (issue 12, finding 2)
    api_services.token_approve(token=issued, by=User.objects.get(username="privacy"))
    data = {
        "password": DEFAULT_PASSWORD,
        "consulent": consulent.username,
        "manager": manager.username,
        "residents": visible,
        "intake_residents": intake_ids,
        "token": token,
        "today": today.isoformat(),
        "year": today.year,
        "static_url": "/static/vendor/htmx.org/dist/htmx.min.js",
    }
    from django.test import Client

    sessions: dict[str, list[str]] = {}
    for user in (consulent, manager):
        sessions[user.username] = []
        for _ in range(USERS):
            client = Client()
            client.force_login(user)
            sessions[user.username].append(client.cookies["sessionid"].value)
    data["sessions"] = sessions
    path = WORK / "locust.json"
    path.write_text(json.dumps(data))
    results["load_setup"] = {
        "consulent_residents": len(visible),
        "intake_drafts": len(intake_ids),
        "roles": "consulent (3/4 of users), manager (1/4); no superuser",
    }
    return data


def step_query_counts(municipality, today, data: dict, results: dict) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from caseload.models import User

    pages = {
        "worklist": ("consulent", "/caseload/"),
        "dossier": ("consulent", f"/caseload/inwoners/{data['residents'][0]}/"),
        "intake step": ("consulent", f"/intake/{data['intake_residents'][0]}/stap/1/"),
        "dashboard": ("manager", f"/indicatoren/?jaar={today.year}"),
    }
    counts = {}
    for name, (username, url) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = {
            "queries": len(ctx),
            "case_table_queries": sum(
                1 for q in ctx.captured_queries if CASE_TABLES.search(q["sql"])
            ),
        }
    results["query_counts"] = counts
    log(f"query counts: {counts}")


def step_case_change(base: str, municipality, today, data: dict, results: dict) -> None:
    """One outflow through the service; poll the dashboard until its card changes."""
    from caseload import services as case_services
    from caseload.models import Resident, User
    from indicators.services import indicator_values_fill

    consulent = User.objects.get(username="consulent")
    browser = Browser(base, data["manager"], data["password"])
    url = f"/indicatoren/?jaar={today.year}"

    def card() -> str:
        html = browser.get(url)
        start = html.index('aria-labelledby="h-outflow.to_work"')
        return html[start : html.index("</section>", start)]

    before = card()
    resident = Resident.objects.get(pk=data["residents"][-1])
    changed_at = time.monotonic()
    case_services.outflow_record(
        resident=resident,
        kind="gedeeltelijk",
        reason="werk",
        occurred_on=today,
        by=consulent,
        hours_per_week=Decimal(12),
        employer="Benchmark BV",
        contract_type="tijdelijk",
    )
    visible_s = None
    polls = 0
    while time.monotonic() - changed_at < 600:
        polls += 1
        if card() != before:
            visible_s = time.monotonic() - changed_at
            break
        time.sleep(0.1)
    # The same call the worker's indicators_recompute_dirty_task makes for this change.
    runs = []
    for _ in range(REPEATS):
        t = time.monotonic()
        fill = indicator_values_fill(municipality_id=municipality.pk, affected_from=today)
        runs.append(time.monotonic() - t)
    from indicators.debounce import COUNTDOWN

    results["case_change"] = {
        "visible_on_dashboard_s": round(visible_s, 2) if visible_s is not None else None,
        "coalesce_countdown_s": COUNTDOWN,
        "dashboard_polls": polls,
        "recompute_affected_s": round(statistics.median(runs), 2),
        "recompute_affected_runs_s": [round(r, 2) for r in runs],
        "recompute_affected_periods": fill.periods,
        # values the last of the runs wrote (new, changed or deleted): a recompute rewrites
        # only the figures that changed (issue 17), so the same recompute again writes ~0. Runs
        # before 4 December stored "recompute_affected_rows", every value of the periods
        "recompute_affected_rows_written": fill.rows,
    }
    log(f"case change: {results['case_change']}")


def _percentile_row(row: dict) -> dict:
    def num(key: str) -> float | None:
        value = row.get(key, "")
        return None if value in ("", "N/A") else float(value)

    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50_ms": num("50%"),
        "p95_ms": num("95%"),
        "p99_ms": num("99%"),
        "avg_ms": round(num("Average Response Time") or 0, 1),
        "rps": round(num("Requests/s") or 0, 1),
    }


def _warm(base: str, data: dict) -> None:
    """A few requests per page and worker first: imports, template and connection warm-up."""
    pages = [
        (data["consulent"], "/caseload/"),
        (data["consulent"], f"/caseload/inwoners/{data['residents'][0]}/"),
        (data["consulent"], f"/intake/{data['intake_residents'][0]}/stap/1/"),
        (data["manager"], f"/indicatoren/?jaar={data['year']}"),
        (data["manager"], "/health/"),
        (data["manager"], data["static_url"]),
    ]
    for _ in range(WEB_WORKERS * WEB_THREADS):
        for username, path in pages:
            session = data["sessions"][username][0]
            req = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
            with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - localhost
                r.read()


def step_load(base: str, data: dict, results: dict, web: Server) -> None:
    _warm(base, data)
    log(f"locust: {USERS} users, {DURATION} s, think time {WAIT} s")
    prefix = WORK / "locust"
    environ = dict(os.environ, BENCH_LOCUST_DATA=str(WORK / "locust.json"), BENCH_WAIT=WAIT)
    profile = None
    if PROFILE:
        profile = _py_spy(web, DURATION)
    load_start = benv.loadavg()
    from django.utils import timezone

    from indicators.models import FillState

    started_at = timezone.now()
    subprocess.run(  # noqa: S603 - fixed entry point
        [
            str(Path(benv.PY).parent / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{DURATION}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=environ,
        stdout=(WORK / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
        check=False,
    )
    pages = {}
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
            pages[name] = _percentile_row(row)
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as fh:
            failures = [
                {"name": r["Name"], "error": r["Error"][:200], "count": int(r["Occurrences"])}
                for r in csv.DictReader(fh)
            ]
    results["load"] = {
        "users": USERS,
        "duration_s": DURATION,
        "think_time_s": WAIT,
        "gunicorn": f"{WEB_WORKERS} workers x {WEB_THREADS} threads",
        "load_avg_during": [load_start, benv.loadavg()],
        "pages": pages,
        "failures": failures,
        # fills the worker ran meanwhile (coalesced recomputes after the API creates): the
        # indicators' 'done' marks since, one time per fill transaction
        "worker_fill_statements": FillState.objects.filter(computed_at__gte=started_at)
        .values("computed_at", "code")
        .distinct()
        .count(),
    }
    if profile is not None:
        for proc in profile:
            proc.wait(DURATION + 30)
        results["load"]["profiles"] = sorted(str(p.name) for p in OUT.glob("profile-web-*.txt"))
    log("locust: " + json.dumps(pages))


def _py_spy(web: Server, duration: int) -> list[subprocess.Popen]:
    """py-spy record on each gunicorn worker for the load window (flame data as text)."""
    pids = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(web.proc.pid)],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.split()
    spy = Path(benv.PY).parent / "py-spy"
    procs = []
    for i, pid in enumerate(pids):
        procs.append(
            subprocess.Popen(  # noqa: S603
                [
                    str(spy),
                    "record",
                    "--pid",
                    pid,
                    "--duration",
                    str(duration),
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--output",
                    str(OUT / f"profile-web-{i}.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return procs


def step_budget(municipality, today, results: dict) -> None:
    import budget_import
    from django.conf import settings

    from budget import selectors, services
    from budget.models import BuigReport, LedgerImport
    from caseload.models import BenefitPayment, User
    from config.celery import app

    settings.MEDIA_ROOT = str(WORK / "media")
    app.conf.task_always_eager = True  # the task body in-process (the worker is stopped)
    finance = User.objects.get(username="financien")
    year = today.year
    payments = BenefitPayment.objects.filter(
        benefit__household__municipality=municipality, month__year=year
    ).count()
    t = time.monotonic()
    services.payment_totals_refresh(municipality_id=municipality.pk, year=year)
    totals_refresh = time.monotonic() - t  # the beat job, not a page request
    t = time.monotonic()
    selectors.year_figures(user=finance, municipality=municipality, year=year)
    overview = time.monotonic() - t
    t = time.monotonic()
    report = services.buig_report_request(municipality=municipality, year=year, by=finance)
    report_s = time.monotonic() - t
    report.refresh_from_db()
    assert report.status == BuigReport.Status.SUCCEEDED, report.status
    content = budget_import.ledger_csv(LEDGER_ROWS, year)
    t = time.monotonic()
    item, _ = services.ledger_import_start(
        municipality=municipality, filename="bench.csv", content=content, by=finance
    )
    import_s = time.monotonic() - t
    item.refresh_from_db()
    assert item.status == LedgerImport.Status.SUCCEEDED, item.errors[:3]
    t = time.monotonic()
    services.ledger_import_start(
        municipality=municipality, filename="bench.csv", content=content, by=finance
    )
    reimport_s = time.monotonic() - t
    results["budget"] = {
        "year": year,
        "payments_in_year": payments,
        "payment_totals_refresh_s": round(totals_refresh, 2),
        "overview_selector_s": round(overview, 2),
        "buig_report_s": round(report_s, 2),
        "ledger_rows": LEDGER_ROWS,
        "ledger_import_s": round(import_s, 2),
        "ledger_reimport_s": round(reimport_s, 2),
    }
    log(f"budget: {results['budget']}")


# --- goals and output -----------------------------------------------------------------------


def goals(results: dict) -> list[dict]:
    out = []

    def goal(text: str, value, target: str, met: bool | None) -> None:
        out.append({"goal": text, "value": value, "target": target, "met": met})

    rc = results.get("recompute", {})
    if rc:
        goal("full recompute", f"{rc['full_s']} s", "< 60 s", rc["full_s"] < 60)
        goal(
            "full recompute / floor",
            f"{rc['full_per_floor']}x ({rc['indicators']} indicators)",
            "<= 3x",
            rc["full_per_floor"] <= 3,
        )
        goal(
            "average indicator / floor",
            f"{rc['per_indicator_avg_per_floor']}x (heaviest {rc['heaviest_per_floor']}x)",
            "<= 3x",
            rc["per_indicator_avg_per_floor"] <= 3,
        )
    cc = results.get("case_change", {})
    if cc:
        v = cc["visible_on_dashboard_s"]
        goal("one case change visible on the dashboard", f"{v} s", "< 5 s", v is not None and v < 5)
    pages = results.get("load", {}).get("pages", {})
    for name, limit in (
        ("worklist", 150),
        ("dossier", 150),
        ("dashboard", 150),
        ("intake save", 200),
    ):
        if name in pages:
            p95 = pages[name]["p95_ms"]
            goal(f"{name} p95", f"{p95:.0f} ms", f"< {limit} ms", p95 is not None and p95 < limit)
    if pages:
        errors = sum(p["failures"] for n, p in pages.items() if n != "all requests")
        goal("errors under load", errors, "0", errors == 0)
    qc = results.get("query_counts", {})
    if qc:
        goal(
            "dashboard queries on case tables",
            qc["dashboard"]["case_table_queries"],
            "0",
            qc["dashboard"]["case_table_queries"] == 0,
        )
    return out


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"{results['config']['households']:,} households x {results['config']['years']} years "
        f"of history; {m['date']}, commit `{m['git_commit']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; PostgreSQL "
        f"{m['postgresql']} (shared_buffers {m['postgresql_shared_buffers']}, work_mem "
        f"{m['postgresql_work_mem']}); Python {m['python']}. Load average at start "
        f"{results['load_avg_start']}, at end {results['load_avg_end']} (the machine is shared: "
        "compare each figure with its floor from the same run).",
        "",
        "## Goals",
        "",
        "| goal | measured | target | met |",
        "|---|---|---|---|",
    ]
    for g in results["goals"]:
        met = "yes" if g["met"] else "**no**"
        lines.append(f"| {g['goal']} | {g['value']} | {g['target']} | {met} |")
    s = results.get("seed")
    if s:
        lines += [
            "",
            "## Data",
            "",
            f"seed_demo: {s['wall_s']} s wall"
            + (f" ({s['python_cpu_s']} s CPU in the generator)" if s.get("python_cpu_s") else "")
            + f", peak RSS {s['peak_rss_mb']} MB, {s['rows']:,} rows, "
            f"database {s['database_mb']} MB; VACUUM ANALYZE {s['vacuum_analyze_s']} s.",
        ]
    rc = results.get("recompute")
    if rc:
        lines += [
            "",
            "## Indicator recompute vs floor",
            "",
            "| figure | seconds | x floor |",
            "|---|---|---|",
            f"| floor: one single-pass SQL aggregate ({rc['benefits']:,} benefits, {rc['years']}) "
            f"| {rc['floor_s']} | 1 |",
            f"| full recompute, {rc['indicators']} indicators, {rc['scope']}, "
            f"{rc.get('workers', 1)} at once | {rc['full_s']} | {rc['full_per_floor']} |",
            f"| the indicators' own times added up (about one connection's recompute) | "
            f"{rc.get('indicators_sum_s', '')} | {rc.get('indicators_sum_per_floor', '')} |",
            f"| average per indicator | {rc['per_indicator_avg_s']} | "
            f"{rc['per_indicator_avg_per_floor']} |",
            f"| heaviest fill: one indicator, or those sharing a relation ({rc['heaviest']}) "
            f"| {rc['heaviest_s']} | "
            f"{rc['heaviest_per_floor']} |",
        ]
        top = list(rc["per_code_s"].items())[:5]
        lines.append("")
        lines.append("Slowest indicators: " + ", ".join(f"`{k}` {v:.2f} s" for k, v in top) + ".")
    cc = results.get("case_change")
    if cc:
        lines += [
            "",
            "## One case change",
            "",
            f"Outflow recorded through `caseload.services.outflow_record`; visible on the dashboard "
            f"(gunicorn, real Celery worker, coalesced recompute with a {cc['coalesce_countdown_s']} s "
            f"countdown) after **{cc['visible_on_dashboard_s']} s**. The recompute the worker runs "
            f"for it (`indicator_values_fill(affected_from=...)`, {cc['recompute_affected_periods']} "
            f"periods) takes {cc['recompute_affected_s']} s in-process.",
        ]
    ld = results.get("load")
    if ld:
        lines += [
            "",
            f"## Pages under load ({ld['users']} users, {ld['duration_s']} s, think time "
            f"{ld['think_time_s']} s, gunicorn {ld['gunicorn']})",
            "",
            f"Load average during the run {ld['load_avg_during']}; the Celery worker ran "
            f"{ld['worker_fill_statements']} fill statements meanwhile (coalesced recomputes "
            "after the API creates).",
            "",
            "| request | requests | failures | p50 ms | p95 ms | p99 ms | req/s "
            "| p50 / floor p50 | p95 / floor p95 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        floor = ld["pages"].get("floor: /health/")
        for name, p in ld["pages"].items():
            ratio = ""
            if floor and floor["p50_ms"] and floor["p95_ms"]:
                ratio = f"{p['p50_ms'] / floor['p50_ms']:.1f} | {p['p95_ms'] / floor['p95_ms']:.1f}"
            lines.append(
                f"| {name} | {p['requests']} | {p['failures']} | {p['p50_ms']:.0f} | "
                f"{p['p95_ms']:.0f} | {p['p99_ms']:.0f} | {p['rps']} | {ratio} |"
            )
        for f in ld["failures"]:
            lines.append(f"\nFailure: {f['name']}: {f['error']} ({f['count']}x)")
    qc = results.get("query_counts")
    if qc:
        lines += ["", "## Queries per page at this size", "", "| page | queries | on case tables |"]
        lines.append("|---|---|---|")
        for name, c in qc.items():
            lines.append(f"| {name} | {c['queries']} | {c['case_table_queries']} |")
    b = results.get("budget")
    if b:
        lines += [
            "",
            "## Budget",
            "",
            "| figure | seconds |",
            "|---|---|",
            f"| month totals refresh, beat job ({b['payments_in_year']:,} payments in "
            f"{b['year']}) | {b.get('payment_totals_refresh_s', '-')} |",
            f"| overview selector (page request, stored month totals) | "
            f"{b['overview_selector_s']} |",
            f"| BUIG year report (task body: XLSX + CSV, stored) | {b['buig_report_s']} |",
            f"| ledger import, {b['ledger_rows']:,} rows (task body) | {b['ledger_import_s']} |",
            f"| same file again (checksum, no-op) | {b['ledger_reimport_s']} |",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    results: dict = {"load_avg_start": benv.loadavg()}
    results["config"] = {
        "households": HOUSEHOLDS,
        "years": YEARS,
        "users": USERS,
        "duration_s": DURATION,
        "ledger_rows": LEDGER_ROWS,
    }
    log(f"work directory {WORK}")
    OUT.mkdir(parents=True, exist_ok=True)
    server = benv.server_url()
    redis = benv.redis_url()
    url = benv.database_create(server, DB_NAME)
    environ = benv.child_env(url, redis, TWO_FACTOR_ENFORCED="false")
    os.environ.update(DATABASE_URL=url, REDIS_URL=redis, DJANGO_SETTINGS_MODULE="bench.settings")
    os.environ["TWO_FACTOR_ENFORCED"] = "false"
    results["machine"] = benv.machine(url)
    servers: list[Server] = []
    try:
        import django

        django.setup()
        from django.utils import timezone

        step_seed(environ, results)
        from caseload.models import Municipality

        municipality = Municipality.objects.get(cbs_code="GM0402")
        today = timezone.localdate()
        step_recompute(municipality.pk, today, results)
        data = step_prepare_load(municipality, today, results)
        step_query_counts(municipality, today, data, results)

        port = benv.free_port()
        base = f"http://127.0.0.1:{port}"
        py = {"PYTHON": benv.PY}
        web = Server(
            "web",
            [str(ROOT / "bin" / "entrypoint"), "web"],
            dict(
                environ,
                **py,
                BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY=str(WEB_WORKERS),
                WEB_THREADS=str(WEB_THREADS),
            ),
        )
        servers.append(web)
        worker = Server(
            "worker",
            [str(ROOT / "bin" / "entrypoint"), "worker"],
            dict(environ, **py, LOG_LEVEL="WARNING", CELERY_CONCURRENCY="1"),
        )
        servers.append(worker)
        _wait_http(base + "/health/")
        time.sleep(3)  # let the worker connect to the broker
        step_case_change(base, municipality, today, data, results)
        step_load(base, data, results, web)
        for s in servers:
            s.stop()
        step_budget(municipality, today, results)
    finally:
        for s in servers:
            s.stop()
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            benv.database_drop(server, DB_NAME)
    results["load_avg_end"] = benv.loadavg()
    results["goals"] = goals(results)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (OUT / "results.md").write_text(markdown(results))
    log(f"wrote {OUT / 'results.json'} and {OUT / 'results.md'}")
    print(markdown(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--scale":  # 40,000 and 400,000 (issue 19), not CI
        import scale

        scale.main(sys.argv[2:])
    elif (len(sys.argv) > 1 and sys.argv[1] == "--region") or os.environ.get("BENCH_REGION") == "1":
        # 16 municipalities (issue 17): bench/run.py --region, or BENCH_REGION=1 make bench
        import region_bench as region

        args = sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == "--region" else sys.argv[1:]
        if len(args) == 2 and args[0] == "--render":  # region.json -> region.md again
            print(region.render(args[1]), end="")
        else:
            region.main(args)
    elif len(sys.argv) == 3 and sys.argv[1] == "--render":  # results.json -> results.md again
        data = json.loads(Path(sys.argv[2]).read_text())
        data["goals"] = goals(data)
        print(markdown(data), end="")
    else:
        main()
