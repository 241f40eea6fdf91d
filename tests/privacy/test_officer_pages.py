"""The privacy officer's log search (per resident, per user), export and subject access."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from caseload import selectors
from privacy.models import ProcessingRecord
from tests import factories
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db

SEARCH = "privacy:log_search"


def _read_dossier(user, resident, times=1):
    for _ in range(times):
        selectors.resident_get(user=user, resident_id=resident.pk)


@pytest.mark.parametrize(
    "traits",
    [
        {},
        {"teamleider": True},
        {"manager": True},
        {"finance": True},
        {"beheer": True},
        {"beheer": True, "is_superuser": True},
    ],
)
def test_only_the_privacy_officer(client, resident, traits):
    client.force_login(factories.UserFactory(**traits))
    for name, args in [
        (SEARCH, []),
        ("privacy:log_resident", [resident.pk]),
        ("privacy:log_resident_export", [resident.pk, "csv"]),
        ("privacy:log_user", [resident.consulent_id]),
        ("privacy:subject_access", [resident.pk]),
        ("privacy:subject_access_export", [resident.pk, "json"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_search_by_bsn_is_a_post_and_the_bsn_stays_out_of_urls(
    client, privacy_officer, resident, consulent
):
    _read_dossier(consulent, resident, 3)
    client.force_login(privacy_officer)
    response = client.post(reverse(SEARCH), {"inwoner-bsn": resident.bsn})
    assert response.status_code == 302
    assert resident.bsn not in response["Location"]
    assert response["Location"] == reverse("privacy:log_resident", args=[resident.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and consulent.username in body
    assert "4 verwerkingen" in body  # three reads and the search itself (issue 12, finding 14)
    # reading the log is itself logged, as supervision
    record = ProcessingRecord.objects.latest("id")
    assert record.user_id == privacy_officer.pk and record.purpose == "toezicht"
    assert record in records_for(resident)


def test_search_errors_keep_the_input(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.post(reverse(SEARCH), {"inwoner-bsn": "123456789"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "elfproef" in body and 'value="123456789"' in body
    # letters: what every BSN field says (the walk of 4 December: here it said "elfproef")
    response = client.post(reverse(SEARCH), {"inwoner-bsn": "12x"})
    body = response.content.decode()
    assert response.status_code == 422 and "Vul 9 cijfers in." in body and 'value="12x"' in body
    response = client.post(reverse(SEARCH), {})
    assert response.status_code == 422
    assert "Vul een BSN of een inwonernummer in" in response.content.decode()


def test_search_by_resident_id_and_by_user_paginated(client, privacy_officer, resident, consulent):
    _read_dossier(consulent, resident, 60)
    client.force_login(privacy_officer)
    response = client.post(reverse(SEARCH), {"inwoner-resident_id": resident.pk})
    # the newest record the page shows (the page's own read is written after it renders, and
    # may fall in the next second: taken after the GET, this was flaky under load)
    latest = records_for(resident).latest("id").occurred_at
    page1 = client.get(response["Location"]).content.decode()
    assert "Pagina 1 van 2" in page1
    # the time as shown is Dutch time, and says so (it said UTC; the walk of 3 December)
    assert "Tijdstip (Nederlandse tijd)" in page1 and "UTC" not in page1
    assert timezone.localtime(latest).strftime("%Y-%m-%d %H:%M:%S") in page1
    page2 = client.get(response["Location"], {"pagina": 2}).content.decode()
    assert "Pagina 2 van 2" in page2

    response = client.get(reverse(SEARCH), {"medewerker-medewerker": consulent.username})
    assert response["Location"] == reverse("privacy:log_user", args=[consulent.pk])
    body = client.get(response["Location"]).content.decode()
    assert "60 verwerkingen" in body
    assert client.get(reverse(SEARCH), {"medewerker-medewerker": "niemand"}).status_code == 422


def test_export_a_residents_log_as_csv_and_xlsx(client, privacy_officer, resident, consulent):
    _read_dossier(consulent, resident, 2)
    client.force_login(privacy_officer)
    url = reverse("privacy:log_resident_export", args=[resident.pk, "csv"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Dutch Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r["medewerker"] for r in rows] == [consulent.username] * 2
    assert resident.bsn not in response.content.decode()
    assert ProcessingRecord.objects.latest("id").action == "export"

    url = reverse("privacy:log_resident_export", args=[resident.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = list(sheet.values)
    assert values[0][0] == "nummer" and len(values) == 1 + 3  # two reads and the csv export
    assert client.get(url.replace("xlsx", "pdf")).status_code == 404


def test_subject_access_export_holds_everything_and_is_logged(
    client, privacy_officer, resident, consulent, open_benefit
):
    from tests.factories import GroupAssignmentFactory, TrajectoryFactory

    GroupAssignmentFactory(resident=resident, decided_by=consulent)
    TrajectoryFactory(resident=resident, created_by=consulent)
    _read_dossier(consulent, resident)
    client.force_login(privacy_officer)
    assert client.get(reverse("privacy:subject_access", args=[resident.pk])).status_code == 200
    url = reverse("privacy:subject_access_export", args=[resident.pk, "json"])
    response = client.get(url)
    assert response.status_code == 200
    data = json.loads(response.content)
    sections = data["secties"]
    # in the words of the screens (the walk of 4 December read first_name, driving_licence:
    # True and consulent_id: 1 in what is meant for the resident)
    person = sections["inwoner"][0]
    assert person["BSN"] == resident.bsn and person["voornaam"] == resident.first_name
    assert person["consulent"] == resident.consulent.get_full_name()
    assert person["gemeente"] == str(resident.municipality)
    assert person["statushouder"] in ("ja", "nee")
    assert not [key for key in person if key.isascii() and "_" in key]
    assert sections["huishouden"][0]["straat"] == resident.household.street
    assert len(sections["uitkeringen"]) == 1 and len(sections["groepsindelingen"]) == 1
    assert len(sections["trajecten"]) == 1
    for key in (
        "betalingen",
        "aanvragen",
        "uitstroom",
        "contactmomenten",
        "participatieladder",
        "handhavingsonderzoeken",
        "schuldhulp",
        "intakes",
        "plannen_van_aanpak",
    ):
        assert key in sections
    assert any(r["medewerker"] == consulent.username for r in sections["verwerkingen"])
    assert {r["handeling"] for r in sections["verwerkingen"]} <= {
        "Inzien",
        "Zoeken / lijst",
        "Aanmaken",
        "Wijzigen",
        "Verwijderen",
        "Exporteren",
        "Afdrukken",
        "Anonimiseren",
    }
    exported = ProcessingRecord.objects.latest("id")
    assert exported.action == "export" and exported.purpose == "inzageverzoek"
    assert exported in records_for(resident)

    url = reverse("privacy:subject_access_export", args=[resident.pk, "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert "inwoner" in book.sheetnames and "verwerkingen" in book.sheetnames


def test_the_log_names_what_was_processed_in_dutch():
    """The walk of 3 December: the officer's screen showed technical names (``resident``,
    ``trajectory``, ``debtcase``)."""
    from privacy.templatetags.privacy_tags import object_type_label

    assert object_type_label("resident") == "inwoner"
    assert object_type_label("resident_list") == "lijst van inwoners"
    assert object_type_label("trajectory") == "traject"  # a model: its verbose name
    assert object_type_label("correctie:traject") == "correctie van traject"
    assert object_type_label("iets_nieuws") == "iets_nieuws"  # unknown: as stored
