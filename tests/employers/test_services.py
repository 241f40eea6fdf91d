"""Employer services (issue 18, employers and vacancies): each write succeeds with good input and
refuses each kind of bad input with a Dutch DomainError naming the field; the database holds the
same rules (constraints)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from caseload.models import EducationLevel, Role
from common.exceptions import DomainError
from employers import calculations, services
from employers.models import (
    CommitmentKind,
    Employer,
    EmployerCommitment,
    Occupation,
    Vacancy,
    VacancyStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_isco08_occupations_are_loaded_with_dutch_titles():
    assert Occupation.objects.count() == 436
    assert Occupation.objects.get(code="9334").title == "Schappenvullers"
    assert Occupation.objects.get(code="2512").title == "Softwareontwikkelaars"
    assert set(Occupation.objects.values_list("major_group", flat=True)) == set("0123456789")


def _create(municipality, accountmanager, **overrides):
    kwargs = {
        "municipality": municipality,
        "kvk_number": "12345678",
        "name": "Bakkerij De Gooische Bol",
        "sbi_code": "10.71",
        "account_manager": accountmanager,
        "by": accountmanager,
        "address": "Kerkstraat 1",
        "postcode": "1211 ab",
        "city": "Hilversum",
    } | overrides
    return services.employer_create(**kwargs)


def test_employer_create_with_first_location(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    assert employer.sbi_code == "1071"
    assert calculations.sbi_section(employer.sbi_code) == "C"
    location = employer.locations.get()
    assert (location.postcode, location.city) == ("1211AB", "Hilversum")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"kvk_number": "1234567"}, "kvk_number", "kvk_invalid"),
        ({"kvk_number": "1234567A"}, "kvk_number", "kvk_invalid"),
        ({"kvk_number": "00000000"}, "kvk_number", "kvk_invalid"),  # noticed 4 December
        ({"name": "  "}, "name", "required"),
        ({"sbi_code": "04"}, "sbi_code", "sbi_invalid"),  # no SBI 2008 division 04
        ({"sbi_code": "A"}, "sbi_code", "sbi_invalid"),
        ({"sbi_code": "471112"}, "sbi_code", "sbi_invalid"),
        ({"postcode": "0211AB"}, "postcode", "postcode_invalid"),
        ({"city": ""}, "city", "required"),
    ],
)
def test_employer_create_refuses(municipality, accountmanager, overrides, field, code):
    with pytest.raises(DomainError) as exc:
        _create(municipality, accountmanager, **overrides)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert Employer.objects.count() == 0  # atomic: no employer without its location either


def test_employer_create_refuses_a_non_account_manager(municipality, accountmanager):
    consulent = factories.UserFactory(role=Role.CONSULENT)
    with pytest.raises(DomainError) as exc:
        _create(municipality, accountmanager, account_manager=consulent)
    assert exc.value.field == "account_manager"


def test_kvk_unique_per_municipality(municipality, accountmanager):
    _create(municipality, accountmanager)
    with pytest.raises(DomainError) as exc:
        _create(municipality, accountmanager, name="Ander")
    assert exc.value.code == "kvk_duplicate"
    other = factories.MunicipalityFactory(name="Wijdemeren", cbs_code="GM1696")
    assert _create(other, accountmanager).municipality == other


def test_employer_update(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    services.employer_update(
        employer=employer,
        kvk_number="87654321",
        name="Bakkerij Bol",
        sbi_code="47",
        account_manager=None,
        by=accountmanager,
    )
    employer.refresh_from_db()
    assert (employer.kvk_number, employer.name, employer.sbi_code) == (
        "87654321",
        "Bakkerij Bol",
        "47",
    )
    assert employer.account_manager is None
    with pytest.raises(DomainError):
        services.employer_update(
            employer=employer,
            kvk_number="x",
            name="B",
            sbi_code="47",
            account_manager=None,
            by=accountmanager,
        )


def test_contact_needs_phone_or_valid_email(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    contact = services.employer_contact_add(
        employer=employer,
        name="Els de Vries",
        role="HR",
        phone="",
        email="els@bol.nl",
        by=accountmanager,
    )
    assert contact.email == "els@bol.nl"
    with pytest.raises(DomainError) as exc:
        services.employer_contact_add(
            employer=employer, name="Piet", role="", phone="", email="", by=accountmanager
        )
    assert exc.value.code == "contact_unreachable"
    with pytest.raises(DomainError) as exc:
        services.employer_contact_add(
            employer=employer, name="Piet", role="", phone="", email="geen-adres", by=accountmanager
        )
    assert exc.value.field == "email"
    with pytest.raises(DomainError) as exc:
        services.employer_contact_add(
            employer=employer, name="", role="", phone="035 123 45 67", email="", by=accountmanager
        )
    assert exc.value.field == "name"


def test_commitment_set_replaces_the_years_number(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    services.employer_commitment_set(
        employer=employer, kind=CommitmentKind.BANENAFSPRAAK, year=2026, number=3, by=accountmanager
    )
    services.employer_commitment_set(
        employer=employer, kind=CommitmentKind.BANENAFSPRAAK, year=2026, number=5, by=accountmanager
    )
    assert EmployerCommitment.objects.get().number == 5
    for kwargs, field in (
        ({"kind": "x", "year": 2026, "number": 1}, "kind"),
        ({"kind": "sroi", "year": 1999, "number": 1}, "year"),
        ({"kind": "sroi", "year": 2026, "number": -1}, "number"),
    ):
        with pytest.raises(DomainError) as exc:
            services.employer_commitment_set(employer=employer, by=accountmanager, **kwargs)
        assert exc.value.field == field


def _vacancy_kwargs(employer, accountmanager, **overrides):
    return {
        "employer": employer,
        "occupation": Occupation.objects.get(code="9334"),
        "title": "Vakkenvuller",
        "hours_per_week": "24,5",
        "postcode": "1211AB",
        "education_level": EducationLevel.MBO1,
        "requirements": "Fysiek fit",
        "start_date": dt.date.today() + dt.timedelta(days=30),
        "banenafspraak": True,
        "loonkostensubsidie": True,
        "by": accountmanager,
    } | overrides


def test_vacancy_create_update_close(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    vacancy = services.vacancy_create(**_vacancy_kwargs(employer, accountmanager))
    assert vacancy.hours_per_week == Decimal("24.5")
    assert (vacancy.status, vacancy.opened_on) == (VacancyStatus.OPEN, dt.date.today())
    services.vacancy_update(
        vacancy=vacancy,
        **{
            k: v
            for k, v in _vacancy_kwargs(employer, accountmanager, title="Vulploeg").items()
            if k != "employer"
        },
    )
    vacancy.refresh_from_db()
    assert vacancy.title == "Vulploeg"
    services.vacancy_close(
        vacancy=vacancy, on=dt.date.today(), result=VacancyStatus.FILLED, by=accountmanager
    )
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.closed_on) == (VacancyStatus.FILLED, dt.date.today())
    with pytest.raises(DomainError) as exc:
        services.vacancy_update(
            vacancy=vacancy,
            **{
                k: v
                for k, v in _vacancy_kwargs(employer, accountmanager).items()
                if k != "employer"
            },
        )
    assert exc.value.code == "vacancy_closed"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"occupation": None}, "occupation", "required"),
        ({"title": ""}, "title", "required"),
        ({"hours_per_week": "0"}, "hours_per_week", "hours_invalid"),
        ({"hours_per_week": "40,5"}, "hours_per_week", "hours_invalid"),
        ({"hours_per_week": "12,25"}, "hours_per_week", "hours_invalid"),
        ({"hours_per_week": "veel"}, "hours_per_week", "hours_invalid"),
        ({"postcode": "12"}, "postcode", "postcode_invalid"),
        ({"education_level": "phd"}, "education_level", "education_level_invalid"),
        ({"start_date": None}, "start_date", "required"),
    ],
)
def test_vacancy_create_refuses(municipality, accountmanager, overrides, field, code):
    employer = _create(municipality, accountmanager)
    with pytest.raises(DomainError) as exc:
        services.vacancy_create(**_vacancy_kwargs(employer, accountmanager, **overrides))
    assert (exc.value.field, exc.value.code) == (field, code)
    assert Vacancy.objects.count() == 0


def test_vacancy_close_refusals_in_order(municipality, accountmanager):
    vacancy = factories.VacancyFactory(opened_on=dt.date.today() - dt.timedelta(days=3))
    today = dt.date.today()
    for on, result, code in (
        (today, "verdwenen", "result_invalid"),
        (today - dt.timedelta(days=4), VacancyStatus.WITHDRAWN, "before_start"),
        (today + dt.timedelta(days=1), VacancyStatus.WITHDRAWN, "in_future"),
    ):
        with pytest.raises(DomainError) as exc:
            services.vacancy_close(vacancy=vacancy, on=on, result=result, by=accountmanager)
        assert exc.value.code == code
    services.vacancy_close(
        vacancy=vacancy, on=today, result=VacancyStatus.WITHDRAWN, by=accountmanager
    )
    with pytest.raises(DomainError) as exc:
        services.vacancy_close(vacancy=vacancy, on=today, result="foo", by=accountmanager)
    assert exc.value.code == "already_closed"


@pytest.mark.parametrize(
    ("model", "values"),
    [
        ("employer", {"kvk_number": "123"}),
        ("employer", {"sbi_code": "A1"}),
        ("vacancy", {"hours_per_week": Decimal("41")}),
        ("vacancy", {"postcode": "1211ab"}),
        ("vacancy", {"status": VacancyStatus.FILLED}),  # closed without a date
        ("vacancy", {"closed_on": dt.date.today()}),  # a date while open
    ],
)
def test_database_constraints(model, values):
    obj = factories.EmployerFactory() if model == "employer" else factories.VacancyFactory()
    for key, value in values.items():
        setattr(obj, key, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
