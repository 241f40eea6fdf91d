"""The employer pages (issue 18, employers and vacancies): who may open what, the account manager
registers an employer and a vacancy in the browser, bad input comes back with what was typed and a
Dutch message at the field, the worklist's query count does not grow with the vacancies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload.models import Role
from employers.models import Employer, Occupation, Vacancy, VacancyStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def am_client(client, accountmanager):
    client.force_login(accountmanager)
    return client


def test_account_manager_registers_employer_and_vacancy(am_client, accountmanager, municipality):
    response = am_client.post(
        reverse("employers:employer_create"),
        {
            "name": "Bakkerij De Gooische Bol",
            "kvk_number": "12345678",
            "sbi_code": "1071",
            "account_manager": accountmanager.pk,
            "address": "Kerkstraat 1",
            "postcode": "1211 AB",
            "city": "Hilversum",
        },
    )
    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("employers:employer_detail", args=[employer.pk])
    assert employer.municipality == municipality
    page = am_client.get(response.url)
    assert "1211AB" in page.content.decode()
    assert "C Industrie" in page.content.decode()

    response = am_client.post(
        reverse("employers:vacancy_create", args=[employer.pk]),
        {
            "title": "Bakkersassistent",
            "occupation": Occupation.objects.get(code="7512").pk,
            "hours_per_week": "32",
            "postcode": "1211AB",
            "education_level": "mbo2",
            "requirements": "Vroeg beginnen",
            "start_date": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
            "banenafspraak": "on",
        },
    )
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert vacancy.banenafspraak and not vacancy.loonkostensubsidie
    worklist = am_client.get(reverse("employers:worklist")).content.decode()
    assert "Bakkersassistent" in worklist and "binnen 14 dagen" in worklist

    response = am_client.post(
        reverse("employers:vacancy_close", args=[vacancy.pk]),
        {"result": VacancyStatus.FILLED, "closed_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    assert "Bakkersassistent" not in am_client.get(reverse("employers:worklist")).content.decode()


def test_bad_employer_keeps_what_was_typed(am_client, municipality):
    response = am_client.post(
        reverse("employers:employer_create"),
        {
            "name": "Garage Vos",
            "kvk_number": "1234",
            "sbi_code": "4520",
            "address": "Laan 2",
            "postcode": "1211AB",
            "city": "Hilversum",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Een KvK-nummer bestaat uit acht cijfers." in html
    assert 'value="Garage Vos"' in html and 'value="1234"' in html
    assert 'aria-invalid="true"' in html
    assert not Employer.objects.exists()


def test_every_field_s_mistake_is_shown_at_once(am_client, municipality):
    """The walk of 4 December: a bad KvK number, SBI code and postcode took three submits, one
    message each (the service stops at the first); the form now shows all three, and the
    location form and the vacancy form check their postcode the same way."""
    response = am_client.post(
        reverse("employers:employer_create"),
        {
            "name": "Garage Vos",
            "kvk_number": "12ab",
            "sbi_code": "Walk34 t",
            "address": "Laan 2",
            "postcode": "Walk34",
            "city": "Hilversum",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Een KvK-nummer bestaat uit acht cijfers." in html
    assert "Vul een SBI-code in van twee tot vijf cijfers" in html
    assert "Vul een postcode in als 1234 AB." in html
    assert 'value="12ab"' in html and 'value="Walk34 t"' in html and 'value="Walk34"' in html
    assert not Employer.objects.exists()


def test_bad_sbi_code_message(am_client, municipality):
    response = am_client.post(
        reverse("employers:employer_create"),
        {
            "name": "X",
            "kvk_number": "12345678",
            "sbi_code": "44",
            "address": "A 1",
            "postcode": "1211AB",
            "city": "H",
        },
    )
    assert response.status_code == 422
    assert "afdeling van SBI 2008" in response.content.decode()


def test_bad_vacancy_keeps_input(am_client, municipality):
    employer = factories.EmployerFactory(municipality=municipality)
    response = am_client.post(
        reverse("employers:vacancy_create", args=[employer.pk]),
        {
            "title": "Magazijnmedewerker",
            "occupation": Occupation.objects.get(code="9333").pk,
            "hours_per_week": "48",
            "postcode": "1211AB",
            "start_date": dt.date.today().isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "hoogstens 40" in html and 'value="Magazijnmedewerker"' in html and 'value="48"' in html
    assert not Vacancy.objects.exists()


def test_contact_error_on_employer_page_keeps_input(am_client, municipality):
    employer = factories.EmployerFactory(municipality=municipality)
    response = am_client.post(
        reverse("employers:contact_add", args=[employer.pk]),
        {"contact-name": "Els de Vries", "contact-role": "HR"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Vul een telefoonnummer of een e-mailadres in." in html
    assert 'value="Els de Vries"' in html
    response = am_client.post(
        reverse("employers:contact_add", args=[employer.pk]),
        {"contact-name": "Els de Vries", "contact-email": "els@bol.nl"},
    )
    assert response.status_code == 302
    assert employer.contacts.get().email == "els@bol.nl"


def test_close_in_future_refused(am_client, municipality):
    vacancy = factories.VacancyFactory(employer__municipality=municipality)
    response = am_client.post(
        reverse("employers:vacancy_close", args=[vacancy.pk]),
        {
            "result": VacancyStatus.WITHDRAWN,
            "closed_on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "De sluitdatum kan niet in de toekomst liggen." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "list_status", "create_status", "worklist_status"),
    [
        (Role.ACCOUNT_MANAGER, 200, 200, 200),
        (Role.TEAMLEIDER, 200, 403, 200),
        (Role.BEHEER, 200, 403, 200),
        (Role.CONSULENT, 403, 403, 200),
        (Role.MANAGER, 403, 403, 403),
        (Role.FINANCE, 403, 403, 403),
        (Role.PRIVACY, 403, 403, 403),
    ],
)
def test_roles(client, municipality, role, list_status, create_status, worklist_status):
    team = (
        factories.TeamFactory(municipality=municipality)
        if role in (Role.CONSULENT, Role.TEAMLEIDER)
        else None
    )
    client.force_login(factories.UserFactory(role=role, team=team))
    assert client.get(reverse("employers:employer_list")).status_code == list_status
    assert client.get(reverse("employers:employer_create")).status_code == create_status
    assert client.get(reverse("employers:worklist")).status_code == worklist_status


def test_team_roles_see_their_municipality_only(client, municipality):
    own = factories.VacancyFactory(employer__municipality=municipality, title="Eigen vacature")
    other_m = factories.MunicipalityFactory(name="Wijdemeren", cbs_code="GM1696")
    other = factories.VacancyFactory(employer__municipality=other_m, title="Andere vacature")
    consulent = factories.UserFactory(
        role=Role.CONSULENT, team=factories.TeamFactory(municipality=municipality)
    )
    client.force_login(consulent)
    html = client.get(reverse("employers:worklist")).content.decode()
    assert "Eigen vacature" in html and "Andere vacature" not in html
    assert client.get(reverse("employers:vacancy_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("employers:vacancy_detail", args=[own.pk])).status_code == 200


def test_worklist_query_count_is_fixed(am_client, municipality):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = am_client.get(reverse("employers:worklist"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    factories.VacancyFactory(employer__municipality=municipality)
    few = count()
    for _ in range(10):
        factories.VacancyFactory(employer__municipality=municipality)
    assert count() == few


def test_employer_list_search(am_client, municipality):
    factories.EmployerFactory(municipality=municipality, name="Bakkerij Bol", kvk_number="11112222")
    factories.EmployerFactory(municipality=municipality, name="Garage Vos", kvk_number="33334444")
    html = am_client.get(reverse("employers:employer_list"), {"q": "bol"}).content.decode()
    assert "Bakkerij Bol" in html and "Garage Vos" not in html
    html = am_client.get(reverse("employers:employer_list"), {"q": "3333"}).content.decode()
    assert "Garage Vos" in html and "Bakkerij Bol" not in html


def test_the_account_manager_is_chosen_by_name(am_client, accountmanager, municipality):
    """The walk of 4 December: the select listed logins ("accountmanager")."""
    accountmanager.first_name, accountmanager.last_name = "Jinthe", "van Hoevel"
    accountmanager.save()
    html = am_client.get(reverse("employers:employer_create")).content.decode()
    assert f'<option value="{accountmanager.pk}" selected>Jinthe van Hoevel</option>' in html
