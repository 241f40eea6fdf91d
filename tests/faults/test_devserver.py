"""``make run``'s supervisor (common/devserver.py; issue 13, finding 2): a process that dies is
restarted, the others keep running, Ctrl-C stops them all."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import psutil
import pytest
import yaml

from tests.faults.stack import BASE_DIR, wait_for


def _started(log_path) -> dict[str, list[int]]:
    pids: dict[str, list[int]] = {}
    for name, pid in re.findall(r"system \| (\w+) started \(pid (\d+)\)", log_path.read_text()):
        pids.setdefault(name, []).append(int(pid))
    return pids


def test_finding_2_make_run_restarts_a_crashed_process_and_keeps_the_others(tmp_path):
    """Issue 13, finding 2: when one process of `make run` died (the worker, crashed by a Redis
    restart), honcho stopped web, beat and the embedded servers with it. The supervisor restarts
    the dead process (with a logged back-off) and leaves the others alone; Ctrl-C still stops
    every process."""
    log_path = tmp_path / "supervisor.log"
    with open(log_path, "wb") as log:
        supervisor = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "common.devserver", "--supervise"]
            + ["web=sleep 600", "worker=sleep 600", "beat=sleep 600"],
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, SUPERVISOR_BACKOFF_START="0.2"),
        )
    try:
        wait_for(lambda: len(_started(log_path)) == 3, timeout=20, what="three processes")
        first = {name: pids[0] for name, pids in _started(log_path).items()}

        os.kill(first["worker"], signal.SIGKILL)

        wait_for(
            lambda: len(_started(log_path).get("worker", [])) == 2,
            timeout=10,
            what="the worker restarted",
        )
        text = log_path.read_text()
        assert re.search(r"worker exited with signal 9 after \d+ s; restarting in 0.2 s", text)
        restarted = _started(log_path)["worker"][1]
        assert psutil.pid_exists(restarted)
        assert _started(log_path)["web"] == [first["web"]]
        assert _started(log_path)["beat"] == [first["beat"]]
        assert psutil.pid_exists(first["web"]) and psutil.pid_exists(first["beat"])
        assert supervisor.poll() is None

        supervisor.send_signal(signal.SIGINT)  # Ctrl-C
        assert supervisor.wait(15) == 0
        for pid in (first["web"], first["beat"], restarted):
            assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"
        assert "all processes stopped" in log_path.read_text()
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()


def test_finding_2_every_compose_service_restarts_and_has_a_health_check():
    """Issue 13, finding 2: in docker-compose.yml every long-running service restarts unless
    stopped by hand and has a health check; the one-shot `setup` is retried only on failure
    (restarting it after success would migrate in a loop)."""
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "setup", "web", "worker", "beat"} <= services.keys()
    for name, service in services.items():
        if name == "setup":
            assert service["restart"] == "on-failure"
            continue
        assert service.get("restart") == "unless-stopped", name
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), name
        assert check.get("interval") and check.get("retries"), name
    worker_check = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping -d celery@$$HOSTNAME" in worker_check
    beat_check = " ".join(services["beat"]["healthcheck"]["test"])
    heartbeat = services["beat"]["environment"]["BEAT_HEARTBEAT_FILE"]
    assert heartbeat in beat_check


@pytest.mark.slow
def test_beat_touches_its_heartbeat_file_on_every_turn(fault_stack, tmp_path):
    """The beat health check's source (config/celery.py): beat, started as in production,
    touches BEAT_HEARTBEAT_FILE at least every few seconds."""
    heartbeat = tmp_path / "beat-heartbeat"
    beat = fault_stack.beat(BEAT_HEARTBEAT_FILE=str(heartbeat))
    wait_for(heartbeat.exists, timeout=15, what="the first heartbeat")
    first = heartbeat.stat().st_mtime
    wait_for(lambda: heartbeat.stat().st_mtime > first, timeout=15, what="a later heartbeat")
    assert beat.alive()


def test_a_full_log_disk_neither_blocks_the_processes_nor_stops_the_supervisor(tmp_path):
    """The fault run of 3 December: with `make run`'s output on a full disk, the supervisor's
    relay thread died on the first failed write, the process then blocked on its full output
    pipe (web, worker and beat would freeze on their next log line), and the supervisor itself
    exited on its next message with the children left running. Now a line that cannot be
    written is dropped and counted, and everything keeps running (/dev/full: every write fails
    with ENOSPC)."""
    marker = tmp_path / "done"
    chatty = (
        f'{sys.executable} -c "import pathlib, time; '
        "[print('regel', i) for i in range(200000)]; "
        f"pathlib.Path('{marker}').touch(); time.sleep(600)\""
    )
    with open("/dev/full", "wb") as full:
        supervisor = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "common.devserver", "--supervise", f"web={chatty}"],
            cwd=BASE_DIR,
            stdout=full,
            stderr=subprocess.STDOUT,
        )
    try:
        # 200,000 lines (1.6 MB) through a 64 kB pipe: only a relay that keeps reading gets
        # the process to its end
        wait_for(marker.exists, timeout=60, what="the process wrote all its output")
        assert supervisor.poll() is None
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(15) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
