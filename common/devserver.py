"""``make run``: start embedded PostgreSQL and Redis when no URLs are given, set up the database,
print the demo logins, then run web + worker + beat (the ``Procfile``) in the foreground under a
small supervisor (:class:`Supervisor`).

A process that exits (a crash, an OOM kill, a worker that gave up) is started again after a
back-off (1 s, doubling up to 30 s; back to 1 s once it ran for a minute), and the restart is
logged; the other processes keep running (issue 13, finding 2: honcho, used before, stopped
everything when one process died). Ctrl-C (or SIGTERM) stops all processes, then this process
stops the servers it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
#: ``STATIC_ROOT`` of ``config.settings.base``: collectstatic's target, which ``make run`` does not
#: fill (whitenoise serves from the finders in development) but whitenoise reads at start
STATIC_ROOT = BASE_DIR / "staticfiles"


def procfile_commands(path: Path) -> dict[str, str]:
    """``name: command`` lines of a Procfile (blank lines and ``#`` comments skipped)."""
    commands: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        commands[name.strip()] = command.strip()
    return commands


@dataclass
class _Child:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    reader: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    """Run ``commands`` (name -> shell command), restart any that exits, stop all on SIGINT or
    SIGTERM. Each child runs in a session of its own, so that a signal reaches its whole group
    (gunicorn's and Celery's worker processes) and Ctrl-C in the terminal reaches only this
    process, which then stops the children in order."""

    def __init__(
        self,
        commands: dict[str, str],
        *,
        backoff_start: float = 1.0,
        backoff_max: float = 30.0,
        stable_after: float = 60.0,
        stop_timeout: float = 10.0,
        env: dict[str, str] | None = None,
        out=None,
    ) -> None:
        self.children = [_Child(name, command) for name, command in commands.items()]
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self.stop_timeout = stop_timeout
        self.env = env
        self.out = out or sys.stdout
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._width = max((len(name) for name in commands), default=0)
        self.lost_lines = 0

    def log(self, name: str, line: str) -> None:
        """Write one line. A write that fails (the disk of a redirected log is full, the
        terminal went away) drops the line and is counted, never raised: the fault run of 3
        December found the relay thread dead on the first failed write, the children then
        blocked on their full output pipe, and the supervisor itself gone with them running
        unsupervised. The first line that is written again says how many were lost."""
        stamp = time.strftime("%H:%M:%S")
        with self._lock:
            try:
                if self.lost_lines:
                    self.out.write(
                        f"{stamp} {'system':<{self._width}} | {self.lost_lines} regel(s) uitvoer "
                        "niet geschreven (schrijven mislukte)\n"
                    )
                    self.lost_lines = 0
                self.out.write(f"{stamp} {name:<{self._width}} | {line}\n")
                self.out.flush()
            except (OSError, ValueError):  # ENOSPC, EPIPE, EIO; a closed stream
                self.lost_lines += 1

    def _start(self, child: _Child) -> None:
        child.popen = subprocess.Popen(  # noqa: S603 - the project's own Procfile commands
            ["/bin/sh", "-c", f"exec {child.command}"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        self.log("system", f"{child.name} started (pid {child.popen.pid}): {child.command}")
        child.reader = threading.Thread(target=self._relay, args=(child, child.popen), daemon=True)
        child.reader.start()

    def _relay(self, child: _Child, popen: subprocess.Popen) -> None:
        assert popen.stdout is not None
        for raw in popen.stdout:
            self.log(child.name, raw.decode(errors="replace").rstrip("\n"))

    def _on_exit(self, child: _Child, code: int) -> None:
        ran = time.monotonic() - child.started_at
        child.failures = 1 if ran >= self.stable_after else child.failures + 1
        delay = min(self.backoff_max, self.backoff_start * 2 ** (child.failures - 1))
        how = f"signal {-code}" if code < 0 else f"code {code}"
        self.log(
            "system",
            f"{child.name} exited with {how} after {ran:.0f} s; restarting in {delay:g} s "
            f"(restart {child.failures})",
        )
        child.popen = None
        child.restart_at = time.monotonic() + delay

    def stop(self, *_args) -> None:
        """Ask :meth:`run` to stop every process (signal handler; safe to call twice)."""
        self._stopping.set()

    def run(self) -> int:
        """Start every command and supervise until :meth:`stop` (SIGINT/SIGTERM); returns 0."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in self.children:
                self._start(child)
            while not self._stopping.wait(0.2):
                now = time.monotonic()
                for child in self.children:
                    if child.popen is not None:
                        code = child.popen.poll()
                        if code is not None:
                            self._on_exit(child, code)
                    elif child.restart_at is not None and now >= child.restart_at:
                        self._start(child)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0

    def _stop_all(self) -> None:
        running = [child for child in self.children if child.popen is not None]
        for child in running:
            self.log("system", f"stopping {child.name} (pid {child.popen.pid})")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log("system", f"{child.name} did not stop in time: killed")
            # whatever is left of the group (a pool process, a gunicorn worker) goes too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.popen.pid, signal.SIGKILL)
            child.popen.wait()
        self.log("system", "all processes stopped")


def static_root_create() -> None:
    """An empty ``STATIC_ROOT``: without it every web process starts with whitenoise's
    "UserWarning: No directory at: .../staticfiles/" (the walk of 3 December)."""
    STATIC_ROOT.mkdir(exist_ok=True)


def main() -> int:
    os.chdir(BASE_DIR)
    static_root_create()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEMO_MODE", "1")
    os.environ.setdefault("DEMO_PASSWORD", "demo-wachtwoord-2026")
    os.environ["PYTHON"] = sys.executable
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    from common import embedded

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded.postgres_url()
        print("PostgreSQL (ingebouwd) draait, gegevens in .local/pgdata")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = embedded.redis_url()
        print(f"Redis (ingebouwd) draait op {os.environ['REDIS_URL']}")

    subprocess.run(["bin/entrypoint", "setup"], check=True)  # noqa: S607
    subprocess.run([sys.executable, "manage.py", "demo_logins"], check=True)  # noqa: S603

    commands = procfile_commands(BASE_DIR / "Procfile")
    print(
        f"Start {', '.join(commands)}; een proces dat stopt, wordt opnieuw gestart; "
        "Ctrl-C stopt alles."
    )
    code = Supervisor(commands).run()
    print("Alle processen zijn gestopt.")
    return code


if __name__ == "__main__":
    if sys.argv[1:2] == ["--supervise"]:
        # `python -m common.devserver --supervise 'name=command' ...`: only the supervisor
        # (tests/faults/test_devserver.py; handy to try a Procfile change).
        pairs = (arg.partition("=") for arg in sys.argv[2:])
        backoff = float(os.environ.get("SUPERVISOR_BACKOFF_START", "1"))
        sys.exit(Supervisor({n: c for n, _, c in pairs}, backoff_start=backoff).run())
    sys.exit(main())
