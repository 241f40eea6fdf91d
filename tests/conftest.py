import uuid

import pytest

from tests import factories


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
