"""The import page queues a Celery task that a real worker (Redis broker) runs to the end."""

import io
import time

import pytest

from apiauth.models import ImportJob
from caseload.models import Resident
from tests import factories
from tests.api.test_import import bsns, row, to_csv

# serialized_rollback: restore the preloaded instrument catalogue for the tests that follow
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_uploaded_file_is_imported_by_the_worker(celery_worker, client, team):
    client.force_login(factories.UserFactory(beheer=True))
    upload = io.BytesIO(to_csv([row(team, bsn, huishouden=bsn) for bsn in bsns(5, seed=42)]))
    upload.name = "export.csv"
    response = client.post(
        "/beheer/import/", {"municipality": team.municipality.pk, "file": upload}
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
