"""Review of `983324c` (issue 17 round), finding 1 (these tests fail on `983324c`): a finance account bound to one municipality
(``User.municipality``, issue 17) reads another municipality's BUIG report and ledger import by id.

The budget pages honour the binding (``municipality_for``: ``?gemeente=<other>`` is a 404), but
the id-taking endpoints ``budget:report_download``, ``budget:report_status`` and
``budget:import_status`` fetch their object with ``BuigReport.objects.get(pk=...)`` /
``LedgerImport.objects.get(pk=...)`` (``budget/selectors.py`` ``buig_report_get``,
``ledger_import_get``): no municipality filter. Neither table has a row-level security policy,
so the database does not stop it either.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from budget.models import BuigReport, LedgerImport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = factories.MunicipalityFactory(name="Eigenstad", cbs_code="GM9931")
    other = factories.MunicipalityFactory(name="Buurdorp", cbs_code="GM9932")
    finance = factories.UserFactory(finance=True)
    finance.municipality = own
    finance.save(update_fields=["municipality"])
    author = factories.UserFactory(finance=True)
    report = BuigReport(municipality=other, year=2025, created_by=author)
    report.status = "succeeded"
    report.progress_done = 100
    report.progress_total = 100
    report.xlsx_sha256 = "0" * 64
    report.csv_sha256 = "0" * 64
    report.csv_file.save(
        "buig-other.csv", ContentFile(b"regeling;besteding\npw;123456\n"), save=False
    )
    report.xlsx_file.save("buig-other.xlsx", ContentFile(b"PK-not-really"), save=False)
    report.save()
    ledger = LedgerImport.objects.create(
        municipality=other,
        file=ContentFile(b"x", name="ledger.csv"),
        original_name="grootboek-buurdorp-2025.csv",
        checksum="1" * 64,
        created_by=author,
        status="succeeded",
    )
    client = Client()
    client.force_login(finance)
    return {"own": own, "other": other, "client": client, "report": report, "ledger": ledger}


def test_control_the_binding_holds_on_the_budget_pages(world):
    response = world["client"].get(reverse("budget:reports"), {"gemeente": world["other"].pk})
    assert response.status_code == 404


def test_bound_finance_cannot_download_another_municipalitys_buig_report(world):
    url = reverse("budget:report_download", kwargs={"pk": world["report"].pk, "fmt": "csv"})
    response = world["client"].get(url)
    assert response.status_code == 404, (
        f"finance bound to {world['own'].name} downloaded the BUIG report of "
        f"{world['other'].name}: {response.status_code}"
    )


def test_bound_finance_cannot_poll_another_municipalitys_report_or_ledger_import(world):
    report = world["client"].get(reverse("budget:report_status", kwargs={"pk": world["report"].pk}))
    ledger = world["client"].get(reverse("budget:import_status", kwargs={"pk": world["ledger"].pk}))
    assert (report.status_code, ledger.status_code) == (404, 404)
