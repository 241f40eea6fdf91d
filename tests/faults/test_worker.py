"""The Celery worker under faults (issue 13, finding 2 and the fault suite's "worker killed
mid-recompute"): a dedicated stack per module (tests/faults/conftest.py), the real
``bin/entrypoint worker``, the real Redis and PostgreSQL servers killed, restarted and paused."""

from __future__ import annotations

import time

import psutil
import pytest
from celery import Celery

from tests.faults.stack import TASK_RECEIVED_TIMEOUT, wait_for

pytestmark = pytest.mark.slow

SEED_MUNICIPALITY = """
from tests import factories
resident = factories.ResidentFactory()
factories.BenefitFactory(applicant=resident)
result = resident.household.municipality_id
"""


def _client(stack) -> Celery:
    """A Celery client of the stack's broker and result backend (the test process is no Django
    process of the stack; it sends tasks by name)."""
    # not the current app: later tests in this process send their tasks through the project app
    return Celery(
        broker=f"{stack.redis.url}/0", backend=f"{stack.redis.url}/1", set_as_current=False
    )


def _indicator_values(stack, municipality_id: int) -> int:
    return stack.sql(
        "SELECT count(*) FROM indicators_indicatorvalue WHERE municipality_id = %s",
        [municipality_id],
    )[0][0]


def test_finding_2_worker_survives_redis_killed_while_it_holds_a_task(fault_stack):
    """Issue 13, finding 2: killing Redis while the worker holds an unacknowledged message (here
    a task with a countdown, which the worker keeps until it is due) crashed the worker with
    "Unrecoverable error: AttributeError('NoneType' object has no attribute 'hostname')" from
    kombu's restore of unacknowledged messages. Now the worker reconnects when Redis is back and
    runs the next task."""
    worker = fault_stack.worker()
    held = _client(fault_stack).send_task("celery.accumulate", args=[1], countdown=600)
    worker.wait_output(
        rf"Task celery.accumulate\[{held.id}\] received", timeout=TASK_RECEIVED_TIMEOUT
    )
    assert fault_stack.redis.command("HLEN", "unacked") == 1

    fault_stack.redis.kill()
    worker.wait_output("Connection to broker lost", timeout=10)
    time.sleep(1)
    fault_stack.redis.start()

    probe = _client(fault_stack).send_task("celery.accumulate", args=[2])
    assert probe.get(timeout=30) == [2]
    assert worker.alive(), worker.output()[-3000:]
    assert "Unrecoverable error" not in worker.output()


def test_worker_process_killed_mid_recompute_is_redone_at_once(fault_stack):
    """Issue 13, fault suite: the pool process running a recompute is SIGKILLed (the kernel's
    OOM killer, say). acks_late + reject_on_worker_lost put the message back and the worker's new
    pool process computes the figures."""
    worker = fault_stack.worker(wait=False)
    municipality_id = fault_stack.django(SEED_MUNICIPALITY)
    worker.wait_ready()
    fault_stack.postgres.pause()  # the recompute hangs on its first query: mid-task, for sure
    task = _client(fault_stack).send_task("indicators.recompute", args=[municipality_id])
    worker.wait_output(
        rf"Task indicators.recompute\[{task.id}\] received", timeout=TASK_RECEIVED_TIMEOUT
    )
    time.sleep(0.5)
    children = psutil.Process(worker.pid).children()
    assert len(children) == 1
    children[0].kill()
    worker.wait_output("WorkerLostError|Process .* exited", timeout=20)
    fault_stack.postgres.resume()

    assert task.get(timeout=60) > 0
    assert _indicator_values(fault_stack, municipality_id) > 0
    assert worker.alive()


def test_worker_killed_mid_recompute_is_redone_after_restart(fault_stack):
    """Issue 13, fault suite: the whole worker is SIGKILLed mid-recompute (no shutdown code
    runs, nothing is handed back). The message stays in Redis's unacked set; the restarted
    worker delivers it again once it is older than the visibility timeout (shortened here to
    3 s with CELERY_VISIBILITY_TIMEOUT) and the figures are computed."""
    fault_stack.env["CELERY_VISIBILITY_TIMEOUT"] = "3"
    worker = fault_stack.worker(wait=False)
    municipality_id = fault_stack.django(SEED_MUNICIPALITY)
    worker.wait_ready()
    fault_stack.postgres.pause()
    task = _client(fault_stack).send_task("indicators.recompute", args=[municipality_id])
    worker.wait_output(
        rf"Task indicators.recompute\[{task.id}\] received", timeout=TASK_RECEIVED_TIMEOUT
    )
    time.sleep(0.5)
    worker.kill()
    fault_stack.postgres.resume()
    assert fault_stack.redis.command("HLEN", "unacked") == 1
    assert _indicator_values(fault_stack, municipality_id) == 0

    worker.start()
    assert task.get(timeout=60) > 0
    assert _indicator_values(fault_stack, municipality_id) > 0
    wait_for(
        lambda: fault_stack.redis.command("HLEN", "unacked") == 0,
        timeout=10,
        what="the redone message is acknowledged",
    )
