"""Security review of `b650e32`, finding 2 (these tests fail on `b650e32`): every budget write
checked ``budget.view_budget`` alone. ``budget.import_ledger`` and ``budget.export_reports`` were
declared and granted but never checked, so an installation that gave a role read access to the
budget (a controller, a manager; or a service account through ``SERVICE_ACCOUNT_PERMISSIONS``)
gave it the ledger import, the payments upload (files with BSNs), budget allocations, journal
corrections, the reconciliation sign-off and the BUIG reports.

Now a write needs its own permission: ``budget.change_budget`` for allocations, corrections and
the sign-off, ``budget.import_ledger`` for the ledger and payments files (page and API), and
``budget.export_reports`` for making and downloading a report. A reader gets the pages without
the forms. Financien and beheer hold all of them (the default roles do not change).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apiauth import services as api_services
from budget.models import (
    BudgetAllocation,
    BuigReport,
    JournalCorrection,
    LedgerImport,
    PaymentImport,
)
from tests import factories

pytestmark = pytest.mark.django_db

LEDGER = b"boekingskenmerk;regeling;maand;soort;bedrag\nA1;pw;2026-01;verhaal;5\n"


@pytest.fixture
def reader(settings):
    """A manager who may read the budget, and nothing more."""
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "manager": ["indicators.view_dashboards", "budget.view_budget"],
    }
    user = factories.UserFactory(manager=True)
    assert user.has_perm("budget.view_budget")
    assert not user.has_perm("budget.change_budget")
    assert not user.has_perm("budget.import_ledger")
    assert not user.has_perm("budget.export_reports")
    client = Client()
    client.force_login(user)
    return client


def _writes(municipality):
    query = f"?jaar=2026&gemeente={municipality.pk}"
    return {
        "ledger import": (
            reverse("budget:imports") + query,
            {"file": SimpleUploadedFile("grootboek.csv", LEDGER)},
        ),
        "allocation": (
            reverse("budget:overview") + query,
            {
                "alloc-moment": "definitief",
                "alloc-decided_on": "2026-01-05",
                "alloc-amount": "28600000",
                "alloc-loonkostensubsidie": "0",
            },
        ),
        "correction": (
            reverse("budget:overview") + query,
            {
                "corr-regime": "pw",
                "corr-month": "1",
                "corr-kind": "besteding",
                "corr-amount": "100",
                "corr-reason": "Correctie",
            },
        ),
        "report": (reverse("budget:reports") + query, {"year": 2026}),
        "payments upload": (
            reverse("budget:payments") + query,
            {
                "action": "upload",
                "upload-file": SimpleUploadedFile("betalingen.csv", b"bsn;bedrag\n"),
            },
        ),
        "payments mapping": (
            reverse("budget:payments") + query,
            {"action": "mapping", "map-bsn": "burgerservicenummer"},
        ),
        "sign-off": (
            reverse("budget:reconciliation") + query,
            {"month": "2026-01-01", "regime": "pw", "note": "Akkoord"},
        ),
    }


@pytest.mark.parametrize(
    "write",
    [
        "ledger import",
        "allocation",
        "correction",
        "report",
        "payments upload",
        "payments mapping",
        "sign-off",
    ],
)
def test_a_budget_reader_cannot_write(reader, write):
    municipality = factories.MunicipalityFactory()
    url, data = _writes(municipality)[write]
    response = reader.post(url, data)
    assert response.status_code == 403, response.status_code
    assert not LedgerImport.objects.exists()
    assert not BudgetAllocation.objects.exists()
    assert not JournalCorrection.objects.exists()
    assert not BuigReport.objects.exists()
    assert not PaymentImport.objects.exists()


def test_a_budget_reader_sees_the_pages_without_the_forms(reader):
    municipality = factories.MunicipalityFactory()
    query = f"?jaar=2026&gemeente={municipality.pk}"
    for name in ("overview", "imports", "reports", "payments", "reconciliation"):
        response = reader.get(reverse(f"budget:{name}") + query)
        assert response.status_code == 200, name
        # the page's forms post to the page itself (the header's logout form stays)
        posts = response.content.count(b'method="post"')
        logout = response.content.count(reverse("logout").encode())
        assert posts == logout == 1, name


def test_a_budget_reader_cannot_download_a_report(reader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    municipality = factories.MunicipalityFactory()
    finance = factories.UserFactory(finance=True)
    report = BuigReport.objects.create(
        municipality=municipality,
        year=2026,
        created_by=finance,
        status="succeeded",
        xlsx_sha256="0" * 64,
    )
    response = reader.get(reverse("budget:report_download", args=[report.pk, "csv"]))
    assert response.status_code == 403


def test_finance_still_writes(client):
    municipality = factories.MunicipalityFactory()
    client.force_login(factories.UserFactory(finance=True))
    url, data = _writes(municipality)["ledger import"]
    assert client.post(url, data).status_code == 302
    assert LedgerImport.objects.filter(municipality=municipality).exists()


def test_a_service_account_that_may_read_the_budget_cannot_upload_payments(settings):
    settings.SERVICE_ACCOUNT_PERMISSIONS = ["budget.view_budget"]
    own = factories.MunicipalityFactory()
    account = api_services.service_account_create(username="controller", municipality=own)
    _token, secret = api_services.token_issue(
        user=account, name="lezen", scopes=["budget:read", "budget:write"]
    )
    factories.api_token_approve(_token)  # budget:write offers BSNs: four eyes
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        "/api/v1/budget/betalingen/imports/",
        {"file": SimpleUploadedFile("betalingen.csv", b"bsn;bedrag\n"), "gemeente": own.pk},
        format="multipart",
    )
    assert response.status_code == 403
    assert not PaymentImport.objects.exists()
