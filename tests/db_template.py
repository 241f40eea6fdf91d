"""One migrated template database for every test database of a run (issue 16, point 11).

Without it, each pytest-xdist worker (and each concurrent run in the checkout) creates its test
database by running every migration, ~25 s of CPU each on the 2-core machine. Here the first
process to get the lock migrates ``test_template_<key>`` once, where ``<key>`` is a digest of every
migration file, of the apps' declarations of row-level security (``*/apps.py``,
``common/rls.py``) and of the lock files (a changed migration or dependency gives a new template;
older templates are dropped); every test database is then a ``CREATE DATABASE ... TEMPLATE``
copy (well under a second), on which Django's test set-up finds every migration applied
(``keepdb``) and only serializes the contents for the serialized-rollback tests. The test
database itself is still created fresh for every run and dropped at its end.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
LOCK_DIR = BASE_DIR / ".local"
PREFIX = "test_template_"


def template_key() -> str:
    digest = hashlib.sha256()
    # the row-level security policies are written from the apps' declarations after migrate
    # (common.rls.policies_apply), so those files count too (the fault suite's cluster is
    # restored from this template: tests/faults/stack.py)
    sources = [*BASE_DIR.glob("*/migrations/*.py"), *BASE_DIR.glob("*/apps.py")]
    for path in sorted([*sources, BASE_DIR / "common" / "rls.py"]):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    for name in ("requirements-dev.lock", "requirements.lock"):
        lock = BASE_DIR / name
        if lock.exists():
            digest.update(lock.read_bytes())
    return digest.hexdigest()[:12]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def _lock():
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_DIR / "test-template.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _databases(cursor) -> set[str]:
    cursor.execute("SELECT datname FROM pg_database")
    return {row[0] for row in cursor.fetchall()}


def _migrate_into(name: str) -> None:
    """Run every migration into the (existing, empty) database ``name`` on this connection."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _ensure_template(cursor, template: str) -> None:
    """Migrate ``template`` unless it exists (the caller holds :func:`_lock`)."""
    if template not in _databases(cursor):
        building = template + "_building"
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)}")
        cursor.execute(f"CREATE DATABASE {_quote(building)}")
        _migrate_into(building)
        # published under its final name only once complete (an interrupted build
        # leaves a _building database that the next run drops and redoes)
        cursor.execute(f"ALTER DATABASE {_quote(building)} RENAME TO {_quote(template)}")
        for stale in _databases(cursor):
            if stale.startswith(PREFIX) and stale != template:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(stale)}")


def create_test_database_from_template() -> str:
    """(Re)create this process's test database as a copy of the migrated template; its name."""
    test_name = connection.settings_dict["TEST"]["NAME"]
    template = PREFIX + template_key()
    with _lock(), connection._nodb_cursor() as cursor:
        _ensure_template(cursor, template)
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)}")
        cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}")
    return test_name


def dump_template(path: Path, *, pg_dump: str) -> None:
    """Write the migrated template (built first when missing) to ``path`` in pg_dump's custom
    format, with the ``pg_dump`` binary given. The fault suite's own cluster is restored from
    it (tests/faults/stack.py) instead of running every migration a second time (issue 16).
    Taken under the template's lock: ``CREATE DATABASE ... TEMPLATE`` refuses a template that
    another session (this dump) is connected to."""
    template = PREFIX + template_key()
    # libpq's own parameters (the embedded server's socket directory is an OPTIONS "host")
    params = connection.get_connection_params()
    with _lock():
        with connection._nodb_cursor() as cursor:
            _ensure_template(cursor, template)
        argv = [pg_dump, "--format=custom", "--compress=0", "--file", str(path)]
        argv += ["--dbname", template]
        for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                argv += [option, str(params[key])]
        env = {"PGPASSWORD": str(params["password"])} if params.get("password") else {}
        subprocess.run(argv, check=True, capture_output=True, env={**os.environ, **env})  # noqa: S603
