"""``make chaos``: a soak under faults that CI never runs (issue 13; docs/reliability.md).

The whole stack runs natively on servers of its own (:mod:`tests.faults.stack`: a PostgreSQL
and a Redis nobody else uses; gunicorn, the Celery worker and beat through ``bin/entrypoint``
as in production) on a small demo municipality. Threads make case changes the whole time, half
through the API (contact moments and ladder scores, with an ``Idempotency-Key``), half through
the UI (the dossier's contact form, logged in). Meanwhile:

1. the broker is killed (SIGKILL) and stays down ``CHAOS_BROKER_MINUTES``, then restarts;
2. PostgreSQL is stopped (fast shutdown) for ``CHAOS_DB_MINUTES``, then starts;
3. the worker is SIGKILLed at random moments (every ``CHAOS_KILL_EVERY`` seconds on average)
   and started again 5 s later, as a restart policy would.

Web, worker and beat are otherwise left alone: one that exits by itself is counted as a crash
(and restarted, so that the run goes on). When the database returns the load stops and the run
measures how long until every stored indicator value equals a full recompute (checked inside a
rolled-back transaction, so the check itself repairs nothing), then the final figures: changes
made (answered 2xx/302) and found in the database, lost changes, values that differ from a full
recompute, errors by kind (an HTML 500 from the API must never happen), stuck jobs, processes
alive. The results go to ``.local/chaos/results-<time>.json`` and are printed as Markdown.

    make chaos                                    # 10-minute outages (the issue's soak)
    CHAOS_MINUTES=2 make chaos                    # both outages 2 minutes
    python -m tests.faults.chaos --broker-minutes 1 --db-minutes 1 --kill-every 45
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

from tests.faults.stack import BASE_DIR, running_stack

PASSWORD = "demo-wachtwoord-2026"

SETUP = """
from apiauth import services as api_services
from caseload.models import Municipality, Resident, User
consulent = User.objects.get(username="consulent")
issued, secret = api_services.token_issue(
    user=consulent, name="chaos", scopes=["caseload:read", "caseload:write"]
)
api_services.token_approve(token=issued, by=User.objects.get(username="privacy"))
visible = list(
    Resident.objects.visible_to(consulent)
    .filter(household__benefits__end_date__isnull=True)
    .order_by("pk").values_list("pk", flat=True).distinct()[:60]
)
from caseload.models import LadderScore
result = {
    "secret": secret,
    "ladder_before": LadderScore.objects.filter(resident_id__in=visible).count(),
    "residents": visible,
    "municipalities": list(Municipality.objects.values_list("pk", flat=True)),
}
"""

#: Stored indicator values against a full recompute, inside a transaction that is rolled back
#: (the fill runs on this one connection then), so checking repairs nothing.
COMPARE = """
from django.db import transaction
from indicators.fill import indicator_values_fill
from indicators.models import IndicatorValue

FIELDS = ("code", "period_kind", "period_start", "period_end", "dimension", "dimension_value",
          "value", "numerator", "denominator")

def stored(mid):
    return set(IndicatorValue.objects.filter(municipality_id=mid).values_list(*FIELDS))

differ = 0
total = 0
with transaction.atomic():
    for mid in MUNICIPALITIES:
        before = stored(mid)
        indicator_values_fill(municipality_id=mid)
        after = stored(mid)
        differ += len(before ^ after)
        total += len(after)
    transaction.set_rollback(True)
result = {"differ": differ, "total": total}
"""

COUNT_CHANGES = """
from caseload.models import ContactMoment, LadderScore
contacts = set(ContactMoment.objects.filter(summary__startswith="chaos ").values_list("summary", flat=True))
ladder = LadderScore.objects.filter(resident_id__in=RESIDENTS).count()
result = {"contacts": sorted(s.split()[1] for s in contacts), "ladder": ladder}
"""

STUCK_JOBS = """
from django.apps import apps
from django.db.models import Count
from django.utils import timezone
from common.jobs import Job
jobs = {}
for model in apps.get_models():
    if issubclass(model, Job):
        by_status = dict(model.objects.values_list("status").annotate(n=Count("pk")))
        by_status["running_lease_expired"] = model.objects.filter(
            status="running", lease_expires_at__lt=timezone.now()
        ).count()
        jobs[model._meta.label] = by_status
result = jobs
"""


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


class Recorder:
    """Every request of the load: its kind, outcome and time; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.outcomes: collections.Counter = collections.Counter()
        self.made: dict[str, set[str]] = {"api_contact": set(), "ui_contact": set()}
        self.ladder_made = 0
        self.unknown: collections.Counter = collections.Counter()
        self.html_500_api = 0
        self.latencies: list[float] = []
        self.phase = "warm-up"

    def record(self, kind: str, outcome: str, elapsed: float) -> None:
        with self.lock:
            self.outcomes[(self.phase, kind, outcome)] += 1
            self.latencies.append(elapsed)


def _outcome(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "").split(";")[0] or "-"
    short = "json" if "json" in kind else "html" if "html" in kind else kind
    return f"{response.status_code} {short}"


class Load:
    """``threads`` threads making case changes until :meth:`stop`."""

    def __init__(self, base: str, data: dict, recorder: Recorder, threads: int) -> None:
        self.base = base
        self.data = data
        self.recorder = recorder
        self.stopped = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(30)

    def _run(self, number: int) -> None:
        rng = random.Random(number)
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {self.data['secret']}"
        ui: requests.Session | None = None
        while not self.stopped.is_set():
            resident = rng.choice(self.data["residents"])
            day = (dt.date.today() - dt.timedelta(days=rng.randint(0, 400))).isoformat()
            marker = uuid.uuid4().hex
            choice = rng.random()
            try:
                if choice < 0.35:
                    self._api_contact(api, resident, day, marker)
                elif choice < 0.5:
                    self._api_ladder(api, resident, day, rng)
                else:
                    ui = self._ui_contact(ui, resident, day, marker)
            except requests.RequestException as error:
                kind = "api" if choice < 0.5 else "ui"
                self.recorder.record(kind, type(error).__name__, 0.0)
                if choice < 0.35:
                    self.recorder.unknown["api_contact"] += 1
                elif choice >= 0.5:
                    self.recorder.unknown["ui_contact"] += 1
                    ui = None
                time.sleep(0.5)
            time.sleep(rng.uniform(0.1, 0.4))

    def _timed(self, call, *args, **kwargs) -> tuple[requests.Response, float]:
        started = time.monotonic()
        response = call(*args, timeout=15, **kwargs)
        return response, time.monotonic() - started

    def _api_contact(self, api, resident: int, day: str, marker: str) -> None:
        response, elapsed = self._timed(
            api.post,
            f"{self.base}/api/v1/caseload/contact-moments/",
            json={
                "resident": resident,
                "occurred_on": day,
                "channel": "telefoon",
                "summary": f"chaos {marker}",
            },
            headers={"Idempotency-Key": marker},
        )
        self._api_outcome("api contact", response, elapsed)
        if response.status_code == 201:
            with self.recorder.lock:
                self.recorder.made["api_contact"].add(marker)
        elif response.status_code >= 500 or response.status_code == 429:
            pass  # refused: nothing was written (checked at the end)

    def _api_ladder(self, api, resident: int, day: str, rng: random.Random) -> None:
        response, elapsed = self._timed(
            api.post,
            f"{self.base}/api/v1/caseload/ladder-scores/",
            json={"resident": resident, "measured_on": day, "step": rng.randint(1, 6)},
        )
        self._api_outcome("api ladder", response, elapsed)
        if response.status_code == 201:
            with self.recorder.lock:
                self.recorder.ladder_made += 1

    def _api_outcome(self, kind: str, response: requests.Response, elapsed: float) -> None:
        outcome = _outcome(response)
        if response.status_code >= 500 and not outcome.endswith("json"):
            with self.recorder.lock:
                self.recorder.html_500_api += response.status_code == 500
        self.recorder.record(kind, outcome, elapsed)

    def _ui_contact(self, session, resident: int, day: str, marker: str):
        if session is None:
            session = _login(self.base, "consulent", self.recorder)
            if session is None:
                time.sleep(1)
                return None
        url = f"{self.base}/caseload/inwoners/{resident}/"
        page, elapsed = self._timed(session.get, url, allow_redirects=False)
        self.recorder.record("ui dossier", _outcome(page), elapsed)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or not found:
            return None if page.status_code == 302 else session
        response, elapsed = self._timed(
            session.post,
            f"{url}contact/",
            data={
                "occurred_on": day,
                "channel": "telefoon",
                "summary": f"chaos {marker}",
                "csrfmiddlewaretoken": found.group(1),
            },
            headers={"Referer": url},
            allow_redirects=False,
        )
        self.recorder.record("ui contact", _outcome(response), elapsed)
        if response.status_code == 302 and "/inloggen/" not in response.headers.get("Location", ""):
            with self.recorder.lock:
                self.recorder.made["ui_contact"].add(marker)
        return session


IMPORT_HEADER = (
    "bsn;voornaam;achternaam;geboortedatum;team;huishouden;leefvorm;straat;huisnummer;"
    "postcode;woonplaats\n"
)


class Importer:
    """The functional administrator offers a caseload import file through the UI every
    ``every`` seconds (a unique file whose one row has a wrong BSN: the job runs on the worker
    and ends refused), so that jobs are running when the faults hit."""

    def __init__(self, base: str, data: dict, recorder: Recorder, every: float) -> None:
        self.base = base
        self.data = data
        self.recorder = recorder
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(30)

    def _run(self) -> None:
        session = None
        number = 0
        while not self.stopped.wait(self.every):
            number += 1
            try:
                if session is None:
                    session = _login(self.base, "beheer", self.recorder, "ui import login")
                    if session is None:
                        continue
                form = session.get(f"{self.base}/beheer/import/", timeout=15)
                found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                if form.status_code != 200 or not found:
                    self.recorder.record("ui import form", _outcome(form), 0.0)
                    session = None
                    continue
                row = (
                    f"12345678;Chaos{number}x{uuid.uuid4().hex[:8]};Test;1990-01-01;Team;"
                    f"h{number};alleenstaand;Kerkstraat;1;1211 AB;Hilversum\n"
                )
                response = session.post(
                    f"{self.base}/beheer/import/",
                    data={
                        "municipality": self.data["municipalities"][0],
                        "csrfmiddlewaretoken": found.group(1),
                    },
                    files={"file": (f"inwoners-{number}.csv", IMPORT_HEADER + row, "text/csv")},
                    headers={"Referer": f"{self.base}/beheer/import/"},
                    allow_redirects=False,
                    timeout=30,
                )
                self.recorder.record("ui import upload", _outcome(response), 0.0)
            except requests.RequestException as error:
                self.recorder.record("ui import upload", type(error).__name__, 0.0)
                session = None


def _login(base: str, username: str, recorder: Recorder, kind: str = "ui login"):
    session = requests.Session()
    page = session.get(f"{base}/inloggen/", timeout=15)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or not found:
        recorder.record(kind, _outcome(page), 0.0)
        return None
    response = session.post(
        f"{base}/inloggen/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1)},
        headers={"Referer": f"{base}/inloggen/"},
        allow_redirects=False,
        timeout=15,
    )
    recorder.record(kind, _outcome(response), 0.0)
    return session if response.status_code == 302 else None


class Processes:
    """Web, worker and beat; restarts one that exited by itself (counted as a crash) and the
    worker after a deliberate kill (like a restart policy)."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.procs = {
            "web": stack.process("web", env={"WEB_CONCURRENCY": "2"}),
            "worker": stack.process("worker", env={"CELERY_CONCURRENCY": "2"}),
            "beat": stack.process("beat"),
        }
        self.crashes: collections.Counter = collections.Counter()
        self.kills = 0
        self.expected_down: set[str] = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        for proc in self.procs.values():
            proc.start(wait=False)
        for proc in self.procs.values():
            proc.wait_ready(timeout=120)
        self.watcher.start()

    def _watch(self) -> None:
        while not self.stopped.wait(1):
            with self.lock:
                for name, proc in self.procs.items():
                    if name not in self.expected_down and not proc.alive():
                        self.crashes[name] += 1
                        log(f"{name} exited by itself (code {proc.popen.returncode}); restarting")
                        proc.start(wait=False)

    def kill_worker(self) -> None:
        with self.lock:
            worker = self.procs["worker"]
            self.expected_down.add("worker")
            worker.kill()
            self.kills += 1
        log("worker SIGKILLed")
        time.sleep(5)
        with self.lock:
            worker.start(wait=False)
            self.expected_down.discard("worker")

    def alive(self) -> dict[str, bool]:
        return {name: proc.alive() for name, proc in self.procs.items()}

    def stop(self) -> None:
        self.stopped.set()
        self.watcher.join(5)


def _compare(stack, municipalities: list[int]) -> dict:
    # one connection, so that the fill runs inside the rolled-back transaction
    return stack.django(
        f"MUNICIPALITIES = {municipalities!r}\n" + COMPARE,
        timeout=600,
        env={"INDICATORS_FILL_WORKERS": "1"},
    )


def run(args: argparse.Namespace) -> dict:
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parameters": vars(args),
    }
    workdir = Path(tempfile.mkdtemp(prefix="chaos-", dir="/tmp"))
    with running_stack(workdir, DEMO_PASSWORD=PASSWORD) as stack:
        log(f"stack on {stack.postgres.url(stack.database)} and {stack.redis.url}")
        started = time.monotonic()
        stack.manage(
            "seed_demo",
            "--households",
            str(args.households),
            "--years",
            str(args.years),
            "--seed",
            "42",
            "--force",
            timeout=1800,
        )
        stack.manage("recompute_indicators", timeout=1800)
        data = stack.django(SETUP)
        results["seed_seconds"] = round(time.monotonic() - started)
        log(f"seeded in {results['seed_seconds']} s: {len(data['residents'])} residents in load")

        processes = Processes(stack)
        processes.start()
        base = f"http://127.0.0.1:{processes.procs['web'].port}"
        recorder = Recorder()
        load = Load(base, data, recorder, args.threads)
        load.start()
        importer = Importer(base, data, recorder, args.import_every)
        importer.start()
        log("load running")

        killer_stop = threading.Event()

        def killer() -> None:
            rng = random.Random(7)
            while not killer_stop.wait(rng.uniform(0.5, 1.5) * args.kill_every):
                processes.kill_worker()

        kill_thread = threading.Thread(target=killer, daemon=True)
        kill_thread.start()

        timeline = []

        def phase(name: str, seconds: float, fault=None) -> None:
            """Label the requests from now on ``name``, inject ``fault``, wait ``seconds``."""
            recorder.phase = name
            if fault is not None:
                fault()
            timeline.append({"phase": name, "seconds": round(seconds)})
            log(f"phase {name}: {seconds:.0f} s")
            time.sleep(seconds)

        phase("warm-up", args.warmup)
        phase("broker outage", args.broker_minutes * 60, stack.redis.kill)
        phase("after broker", args.recovery, stack.redis.start)
        phase("database outage", args.db_minutes * 60, stack.postgres.stop)
        # the load stops as the database returns: from then on the run measures how long the
        # figures take to catch up with every change made before and during the outages
        recorder.phase = "after database"
        stack.postgres.start()
        faults_over = time.monotonic()
        log("PostgreSQL back; load stops, waiting for the figures to converge")
        killer_stop.set()
        load.stop()
        importer.stop()
        kill_thread.join(30)
        recorder.phase = "convergence"

        converged_after = None
        comparison = {}
        comparison_seconds = None
        deadline = time.monotonic() + args.converge_timeout
        while time.monotonic() < deadline:
            try:
                began = time.monotonic()
                comparison = _compare(stack, data["municipalities"])
                comparison_seconds = round(time.monotonic() - began, 1)
            except Exception as error:  # noqa: BLE001 - reported, retried
                log(f"comparison failed: {str(error)[-300:]}")
                time.sleep(5)
                continue
            log(f"comparison: {comparison}")
            if comparison["differ"] == 0:
                converged_after = time.monotonic() - faults_over
                break
            time.sleep(10)

        counted = stack.django(f"RESIDENTS = {data['residents']!r}\n" + COUNT_CHANGES, timeout=300)
        stuck = stack.django(STUCK_JOBS, timeout=300)
        alive = processes.alive()
        processes.stop()

        stored_contacts = set(counted["contacts"])
        made = recorder.made
        results.update(
            timeline=timeline,
            changes={
                "api_contacts_answered_201": len(made["api_contact"]),
                "ui_contacts_answered_302": len(made["ui_contact"]),
                "ladder_scores_answered_201": recorder.ladder_made,
                "answered_but_missing": len(
                    (made["api_contact"] | made["ui_contact"]) - stored_contacts
                ),
                "stored_contacts": len(stored_contacts),
                "stored_ladder_scores_added": counted["ladder"] - data["ladder_before"],
                "outcome_unknown (connection error or timeout)": dict(recorder.unknown),
            },
            figures={
                "values_differing_from_full_recompute": comparison.get("differ"),
                "values": comparison.get("total"),
                "seconds_to_converge_after_the_database_returned": (
                    round(converged_after) if converged_after is not None else None
                ),
                "seconds_for_one_comparison": comparison_seconds,
            },
            errors={
                f"{phase_} | {kind} | {outcome}": count
                for (phase_, kind, outcome), count in sorted(recorder.outcomes.items())
            },
            api_html_500=recorder.html_500_api,
            stuck_jobs=stuck,  # every Job model: rows by status
            processes={
                "alive_at_end": alive,
                "exited_by_themselves": dict(processes.crashes),
                "worker_kills": processes.kills,
            },
            finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        for name, proc in processes.procs.items():
            results.setdefault("logs", {})[name] = _log_summary(proc.output())
        # the processes' logs outlive the stack (its directory goes with it)
        kept = BASE_DIR / ".local" / "chaos" / f"logs-{time.strftime('%Y%m%dT%H%M%S')}"
        shutil.copytree(stack.logdir, kept, ignore=shutil.ignore_patterns("media", "checkpoints"))
        results["logs_dir"] = str(kept)
    return results


def _log_summary(text: str) -> dict:
    return {
        "unrecoverable": len(re.findall(r"Unrecoverable error", text)),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "lines": text.count("\n"),
    }


def markdown(results: dict) -> str:
    p = results["parameters"]
    lines = [
        f"Run {results['started']} to {results['finished']} (UTC): broker outage "
        f"{p['broker_minutes']} min, database outage {p['db_minutes']} min, worker SIGKILLed "
        f"every ~{p['kill_every']} s ({results['processes']['worker_kills']} kills), "
        f"{p['threads']} load threads, {p['households']} households x {p['years']} years.",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    for section in ("changes", "figures"):
        for key, value in results[section].items():
            lines.append(f"| {key.replace('_', ' ')} | {value} |")
    lines.append(f"| HTML 500 answers from the API | {results['api_html_500']} |")
    stuck = sum(
        counts.get("running", 0) + counts.get("queued", 0)
        for counts in results["stuck_jobs"].values()
    )
    lines.append(f"| jobs queued or running at the end (stuck) | {stuck} |")
    lines.append(f"| jobs by status | {results['stuck_jobs']} |")
    lines.append(f"| processes alive at the end | {results['processes']['alive_at_end']} |")
    lines.append(
        f"| processes that exited by themselves | {results['processes']['exited_by_themselves']} |"
    )
    lines += ["", "| phase | request | outcome | count |", "|---|---|---|---|"]
    for key, count in results["errors"].items():
        phase_, kind, outcome = key.split(" | ")
        lines.append(f"| {phase_} | {kind} | {outcome} | {count} |")
    return "\n".join(lines)


def main() -> int:
    minutes = float(os.environ.get("CHAOS_MINUTES", "10"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--broker-minutes",
        type=float,
        default=float(os.environ.get("CHAOS_BROKER_MINUTES", minutes)),
    )
    parser.add_argument(
        "--db-minutes", type=float, default=float(os.environ.get("CHAOS_DB_MINUTES", minutes))
    )
    parser.add_argument(
        "--kill-every",
        type=float,
        default=float(os.environ.get("CHAOS_KILL_EVERY", "120")),
        help="seconds between worker kills, on average",
    )
    parser.add_argument(
        "--import-every", type=float, default=30, help="seconds between caseload import uploads"
    )
    parser.add_argument("--warmup", type=float, default=60)
    parser.add_argument(
        "--recovery", type=float, default=60, help="seconds of load between the two outages"
    )
    parser.add_argument("--converge-timeout", type=float, default=600)
    parser.add_argument(
        "--households", type=int, default=int(os.environ.get("CHAOS_HOUSEHOLDS", "150"))
    )
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("CHAOS_THREADS", "4")))
    args = parser.parse_args()
    results = run(args)
    out = BASE_DIR / ".local" / "chaos"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"results-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(markdown(results))
    print(f"\nresults: {path}")
    ok = (
        results["api_html_500"] == 0
        and results["figures"]["values_differing_from_full_recompute"] == 0
        and results["changes"]["answered_but_missing"] == 0
        and all(results["processes"]["alive_at_end"].values())
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
