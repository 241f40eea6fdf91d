"""The employer services' API (issue 18): /api/v1/employers/ employers and vacancies, create, read,
update with If-Match, close; structured Dutch errors; scoped like the pages; no delete."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from caseload.models import Role
from employers.models import Employer, Vacancy, VacancyStatus
from tests import factories

pytestmark = pytest.mark.django_db

EMPLOYERS = "/api/v1/employers/employers/"
VACANCIES = "/api/v1/employers/vacancies/"


@pytest.fixture
def api(accountmanager):
    client = APIClient()
    client.force_login(accountmanager)
    return client


def test_create_read_update_employer(api, accountmanager, municipality):
    response = api.post(
        EMPLOYERS,
        {
            "name": "Zorggroep Gooi",
            "kvk_number": "23456789",
            "sbi_code": "87.10",
            "account_manager": accountmanager.pk,
            "locations": [{"address": "Laan 5", "postcode": "1217 ab", "city": "Hilversum"}],
            "contacts": [{"name": "Anna Bos", "role": "HR", "email": "anna@zorg.nl"}],
            "commitments": [{"kind": "banenafspraak", "year": 2026, "number": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sbi_code"] == "8710" and body["sbi_section"] == "Q"
    assert body["locations"][0]["postcode"] == "1217AB"
    assert body["commitments"] == [{"kind": "banenafspraak", "year": 2026, "number": 4}]
    url = f"{EMPLOYERS}{body['id']}/"
    got = api.get(url)
    etag = got["ETag"]
    assert api.patch(url, {"name": "Zorggroep 't Gooi"}, format="json").status_code == 428
    assert api.patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH='"oud"').status_code == 412
    response = api.patch(url, {"name": "Zorggroep 't Gooi"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert Employer.objects.get().name == "Zorggroep 't Gooi"
    assert api.delete(url).status_code == 405


def test_employer_errors_are_structured_and_dutch(api, municipality):
    response = api.post(
        EMPLOYERS, {"name": "X", "kvk_number": "123", "sbi_code": "47"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "kvk_invalid",
            "message": "Een KvK-nummer bestaat uit acht cijfers.",
            "field": "kvk_number",
        }
    ]
    # a bad location rolls the whole employer back
    response = api.post(
        EMPLOYERS,
        {
            "name": "X",
            "kvk_number": "12345678",
            "sbi_code": "47",
            "locations": [{"address": "A 1", "postcode": "12", "city": "H"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "postcode"
    assert not Employer.objects.exists()


def test_vacancy_create_update_close(api, municipality):
    employer = factories.EmployerFactory(municipality=municipality)
    response = api.post(
        VACANCIES,
        {
            "employer": employer.pk,
            "occupation": "5223",
            "title": "Verkoopmedewerker",
            "hours_per_week": "20.0",
            "postcode": "1211AB",
            "start_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
            "banenafspraak": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["occupation"], body["occupation_title"], body["status"]) == (
        "5223",
        "Verkoopmedewerkers",
        "open",
    )
    url = f"{VACANCIES}{body['id']}/"
    etag = api.get(url)["ETag"]
    response = api.patch(url, {"hours_per_week": "50"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "hours_per_week"
    response = api.patch(url, {"hours_per_week": "24"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    etag = response["ETag"]
    response = api.post(
        f"{url}close/",
        {"result": "vervuld", "closed_on": dt.date.today().isoformat()},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    assert Vacancy.objects.get().status == VacancyStatus.FILLED
    assert api.get(VACANCIES).json()["results"][0]["status"] == "vervuld"


def test_scoping_and_roles(municipality):
    other_m = factories.MunicipalityFactory(name="Wijdemeren", cbs_code="GM1696")
    foreign = factories.VacancyFactory(employer__municipality=other_m)
    own = factories.VacancyFactory(employer__municipality=municipality)
    client = APIClient()
    teamleider = factories.UserFactory(
        role=Role.TEAMLEIDER, team=factories.TeamFactory(municipality=municipality)
    )
    client.force_login(teamleider)
    ids = {v["id"] for v in client.get(VACANCIES).json()["results"]}
    assert ids == {own.pk}
    assert client.get(f"{VACANCIES}{foreign.pk}/").status_code == 404
    assert client.post(VACANCIES, {}, format="json").status_code == 403  # reads only
    client.force_login(factories.UserFactory(role=Role.MANAGER, team=None))
    assert client.get(EMPLOYERS).status_code == 403


def test_vacancy_for_an_employer_out_of_scope_is_404(municipality):
    other_m = factories.MunicipalityFactory(name="Wijdemeren", cbs_code="GM1696")
    employer = factories.EmployerFactory(municipality=other_m)
    user = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    client = APIClient()
    client.force_login(user)
    data = {
        "employer": employer.pk,
        "occupation": "5223",
        "title": "X",
        "hours_per_week": "20.0",
        "postcode": "1211AB",
        "start_date": dt.date.today().isoformat(),
    }
    assert client.post(VACANCIES, data, format="json").status_code == 201  # every municipality
    data["employer"] = 987654
    assert client.post(VACANCIES, data, format="json").status_code == 404
