"""SiSa (issue 15): the BUIG indicator codes and wording per year, set by functioneel beheer;
no "(te bevestigen)" placeholders, and a code that is not set is said to be so, never guessed."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget import selectors, services
from budget.models import BuigReport, SisaLabel, VangnetRule

pytestmark = pytest.mark.django_db


def test_finding_no_te_bevestigen_placeholders():
    """Issue 15: the preloaded SiSa labels said "SiSa G2 Besteding ... (te bevestigen)"; now the
    wording stands without a guessed code, and the vangnet notes no longer say it either."""
    assert SisaLabel.objects.count() == 10
    assert not SisaLabel.objects.filter(label__contains="te bevestigen").exists()
    assert not VangnetRule.objects.filter(note__contains="te bevestigen").exists()
    lines = selectors.sisa_lines(year=2026)
    assert lines[("pw", "besteding")].label == "Besteding algemene bijstand"
    assert lines[("pw", "baten")].label == "Baten (exclusief Rijk) algemene bijstand"
    assert not any(line.is_set for line in lines.values())


def test_sisa_lines_per_year():
    """A row for a range of years: the report of each year takes the row that holds it."""
    SisaLabel.objects.filter(regime="pw", kind="besteding").update(year_to=2023, code="X/01")
    new = SisaLabel(
        regime="pw", kind="besteding", year_from=2024, code="Y/01", label="Besteding bijstand"
    )
    new.full_clean()
    new.save()
    assert selectors.sisa_lines(year=2023)[("pw", "besteding")].code == "X/01"
    assert selectors.sisa_lines(year=2024)[("pw", "besteding")].code == "Y/01"
    overlapping = SisaLabel(
        regime="pw", kind="besteding", year_from=2020, year_to=2025, code="Z", label="z"
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_reports_page_says_which_codes_beheer_must_set(client, municipality, finance):
    SisaLabel.objects.filter(regime="ioaw", kind="baten").update(code="G2/04")
    client.force_login(finance)
    page = client.get(reverse("budget:reports"), {"jaar": 2026, "gemeente": municipality.pk})
    text = page.content.decode()
    assert "SiSa-indicatoren 2026" in text
    assert "G2/04" in text
    assert text.count("Nog in te stellen door functioneel beheer") == 9
    # and says it before a report is made (the walk of 4 December)
    assert 'id="sisa-missing"' in text and "zijn 9 SiSa-codes nog niet ingesteld" in text
    SisaLabel.objects.update(code="G2/99")
    page = client.get(reverse("budget:reports"), {"jaar": 2026, "gemeente": municipality.pk})
    assert 'id="sisa-missing"' not in page.content.decode()


def test_report_marks_a_code_that_is_not_set(municipality, finance, payments):
    SisaLabel.objects.filter(regime="pw", kind="besteding").update(code="G2/01")
    report = services.buig_report_request(municipality=municipality, year=2026, by=finance)
    assert services.buig_report_generate(report_id=report.pk) == BuigReport.Status.SUCCEEDED
    report.refresh_from_db()
    text = report.csv_file.open("rb").read().decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r["sectie"] == "sisa"]
    pw = {r["onderdeel"]: r for r in rows if r["regeling"] == "Participatiewet algemene bijstand"}
    assert pw["besteding"]["sisa_code"] == "G2/01"
    assert pw["besteding"]["toelichting"] == "Besteding algemene bijstand"
    assert pw["baten"]["sisa_code"] == ""
    assert "nog in te stellen door functioneel beheer" in pw["baten"]["toelichting"]
