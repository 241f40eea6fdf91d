"""The import and report pages queue Celery tasks that a real worker (Redis broker) runs."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.models import BuigReport, LedgerImport, Receipt
from tests import factories

# serialized_rollback: restore the preloaded vangnet rules and SiSa labels for later tests
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wait(obj, done):
    deadline = time.monotonic() + 30
    while not done(obj) and time.monotonic() < deadline:
        time.sleep(0.2)
        obj.refresh_from_db()
    return obj


def test_import_and_report_run_in_a_real_worker(celery_worker, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    municipality = factories.MunicipalityFactory()
    client.force_login(factories.UserFactory(finance=True))
    upload = SimpleUploadedFile(
        "grootboek.csv",
        b"boekingskenmerk;regeling;maand;soort;bedrag\nW-1;pw;2026-01;verhaal;5\n"
        b"W-2;ioaw;2026-02;terugvordering;7,50\n",
    )
    assert client.post(reverse("budget:imports"), {"file": upload}).status_code == 302
    item = _wait(LedgerImport.objects.get(), lambda i: i.status not in ("queued", "running"))
    assert item.status == LedgerImport.Status.SUCCEEDED, item.errors
    assert Receipt.objects.count() == 2

    response = client.post(reverse("budget:reports"), {"year": 2026, "gemeente": municipality.pk})
    assert response.status_code == 302
    report = _wait(BuigReport.objects.get(), lambda r: r.status in ("succeeded", "failed"))
    assert report.status == BuigReport.Status.SUCCEEDED
    fragment = client.get(reverse("budget:report_status", args=[report.pk])).content.decode()
    assert "hx-trigger" not in fragment and report.xlsx_sha256 in fragment
