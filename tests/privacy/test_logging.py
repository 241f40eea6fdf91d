"""Every page and API call that shows or changes a resident writes one record, in the same
transaction; when the record cannot be written, nothing is served and nothing is changed."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.urls import reverse
from rest_framework.test import APIClient

from caseload import models as cm
from caseload import selectors
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def test_dossier_page_writes_one_read_record(client_c, resident, consulent):
    before = ProcessingRecord.objects.count()
    response = client_c.get(reverse("caseload:dossier", args=[resident.pk]))
    assert response.status_code == 200
    assert ProcessingRecord.objects.count() == before + 1
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "read" and record.object_type == "resident"
    assert record.subjects == [resident_pseudonym(resident.pk)]
    assert record.user_id == consulent.pk and record.role == "consulent"
    assert record.purpose == "dienstverlening" and not record.break_glass
    assert record.route == "caseload:dossier" and record.method == "GET"
    assert len(record.request_id) == 32
    assert resident.bsn not in str(record.__dict__)


def test_worklist_writes_one_record_naming_the_listed_residents(client_c, resident, consulent):
    second = factories.ResidentFactory(
        team=resident.team, consulent=consulent, household__municipality=resident.municipality
    )
    client_c.get(reverse("caseload:worklist"))
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "search" and record.object_type == "resident_list"
    assert set(record.subjects) == {resident_pseudonym(resident.pk), resident_pseudonym(second.pk)}


def test_a_write_and_its_record_share_one_transaction(client_c, resident):
    url = reverse("caseload:contact_record", args=[resident.pk])
    data = {"occurred_on": "2026-11-20", "channel": "telefoon", "summary": "Gebeld"}
    response = client_c.post(url, data)
    assert response.status_code == 302
    record = records_for(resident).latest("id")
    assert record.action == "create" and record.method == "POST"
    assert cm.ContactMoment.objects.filter(resident=resident).count() == 1


def test_a_refused_submit_is_a_read_and_a_write_names_what_it_made(client_c, resident):
    """The walk of 3 December: seven refused outflow submits (422) stood in the resident's log
    as seven "Aanmaken | inwoner" beside the one outflow recorded. A refused submit is a read
    (the form came back with the resident's data; nothing was written), and a write names what
    it made (contactmoment, shown as its verbose name)."""
    url = reverse("caseload:contact_record", args=[resident.pk])
    refused = client_c.post(url, {"occurred_on": "", "channel": "telefoon", "summary": ""})
    assert refused.status_code == 422
    record = records_for(resident).latest("id")
    assert (record.action, record.method, record.object_type) == ("read", "POST", "contactmoment")
    data = {"occurred_on": "2026-11-20", "channel": "telefoon", "summary": "Gebeld"}
    assert client_c.post(url, data).status_code == 302
    assert records_for(resident).latest("id").action == "create"
    assert [r.action for r in records_for(resident).order_by("id")] == ["read", "create"]


def test_no_record_no_data_page(client_c, resident, fail_log_inserts):
    with pytest.raises(DatabaseError, match="log unavailable"):
        client_c.get(reverse("caseload:dossier", args=[resident.pk]))


def test_no_record_no_write(client_c, resident, fail_log_inserts):
    url = reverse("caseload:contact_record", args=[resident.pk])
    data = {"occurred_on": "2026-11-20", "channel": "telefoon", "summary": "Gebeld"}
    with pytest.raises(DatabaseError, match="log unavailable"):
        client_c.post(url, data)
    assert not cm.ContactMoment.objects.filter(resident=resident).exists()


def test_no_record_no_api_data(resident, consulent, fail_log_inserts):
    api = APIClient()
    api.force_login(consulent)
    with pytest.raises(DatabaseError, match="log unavailable"):
        api.get(f"/api/v1/caseload/residents/{resident.pk}/")


def test_api_detail_list_and_create_are_logged(resident, consulent):
    api = APIClient()
    api.force_login(consulent)
    assert api.get(f"/api/v1/caseload/residents/{resident.pk}/").status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert (record.action, record.object_type) == ("read", "resident")
    assert record.subjects == [resident_pseudonym(resident.pk)]
    assert record.route == "caseload-api:resident-detail"

    assert api.get("/api/v1/caseload/residents/").status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "search" and resident_pseudonym(resident.pk) in record.subjects

    response = api.post(
        "/api/v1/caseload/contact-moments/",
        {"resident": resident.pk, "occurred_on": "2026-11-20", "channel": "telefoon"},
        format="json",
    )
    assert response.status_code == 201, response.content
    record = ProcessingRecord.objects.latest("id")
    assert (record.action, record.object_type) == ("create", "contactmoment")
    assert record.object_id == "" or record.subjects == [resident_pseudonym(resident.pk)]
    assert record.subjects == [resident_pseudonym(resident.pk)]

    response = api.post("/api/v1/caseload/residents/search/", {"bsn": resident.bsn}, format="json")
    assert response.status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "search" and record.subjects == [resident_pseudonym(resident.pk)]
    assert resident.bsn not in str(record.__dict__)


def test_api_refusal_writes_nothing(resident):
    api = APIClient()
    api.force_login(factories.UserFactory(manager=True))
    before = ProcessingRecord.objects.count()
    assert api.get(f"/api/v1/caseload/residents/{resident.pk}/").status_code == 404
    assert ProcessingRecord.objects.count() == before


def test_selector_outside_a_request_logs_on_the_spot(resident, consulent):
    selectors.resident_get(user=consulent, resident_id=resident.pk)
    record = records_for(resident).latest("id")
    assert record.action == "read" and record.route == "" and record.user_id == consulent.pk


def test_admin_views_of_resident_data_are_logged(client, resident):
    admin = factories.UserFactory(beheer=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:caseload_resident_changelist")).status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "search" and resident_pseudonym(resident.pk) in record.subjects
    assert record.purpose == "beheer"
    url = reverse("admin:caseload_resident_change", args=[resident.pk])
    assert client.get(url).status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "read" and record.subjects == [resident_pseudonym(resident.pk)]


def test_timeline_shows_the_destruction_date_of_a_closed_dossier(client_c, resident):
    factories.BenefitFactory(applicant=resident, ended_for_work=True)
    body = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Bewaartermijn verloopt" in body
    assert dt.date(2035, 6, 30).strftime("%Y") in body


def test_showing_the_full_bsn_on_the_dossier_is_a_logged_read(client_c, resident):
    response = client_c.post(reverse("caseload:dossier", args=[resident.pk]), {"toon_bsn": "1"})
    assert response.status_code == 200
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "read" and record.method == "POST"
    assert record.subjects == [resident_pseudonym(resident.pk)]
