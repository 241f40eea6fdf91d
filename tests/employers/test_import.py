"""Vacancy import from a file (issue 18): all or nothing, errors per row with line and column,
no cell value in a message; CSV and XLSX through common.tabular_read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from common.exceptions import DomainError
from employers import services
from employers.models import Vacancy
from tests import factories

pytestmark = pytest.mark.django_db

START = (dt.date.today() + dt.timedelta(days=20)).isoformat()
GOOD = (
    "titel;isco;uren;postcode;startdatum;banenafspraak\n"
    f"Vakkenvuller;9334;24;1211 AB;{START};ja\n"
    f"Kassamedewerker;5230;16,5;1211AB;{START};nee\n"
).encode()


def test_import_csv_writes_every_row(accountmanager):
    employer = factories.EmployerFactory()
    created, errors = services.vacancies_import(
        employer=employer, filename="vacatures.csv", content=GOOD, by=accountmanager
    )
    assert (created, errors) == (2, [])
    first = Vacancy.objects.get(title="Vakkenvuller")
    assert first.banenafspraak and first.postcode == "1211AB"
    assert str(Vacancy.objects.get(title="Kassamedewerker").hours_per_week) == "16.5"


def test_import_xlsx(accountmanager):
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "ISCO", "Uren", "Postcode", "Startdatum"])
    ws.append(["Heftruckchauffeur", "8344", 38, "1211AB", START])
    buf = io.BytesIO()
    wb.save(buf)
    created, errors = services.vacancies_import(
        employer=factories.EmployerFactory(),
        filename="v.xlsx",
        content=buf.getvalue(),
        by=accountmanager,
    )
    assert (created, errors) == (1, [])


def test_import_is_all_or_nothing_with_errors_per_row(accountmanager):
    content = GOOD + f"Chef;0000;50;12;{START}\n".encode()
    created, errors = services.vacancies_import(
        employer=factories.EmployerFactory(), filename="v.csv", content=content, by=accountmanager
    )
    assert created == 0
    assert not Vacancy.objects.exists()
    assert errors == [(4, "isco", "Onbekende ISCO-08-code.")]


def test_import_refuses_an_unreadable_file(accountmanager):
    with pytest.raises(DomainError) as exc:
        services.vacancies_import(
            employer=factories.EmployerFactory(),
            filename="v.csv",
            content=b"naam;plaats\nx;y\n",
            by=accountmanager,
        )
    assert exc.value.field == "file"


def test_import_page(client, accountmanager, municipality):
    employer = factories.EmployerFactory(municipality=municipality)
    client.force_login(accountmanager)
    url = reverse("employers:vacancy_import", args=[employer.pk])
    bad = GOOD + f"Chef;9334;50;1211AB;{START}\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", bad)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "hoogstens 40" in html and "er is niets geïmporteerd" in html
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", GOOD)})
    assert response.status_code == 302
    assert employer.vacancies.count() == 2


def test_yes_no_columns_take_yes_or_no_only(accountmanager):
    """The walk of 4 December: "misschien" and "Yes" in banenafspraak were imported as "nee",
    and for loonkostensubsidie "yes" meant no but "1" yes."""
    content = (
        "titel;isco;uren;postcode;startdatum;banenafspraak;loonkostensubsidie\n"
        f"Vakkenvuller;9334;24;1211 AB;{START};misschien;ja\n"
        f"Kassamedewerker;5230;16;1211AB;{START};Yes;yes\n"
        f"Magazijn;9334;20;1211AB;{START};;1\n"
    ).encode()
    created, errors = services.vacancies_import(
        employer=factories.EmployerFactory(), filename="v.csv", content=content, by=accountmanager
    )
    assert created == 0 and not Vacancy.objects.exists()
    assert errors == [(2, "banenafspraak", "Vul ja of nee in (of laat leeg voor nee).")]
    fixed = content.replace(b"misschien", b"nee")
    created, errors = services.vacancies_import(
        employer=factories.EmployerFactory(), filename="v.csv", content=fixed, by=accountmanager
    )
    assert (created, errors) == (3, [])
    assert Vacancy.objects.get(title="Kassamedewerker").banenafspraak
    assert Vacancy.objects.get(title="Kassamedewerker").loonkostensubsidie
    assert not Vacancy.objects.get(title="Magazijn").banenafspraak
    assert Vacancy.objects.get(title="Magazijn").loonkostensubsidie


def test_the_import_page_counts_one_vacancy_in_the_singular(client, accountmanager, municipality):
    employer = factories.EmployerFactory(municipality=municipality)
    client.force_login(accountmanager)
    one = GOOD.split(b"\n")[0] + b"\n" + GOOD.split(b"\n")[1] + b"\n"
    url = reverse("employers:vacancy_import", args=[employer.pk])
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", one)}, follow=True)
    assert "1 vacature geïmporteerd." in response.content.decode()
