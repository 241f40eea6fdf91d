import datetime as dt
import fcntl
import json
import os
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from common import clock
from tests import factories

#: module-level dates that tests read as "today" (and the one derived from it)
_TODAY_NAMES = {"TODAY": 0, "TOMORROW": 1}
#: the municipality's date as the modules were collected (in each xdist worker)
COLLECTED_ON = clock.today()


def pytest_collection(session):
    global COLLECTED_ON
    COLLECTED_ON = clock.today()


@pytest.fixture(autouse=True)
def _module_today_is_today(request):
    """Many test modules hold ``TODAY = clock.today()`` (or ``date.today()``, and
    ``TOMORROW``) at module level, computed at import. A run that crosses midnight in the
    municipality's time zone (Django sets the process zone to ``TIME_ZONE``) would compare
    those with a clock a day later: a plan action done "today" before the plan was drawn up,
    a contact dated "in the future". After midnight, before each test, those that hold the
    collection day's date move to the test's day; fixed dates (``TODAY = date(2026, 11, 22)``)
    stay, and a run that does not cross midnight changes nothing."""
    today = clock.today()
    if today != COLLECTED_ON and request.module is not None:
        for name, days in _TODAY_NAMES.items():
            shift = dt.timedelta(days=days)
            if getattr(request.module, name, None) == COLLECTED_ON + shift:
                setattr(request.module, name, today + shift)
    yield


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's set-up, with the test database copied from one migrated template
    (tests/db_template.py) instead of migrated in every worker; dropped at the end as before."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.db_template import create_test_database_from_template

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        create_test_database_from_template()
        # keepdb: use the copy as it is (every migration applied); Django still runs migrate
        # (nothing to apply) and serializes the contents for serialized rollback
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, keepdb=True)
        # the reset around transactional tests, set-based (tests/db_reset.py)
        from django.db import connection

        from tests.db_reset import install

        install(connection)
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(db_cfg, verbosity=verbosity)
        except Exception as exc:  # noqa: BLE001 - as pytest-django: warn, do not fail the run
            request.node.warn(pytest.PytestWarning(f"Error dropping the test database: {exc!r}"))


@pytest.fixture
def celery_worker():
    """A real Celery worker (solo pool) against the real Redis broker, consuming a queue of its
    own to which every task is routed, so concurrent test runs sharing a broker cannot take this
    test's tasks or hand it theirs."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    # the project app must be the current one: shared tasks resolve to the current app, and a
    # test that made a Celery app of its own (the fault suite's clients) would otherwise send
    # this test's tasks to its broker
    app.set_current()
    app.set_default()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_routes
    app.conf.task_routes = {"*": {"queue": queue}}
    _reset_celery_router(app)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ) as worker:
            yield worker
    finally:
        app.conf.task_routes = previous
        # the worker narrowed the app-wide consume list to its queue: rebuild it from settings
        app.amqp.queues = app.conf.task_queues
        _reset_celery_router(app)


def _reset_celery_router(app) -> None:
    # the router is cached on first use (e.g. by a task another test queued)
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def consulent(team):
    return factories.UserFactory(team=team)


@pytest.fixture
def resident(team, consulent):
    return factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )


@pytest.fixture
def open_benefit(resident):
    return factories.BenefitFactory(applicant=resident)


def pytest_collection_modifyitems(config, items):
    """Every transactional test must use serialized rollback.

    A transactional test ends with a flush of the whole database. Without serialized rollback,
    the flush re-runs ``post_migrate`` (new content-type ids) and loses the rows that data
    migrations seed (group rules, instrument catalogue, vangnet rules), so the next serialized
    test fails to restore and later tests see missing reference data. Fail at collection, with
    the fix in the message, rather than with an IntegrityError in some other test's setup.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        serialized = (marker is not None and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in fixtures
        )
        if transactional and not serialized:
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "transactional tests need @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True): " + ", ".join(offenders)
        )
    _order_by_durations(items)


# --- the order of the modules (issue 16: both workers finish together) ---------------------------
#: the longest test (its call) of each module and the module's total, in seconds, from a whole run
#: (``WRITE_TEST_DURATIONS=1 make test`` merges a run's figures into it)
DURATIONS_FILE = Path(__file__).with_name("durations.json")


def _durations() -> dict[str, list[float]]:
    try:
        return json.loads(DURATIONS_FILE.read_text())
    except (OSError, ValueError):
        return {}


def _django_order(item) -> int:
    """pytest-django's (and Django's) order: database tests in a transaction (0), then the
    transactional ones (1), then those without a database (2). It must hold: a transactional
    test ends with a flush and the reference rows come back only at the start of the next
    serialized-rollback test, so a plain database test after it would find them gone."""
    from django.test import TestCase, TransactionTestCase
    from pytest_django.plugin import validate_django_db

    test_cls = getattr(item, "cls", None)
    if test_cls and issubclass(test_cls, TransactionTestCase):
        return 0 if issubclass(test_cls, TestCase) else 1
    marker = item.get_closest_marker("django_db")
    transactional = uses_db = False
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        uses_db, transactional = True, bool(transaction or reset_sequences)
    fixtures = getattr(item, "fixturenames", ())
    transactional = transactional or "transactional_db" in fixtures or "live_server" in fixtures
    uses_db = uses_db or "db" in fixtures
    return 1 if transactional else 0 if uses_db else 2


def _order_by_durations(items) -> None:
    """Within each of pytest-django's groups (:func:`_django_order`), run the modules with the
    longest single tests first, each module's tests together and in their own order; a module
    the durations file does not know yet goes first too. With ``--dist worksteal`` each worker
    starts on one half of this list and takes the tail of the other's queue when its own runs
    out, so both end on short tests instead of one of them still running a 40 s test (the axe
    walk of a role, a migration test) at the end."""
    known = _durations()
    if not known:
        return
    longest = float("inf")
    position = {}
    for index, item in enumerate(items):
        module = item.nodeid.split("::")[0]
        position.setdefault(module, index)
    items.sort(
        key=lambda item: (
            _django_order(item),
            -known.get(item.nodeid.split("::")[0], [longest])[0],
            position[item.nodeid.split("::")[0]],
        )
    )


#: per test id: its longest call, and the sum of its set-ups, calls and tear-downs, in seconds
#: (Schemathesis gives every operation's test the same id)
_run_durations: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])


def pytest_runtest_logreport(report):
    if os.environ.get("WRITE_TEST_DURATIONS") == "1":
        figures = _run_durations[report.nodeid]
        if report.when == "call":
            figures[0] = max(figures[0], report.duration)
        figures[1] += report.duration


def pytest_sessionfinish(session):
    """``WRITE_TEST_DURATIONS=1``: merge this run's figures into :data:`DURATIONS_FILE`
    (written by the process that saw every report: the xdist controller, or pytest alone)."""
    if os.environ.get("WRITE_TEST_DURATIONS") != "1" or hasattr(session.config, "workerinput"):
        return
    modules: dict[str, list[float]] = {}
    for nodeid, (call, whole) in _run_durations.items():
        # the longest call: a set-up may hold the session's (the test database, once a worker)
        longest, total = modules.setdefault(nodeid.split("::")[0], [0.0, 0.0])
        modules[nodeid.split("::")[0]] = [max(longest, call), total + whole]
    if not modules:
        return
    # `make test` runs the fault suite in a pytest of its own: both may write at the end
    lock_path = Path(__file__).parents[1] / ".local" / "test-durations.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        merged = _durations()
        merged.update(
            {
                module: [round(longest, 1), round(total, 1)]
                for module, (longest, total) in modules.items()
            }
        )
        lines = [
            f"  {json.dumps(module)}: {json.dumps(merged[module])}" for module in sorted(merged)
        ]
        DURATIONS_FILE.write_text("{\n" + ",\n".join(lines) + "\n}\n")
