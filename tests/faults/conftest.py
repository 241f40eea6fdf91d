"""Fixtures of the fault suite (issue 13): a dedicated stack per test module.

The fault tests stop, kill and pause (SIGSTOP) real servers and processes, so they never use the
embedded PostgreSQL/Redis the rest of the suite shares between pytest workers (and they use no
``db`` fixture: the test process does not talk to the stack's database through the ORM). The
machinery lives in :mod:`tests.faults.stack`; ``make chaos`` (``tests/faults/chaos.py``) uses the
same classes.

Fixtures (stable names; other fault tests build on them)
--------------------------------------------------------
``fault_servers`` (module scope)
    :class:`~tests.faults.stack.Servers`: ``.postgres`` (:class:`~tests.faults.stack.Postgres`)
    and ``.redis`` (:class:`~tests.faults.stack.Redis`), started for the module from a copy of
    the template cluster (built once per set of migration files from a dump of the suite's
    migrated template database, cached under ``.local/faults/``). Redis runs with
    ``appendonly yes`` (fsync always) like docker-compose. Killed and deleted at the end of the module.

``fault_stack`` (function scope)
    :class:`~tests.faults.stack.Stack` on a fresh database (``CREATE DATABASE ... TEMPLATE``)
    of ``fault_servers``, Redis emptied (FLUSHALL). Nothing runs yet; start what the test needs:

    * ``fault_stack.web()`` -- ``bin/entrypoint web`` (gunicorn with config/gunicorn.conf.py, one
      worker) on a free port (``.port``); returns when ``/health/`` answers.
    * ``fault_stack.worker()`` -- ``bin/entrypoint worker`` (``celery -A config worker``,
      concurrency 1); returns when the worker logged "ready".
    * ``fault_stack.beat()`` -- ``bin/entrypoint beat``; returns when beat logged "Starting".
    * keyword arguments of those three are extra environment variables for that process
      (e.g. ``worker(CELERY_CONCURRENCY="2")``); ``fault_stack.env`` is the environment all get
      (the stack's ``DATABASE_URL``/``REDIS_URL``, ``DJANGO_SETTINGS_MODULE=config.settings.test``,
      ``MEDIA_ROOT`` in the stack's directory). Change it before starting a process.
    * each returns an :class:`~tests.faults.stack.AppProcess`: ``.alive()``, ``.kill()``
      (SIGKILL to the process group: a crash), ``.terminate()`` (SIGTERM, then SIGKILL),
      ``.pause()``/``.resume()`` (SIGSTOP/SIGCONT), ``.restart()``, ``.start()`` (again, after a
      kill), ``.output()`` (its log), ``.wait_output(regex, timeout=...)``, ``.pid``, ``.port``.
    * ``fault_stack.sql(query, params)`` -- rows from the stack's database (autocommit).
    * ``fault_stack.django(code)`` -- run Python with Django set up against the stack in a
      subprocess (models, services, ``tests.factories`` importable); returns the JSON value the
      code assigned to ``result``.
    * ``fault_stack.manage(*args)`` -- ``manage.py`` against the stack.
    * ``fault_stack.postgres`` / ``fault_stack.redis`` -- the servers: ``.kill()`` (SIGKILL;
      ``redis.kill(wipe=True)`` also loses Redis's data), ``.stop()`` (graceful), ``.start()``
      (same port and data), ``.pause()``/``.resume()`` (SIGSTOP/SIGCONT the whole server),
      ``.alive()``, ``.url``/``.url(db)``, ``redis.command("LLEN", "celery")``.

    At the end every process the test started is killed (the whole process group, also when
    SIGSTOPped) and both servers are made to run again for the next test of the module.

``wait_for(condition, timeout=..., what=...)`` (a plain helper, import it from
:mod:`tests.faults.stack`) polls until ``condition()`` is truthy.

Every test here is marked ``faults`` (``-m "not faults"`` leaves them out); the slow ones also
``slow``. Keep each test short: CI has two cores and the whole fault suite must stay under a
minute of wall time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.faults.stack import Servers, Stack


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="module")
def fault_servers(django_db_blocker):
    workdir = Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))

    def dump(path: Path, *, pg_dump: str) -> None:
        # the cluster's template is restored from the suite's migrated template
        # (tests/db_template.py) instead of running the migrations a second time
        from tests.db_template import dump_template

        with django_db_blocker.unblock():
            dump_template(path, pg_dump=pg_dump)

    servers = Servers(workdir, dump=dump)
    try:
        servers.start()
        yield servers
    finally:
        servers.close()


@pytest.fixture
def fault_stack(fault_servers):
    fault_servers.ensure_running()
    fault_servers.redis.command("FLUSHALL")
    stack = Stack(fault_servers, database=fault_servers.new_database())
    try:
        yield stack
    finally:
        stack.close()
        fault_servers.ensure_running()
