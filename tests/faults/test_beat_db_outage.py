"""Issue 13, finding 3: Celery beat survives a PostgreSQL outage of any length.

django-celery-beat's ``DatabaseScheduler`` reads the whole schedule from the database at start
and every 300 s without catching database errors, so beat died when PostgreSQL was down at that
moment. ``common.beat.ResilientDatabaseScheduler`` catches them, keeps the last known schedule
and reads the schedule again as soon as the database answers.

The scheduler runs in a subprocess of its own (Django set up against a throwaway PostgreSQL that
``pgserver`` starts in a temporary directory, never the suite's shared server), and that script
stops the server for real (``pg_ctl stop -m fast``) and starts it again while it drives the
scheduler's ``tick`` and ``sync`` as beat's loop does. Only sending is recorded instead of
published (``apply_async``): the broker is not the subject here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SCENARIO = r'''
import json, sys, time, datetime, warnings
warnings.simplefilter("ignore")
import pgserver

pgdata = sys.argv[2]
server = pgserver.get_server(pgdata, cleanup_mode="delete")
socket_dir = server.get_postmaster_info().socket_dir
import os
os.environ["DATABASE_URL"] = f"postgres://postgres@/postgres?host={socket_dir}"
os.environ["DATABASE_CONN_MAX_AGE"] = "60"

import django
django.setup()
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_celery_beat.models import IntervalSchedule, PeriodicTask

call_command("migrate", "django_celery_beat", verbosity=0)

from config.celery import app

app.conf.beat_schedule = {
    "every-second": {"task": "indicators.drain_recompute_outbox", "schedule": 1.0},
}
app.conf.result_expires = None  # no celery.backend_cleanup entry
scheduler_class = import_string(sys.argv[1])
sent = []
errors = []


class Recording(scheduler_class):
    """Records what beat sends instead of publishing it."""

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        sent.append(entry.name)

    @property
    def producer(self):
        return None


def drive(scheduler, seconds, label):
    """What beat's loop does: tick, sync when due, sleep."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            interval = scheduler.tick()
            if scheduler.should_sync():
                scheduler._do_sync()
        except Exception as exc:
            errors.append(f"{label}: {type(exc).__name__}")
            return
        time.sleep(max(0.05, min(interval, 0.2)))


def stop():
    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def start():
    server.ensure_postgres_running()


def run_count():
    return PeriodicTask.objects.get(name="every-second").total_run_count


result = {}
try:
    beat = Recording(app=app)
    beat.sync_every = 0.5
    drive(beat, 2.5, "database up")
    result["sent_before"] = sent.count("every-second")
    beat.sync()
    result["runs_saved_before"] = run_count()

    stop()
    # the forced full reload (every 300 s) falls due during the outage
    beat._last_full_sync = datetime.datetime.now() - datetime.timedelta(seconds=301)
    mark = len(sent)
    drive(beat, 3.0, "database down")
    result["sent_during"] = sent[mark:].count("every-second")
    try:
        late = Recording(app=app)  # a beat (re)started while the database is down
        late.sync_every = 0.5
        mark_late = len(sent)
        drive(late, 1.0, "started during the outage")
        result["late_sent_during"] = len(sent) - mark_late
    except Exception as exc:
        errors.append(f"start during the outage: {type(exc).__name__}")
        late = None

    start()
    every = IntervalSchedule.objects.get_or_create(every=1, period="seconds")[0]
    PeriodicTask.objects.create(
        name="added-after-the-outage", task="indicators.drain_recompute_outbox", interval=every
    )
    mark = len(sent)
    drive(beat, 3.0, "database back")
    result["sent_after"] = sent[mark:].count("every-second")
    result["new_entry_sent_after"] = sent[mark:].count("added-after-the-outage")
    beat.sync()
    result["runs_saved_after"] = run_count()
    if late is not None:
        mark = len(sent)
        drive(late, 2.5, "late beat, database back")
        result["late_sent_after"] = sent[mark:].count("every-second")
finally:
    result["errors"] = errors
    print("RESULT " + json.dumps(result), flush=True)
    from django.db import connections
    connections.close_all()
'''


def _run_scenario(scheduler_class: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "REDIS_URL": "redis://127.0.0.1:9/0",  # unused: nothing is published
        "DATABASE_URL": "postgres://unused/unused",  # replaced by the script before setup
    }
    with tempfile.TemporaryDirectory(prefix="beatpg-") as workdir:
        completed = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", SCENARIO, scheduler_class, str(Path(workdir) / "pgdata")],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, completed.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("RESULT "))


@pytest.mark.slow
def test_finding_3_beat_survives_a_database_outage_and_catches_up():
    """Issue 13, finding 3: with PostgreSQL stopped when beat's full reload falls due, ticking
    and syncing raise nothing; the last known schedule keeps sending; a beat started during
    the outage waits without crashing; once the database is back the schedule is read at once
    (an entry added afterwards is sent within seconds), the run counts kept meanwhile are saved
    and the late beat installs and sends its entries."""
    result = _run_scenario("common.beat.ResilientDatabaseScheduler")
    assert result["errors"] == []
    assert result["sent_before"] >= 2
    assert result["sent_during"] >= 2  # the last known schedule, while the database is down
    assert result["late_sent_during"] == 0
    assert result["sent_after"] >= 2
    assert result["new_entry_sent_after"] >= 1  # read at once, not 300 s later
    assert result["runs_saved_after"] > result["runs_saved_before"] + result["sent_during"] - 1
    assert result["late_sent_after"] >= 1


@pytest.mark.slow
def test_finding_3_the_stock_scheduler_dies_at_its_reload_during_an_outage():
    """The reproduction of finding 3 (django-celery-beat 2.9.0): the same scenario with the
    stock ``DatabaseScheduler`` lets the database error escape from ``tick``, which ends beat.
    When an upgrade makes this test fail, the upstream fix has landed and common/beat.py can
    be reconsidered."""
    result = _run_scenario("django_celery_beat.schedulers.DatabaseScheduler")
    assert any(error.startswith("database down: ") for error in result["errors"]), result


def test_finding_3_beat_runs_the_resilient_scheduler():
    """``bin/entrypoint beat`` (also docker-compose's and the Procfile's beat) starts ``celery
    beat`` without a scheduler of its own, so CELERY_BEAT_SCHEDULER decides: the resilient one."""
    from celery.utils.imports import symbol_by_name

    from common.beat import ResilientDatabaseScheduler
    from config.celery import app

    assert symbol_by_name(app.conf.beat_scheduler) is ResilientDatabaseScheduler
    entrypoint = (BASE_DIR / "bin" / "entrypoint").read_text()
    # the exec line of `bin/entrypoint beat` (a StopIteration fails the test when it is gone)
    beat_line = next(line for line in entrypoint.splitlines() if "celery -A config beat" in line)
    assert "-S" not in beat_line.split() and "--scheduler" not in beat_line
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert 'command: ["beat"]' in compose
