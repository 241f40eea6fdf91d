"""The payments feed's page and API (issue 15): upload, progress, row report, column mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.models import PaymentColumnMapping, PaymentImport
from budget.payments_import import payments_import_run
from caseload.models import BenefitPayment
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "bsn;regeling;maand;bruto;verrekende_inkomsten;netto;correctie\n"


def _run_queued() -> None:
    """What the worker does with the queued imports (its task body)."""
    for pk in PaymentImport.objects.filter(status="queued").values_list("pk", flat=True):
        payments_import_run(import_id=pk)


@pytest.fixture
def benefit(municipality):
    return factories.BenefitFactory(
        start_date=dt.date(2025, 1, 1), applicant__household__municipality=municipality
    )


def test_upload_shows_the_row_report_then_the_corrected_file_applies(
    client, municipality, finance, benefit, django_capture_on_commit_callbacks
):
    client.force_login(finance)
    url = reverse("budget:payments") + f"?jaar=2026&gemeente={municipality.pk}"
    bad = HEADER + f"{benefit.applicant.bsn};pw;2026-03;1300;2000;900;\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "upload", "upload-file": SimpleUploadedFile("b.csv", bad.encode())},
        )
    assert response.status_code == 302
    _run_queued()
    page = client.get(url).content.decode()
    assert "Afgekeurd" in page and "hoger dan het bruto bedrag" in page
    assert benefit.applicant.bsn not in page
    good = HEADER + f"{benefit.applicant.bsn};pw;2026-03;1300;400;900;\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"action": "upload", "upload-file": SimpleUploadedFile("g.csv", good.encode())},
        )
    _run_queued()
    assert BenefitPayment.objects.get(benefit=benefit).income_offset == 400
    item = PaymentImport.objects.filter(status="succeeded").get()
    status = client.get(reverse("budget:payment_import_status", args=[item.pk]))
    assert "1 verwerkt" in status.content.decode()


def test_upload_of_another_kind_of_file_keeps_the_form(client, municipality, finance):
    client.force_login(finance)
    url = reverse("budget:payments") + f"?gemeente={municipality.pk}"
    response = client.post(
        url, {"action": "upload", "upload-file": SimpleUploadedFile("b.pdf", b"%PDF")}
    )
    assert response.status_code == 422
    assert "Alleen CSV- of XLSX-bestanden." in response.content.decode()
    assert not PaymentImport.objects.exists()


def test_column_mapping_is_saved_and_a_clash_comes_back_with_what_was_typed(
    client, municipality, finance
):
    client.force_login(finance)
    url = reverse("budget:payments") + f"?gemeente={municipality.pk}"
    response = client.post(
        url, {"action": "mapping", "map-bsn": "Burgerservicenummer", "map-netto": "Uitbetaald"}
    )
    assert response.status_code == 302
    saved = PaymentColumnMapping.objects.get(municipality=municipality)
    assert (saved.bsn, saved.netto) == ("Burgerservicenummer", "Uitbetaald")
    clash = client.post(url, {"action": "mapping", "map-bruto": "Bedrag", "map-netto": "bedrag"})
    assert clash.status_code == 422
    page = clash.content.decode()
    assert "dezelfde naam" in page and 'value="Bedrag"' in page


def test_api_offers_a_file_and_polls_it(
    client, municipality, finance, benefit, django_capture_on_commit_callbacks
):
    client.force_login(finance)
    content = HEADER + f"{benefit.applicant.bsn};pw;2026-02;1300;0;1300;nee\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budget-api:payment-import-create"),
            {"file": SimpleUploadedFile("api.csv", content.encode()), "gemeente": municipality.pk},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    _run_queued()
    detail = client.get(reverse("budget-api:payment-import-detail", args=[body["id"]])).json()
    assert detail["status"] == "succeeded" and detail["accepted_rows"] == 1
    again = client.post(
        reverse("budget-api:payment-import-create"),
        {"file": SimpleUploadedFile("kopie.csv", content.encode()), "gemeente": municipality.pk},
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    empty = client.post(
        reverse("budget-api:payment-import-create"), {}, content_type="application/json"
    )
    assert empty.status_code == 400
    assert "file" in str(empty.json())
