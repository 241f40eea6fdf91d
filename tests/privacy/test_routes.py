"""The processing log names the page, API operation or task in Dutch (``privacy.routes``).

The walk of 4 December: the officer's screen, the log exports and a resident's subject access
export showed URL names (``caseload:dossier``, ``caseload-api:resident-detail``). Every route
that writes records has a label: the route walker (tests/privacy/test_route_walker.py) checks
each record it makes."""

import csv
import io
import json

import pytest
from django.urls import reverse

from privacy.routes import route_label
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "label"),
    [
        ("caseload:dossier", "Dossier van de inwoner"),
        ("intake:plan_sign", "Plan van aanpak ondertekenen"),
        ("caseload-api:resident-detail", "Koppeling (API): inwoners, één gegeven"),
        ("caseload-api:outflow-event-withdraw", "Koppeling (API): uitstroom, intrekken"),
        (
            "matching-api:resident-consent-withdraw",
            "Koppeling (API): inwoners, toestemming intrekken",
        ),
        ("matching-api:vacancy-candidates", "Koppeling (API): vacatures, kandidaten"),
        ("admin:caseload_resident_change", "Beheerscherm: inwoner, wijzigen"),
        ("admin:intake_intake_changelist", "Beheerscherm: brede intake, overzicht"),
        (
            "privacy.retention_anonymise_overdue",
            "Bewaartermijn verstreken: gegevens geanonimiseerd (automatisch)",
        ),
        # a route without a label is shown as stored, never hidden
        ("caseload:iets_nieuws", "caseload:iets_nieuws"),
        ("caseload-api:iets-nieuws", "caseload-api:iets-nieuws"),
        ("admin:caseload_bestaatniet_change", "admin:caseload_bestaatniet_change"),
        ("", ""),
    ],
)
def test_route_label(route, label):
    assert route_label(route) == label


def test_the_officer_reads_the_page_in_dutch_on_screen_and_in_the_exports(
    client, privacy_officer, resident, consulent, open_benefit
):
    client.force_login(consulent)
    assert client.get(reverse("caseload:dossier", args=[resident.pk])).status_code == 200
    assert records_for(resident).latest("id").route == "caseload:dossier"

    client.force_login(privacy_officer)
    page = client.get(reverse("privacy:log_resident", args=[resident.pk])).content.decode()
    assert '<th scope="col" class="utrecht-table__header-cell">Onderdeel</th>' in page
    assert "Dossier van de inwoner" in page and "caseload:dossier" not in page

    url = reverse("privacy:log_resident_export", args=[resident.pk, "csv"])
    content = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    dossier = [r for r in rows if r["route"] == "caseload:dossier"]
    assert dossier and dossier[0]["onderdeel"] == "Dossier van de inwoner"

    url = reverse("privacy:subject_access_export", args=[resident.pk, "json"])
    log = json.loads(client.get(url).content)["secties"]["verwerkingen"]
    assert "Dossier van de inwoner" in [r["onderdeel"] for r in log]
