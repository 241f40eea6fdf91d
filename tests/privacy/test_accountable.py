"""Issue 12 (finding 2 support): a processing record names who answers for a service account's
processing (``ProcessingRecord.accountable``), covered by the hash and shown to the privacy
officer in the log pages and exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caseload import selectors
from privacy import services
from privacy.models import Action, Purpose

pytestmark = pytest.mark.django_db

WHO = "aanvrager: beheer1, goedkeurder: privacy1"


def test_record_write_copies_processing_accountable_and_the_hash_covers_it(consulent, resident):
    consulent.processing_accountable = WHO
    record = services.processing_record_write(
        user=consulent,
        action=Action.READ,
        object_type="resident",
        resident_ids=[resident.pk],
        purpose=Purpose.SERVICE,
    )
    record.refresh_from_db()
    assert record.accountable == WHO
    assert WHO in services.record_canonical(record)
    record.accountable = ""
    assert services.record_canonical(record) not in (None, "")
    assert WHO not in services.record_canonical(record)


def test_user_without_the_attribute_leaves_it_empty(consulent, resident):
    record = services.processing_record_write(
        user=consulent,
        action=Action.READ,
        object_type="resident",
        resident_ids=[resident.pk],
        purpose=Purpose.SERVICE,
    )
    assert record.accountable == ""
    assert services.processing_log_verify().ok


def test_officer_pages_and_exports_show_the_accountable_column(
    client, privacy_officer, resident, consulent
):
    consulent.processing_accountable = WHO
    selectors.resident_get(user=consulent, resident_id=resident.pk)
    client.force_login(privacy_officer)
    page = client.get(reverse("privacy:log_resident", args=[resident.pk]))
    body = page.content.decode()
    assert "Verantwoordelijk (aanvrager/goedkeurder)" in body and WHO in body
    page = client.get(reverse("privacy:log_user", args=[consulent.pk])).content.decode()
    assert WHO in page
    url = reverse("privacy:log_resident_export", args=[resident.pk, "csv"])
    body = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert rows[0]["verantwoordelijk"] == WHO
    url = reverse("privacy:log_resident_export", args=[resident.pk, "xlsx"])
    values = list(load_workbook(io.BytesIO(client.get(url).content)).active.values)
    assert "verantwoordelijk" in values[0]
    assert values[1][values[0].index("verantwoordelijk")] == WHO
