"""The import page queues a Celery task that a real worker (Redis broker) runs to the end."""

import io
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from apiauth.models import ImportJob
from caseload.models import Resident
from config.celery import app
from tests import factories
from tests.api.test_import import bsns, row, to_csv

# serialized_rollback: restore the preloaded instrument catalogue for the tests that follow
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def celery_worker():
    """A worker on a queue of its own, so that concurrent test runs sharing the Redis broker
    cannot take this test's task (or hand it theirs)."""
    queue = f"test-import-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_routes
    app.conf.task_routes = {"apiauth.caseload_import_job_run": {"queue": queue}}
    _reset_router()
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ) as worker:
            yield worker
    finally:
        app.conf.task_routes = previous
        # the worker narrowed the app-wide consume list to its queue: rebuild it from settings
        app.amqp.queues = app.conf.task_queues
        _reset_router()


def _reset_router() -> None:
    # the router is cached on first use (e.g. by a task another test queued), routes with it
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()


def test_uploaded_file_is_imported_by_the_worker(celery_worker, client, team):
    client.force_login(factories.UserFactory(beheer=True))
    upload = io.BytesIO(to_csv([row(team, bsn, huishouden=bsn) for bsn in bsns(5, seed=42)]))
    upload.name = "export.csv"
    response = client.post(
        "/api/v1/caseload/beheer/import/", {"municipality": team.municipality.pk, "file": upload}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 30
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Resident.objects.count() == 5
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page  # polling stops when the job is done
