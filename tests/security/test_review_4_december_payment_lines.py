"""Review of 4 December, left in docs/security.md section 15 and fixed after it: a ``budget:read``
key (no privacy officer's approval) polled a payments import and read its per-line reasons
("Geen uitkering van deze inwoner ... in die maand"), which tell whether the resident of a line's
BSN had a benefit in that month. Only a caller who may offer the file (``budget.import_ledger``
and, for a key, the approved ``budget:write`` scope) reads the lines now; the others get the
status, the counts and the file's own errors. Fails on ``4ef9656``: the reasons were returned."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apiauth import services as api_services
from budget.models import PaymentImport
from tests import factories

pytestmark = pytest.mark.django_db

LINE = "Geen uitkering van deze inwoner met deze regeling die in die maand liep."
FILE = "De kolom maand ontbreekt."


@pytest.fixture
def rejected():
    municipality = factories.MunicipalityFactory(name="Eigenstad", cbs_code="GM9973")
    finance = factories.UserFactory(finance=True, municipality=municipality)
    item = PaymentImport.objects.create(
        municipality=municipality,
        original_name="betalingen.csv",
        checksum="0" * 64,
        status="rejected",
        rejected_rows=1,
        errors=[{"line": 0, "reason": FILE}, {"line": 3, "reason": LINE}],
        created_by=finance,
    )
    return finance, item


def _poll(finance, item, scopes):
    token, secret = api_services.token_issue(user=finance, name="betalingen", scopes=scopes)
    if "budget:write" in scopes:
        factories.api_token_approve(token)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(f"/api/v1/budget/betalingen/imports/{item.pk}/")
    assert response.status_code == 200
    return response.json()


def test_a_read_key_gets_the_counts_and_the_file_errors_but_no_line(rejected):
    finance, item = rejected
    body = _poll(finance, item, ["budget:read"])
    assert body["rejected_rows"] == 1 and body["status"] == "rejected"
    assert body["errors"] == [{"line": 0, "reason": FILE}]
    assert body["line_errors_withheld"] is True
    assert LINE not in str(body)


def test_the_key_that_may_offer_the_file_reads_every_line(rejected):
    finance, item = rejected
    body = _poll(finance, item, ["budget:read", "budget:write"])
    assert body["errors"] == [{"line": 0, "reason": FILE}, {"line": 3, "reason": LINE}]
    assert body["line_errors_withheld"] is False


def test_a_key_of_an_account_that_may_only_read_the_budget_gets_no_line(rejected, settings):
    """A connected system's service account given ``budget.view_budget`` alone (a documented
    setting): even a key with both scopes reads no line, as the account may not offer a file."""
    settings.SERVICE_ACCOUNT_PERMISSIONS = ["budget.view_budget"]
    _finance, item = rejected
    account = api_services.service_account_create(
        username="budgetlezer", municipality=item.municipality
    )
    body = _poll(account, item, ["budget:read", "budget:write"])
    assert body["errors"] == [{"line": 0, "reason": FILE}]
    assert body["line_errors_withheld"] is True


def test_the_status_page_shows_the_lines_only_to_who_may_offer_the_file(client, rejected, settings):
    """The page applies the API's rule: a role given the budget to read but not the payments
    import (the role matrix is a setting) sees the file's errors and the counts, no line."""
    finance, item = rejected
    url = reverse("budget:payment_import_status", args=[item.pk])
    client.force_login(finance)
    assert LINE in client.get(url).content.decode()
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "financien": [
            p for p in settings.ROLE_PERMISSIONS["financien"] if p != "budget.import_ledger"
        ],
    }
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and FILE in html and LINE not in html
    assert "De reden per regel ziet alleen wie betalingenbestanden mag aanbieden" in html
