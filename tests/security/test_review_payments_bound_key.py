"""Review of `983324c` (issue 17 round), finding 4 (these tests fail on `983324c`): a connected system's key (bound to its service
account's municipality) offers a payments file for another municipality.

``budget/api.py`` ``PaymentImportCreateView.post`` resolves ``gemeente`` with
``municipality_for(..., team_bound=False)`` and never passes the token's municipality: for a
service account (role manager, no ``User.municipality``) every municipality is a choice. Only
row-level security (``budget_paymentimport`` is protected) stops the insert, and then the
caller gets a 500 instead of the 404 a foreign id gets everywhere else (issue 17's first fence
is missing; with ``RLS_ENFORCED`` off the import for the other municipality is queued).
Needs ``budget.view_budget`` and ``budget.import_ledger`` in ``SERVICE_ACCOUNT_PERMISSIONS`` (a
documented setting).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apiauth import services as api_services
from budget.models import PaymentImport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rls_enforced", [True, False], ids=["with-rls", "application-alone"])
def test_a_service_account_key_cannot_import_payments_for_another_municipality(
    settings, rls_enforced
):
    settings.RLS_ENFORCED = rls_enforced
    settings.SERVICE_ACCOUNT_PERMISSIONS = ["budget.view_budget", "budget.import_ledger"]
    own = factories.MunicipalityFactory(name="Eigenstad", cbs_code="GM9971")
    other = factories.MunicipalityFactory(name="Buurdorp", cbs_code="GM9972")
    account = api_services.service_account_create(username="uitkeringsadmin", municipality=own)
    _token, secret = api_services.token_issue(
        user=account, name="betalingen", scopes=["budget:read", "budget:write"]
    )
    factories.api_token_approve(_token)  # budget:write offers BSNs: four eyes
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
    upload = SimpleUploadedFile("betalingen.csv", b"bsn;bedrag\n123456782;100\n")
    response = client.post(
        "/api/v1/budget/betalingen/imports/",
        {"file": upload, "gemeente": other.pk},
        format="multipart",
    )
    written = PaymentImport.objects.filter(municipality=other).count()
    assert (response.status_code, written) == (404, 0)
