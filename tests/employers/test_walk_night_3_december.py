"""The new user's walk of 3 December (night): a vacancy starting on 1-1-1990 was accepted (S4);
its start lies at most a year before the day the vacancy is registered. A commitment's kind
(SROI or banenafspraak) is not chosen for the user (S2)."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from common.exceptions import DomainError
from employers import services
from employers.forms import CommitmentForm
from employers.models import Vacancy

from .test_services import _create, _vacancy_kwargs

pytestmark = pytest.mark.django_db


def test_a_vacancy_starting_in_1990_is_refused(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    with pytest.raises(DomainError) as refused:
        services.vacancy_create(
            **_vacancy_kwargs(employer, accountmanager, start_date=dt.date(1990, 1, 1))
        )
    assert (refused.value.code, refused.value.field) == ("start_too_early", "start_date")
    assert not Vacancy.objects.exists()


def test_a_start_up_to_a_year_back_is_accepted(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    year_ago = dt.date.today() - relativedelta(years=1)
    vacancy = services.vacancy_create(
        **_vacancy_kwargs(employer, accountmanager, start_date=year_ago)
    )
    assert vacancy.start_date == year_ago
    with pytest.raises(DomainError) as refused:
        services.vacancy_create(
            **_vacancy_kwargs(employer, accountmanager, start_date=year_ago - dt.timedelta(days=1))
        )
    assert refused.value.code == "start_too_early"


def test_an_update_keeps_an_old_start_but_refuses_a_new_one_long_ago(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    vacancy = services.vacancy_create(**_vacancy_kwargs(employer, accountmanager))
    # a vacancy registered before the rule, with an old start
    Vacancy.objects.filter(pk=vacancy.pk).update(start_date=dt.date(2001, 1, 1))
    vacancy.refresh_from_db()
    kwargs = _vacancy_kwargs(employer, accountmanager, start_date=dt.date(2001, 1, 1))
    kwargs.pop("employer")
    services.vacancy_update(vacancy=vacancy, **kwargs | {"title": "Vakkenvuller (24 uur)"})
    with pytest.raises(DomainError) as refused:
        services.vacancy_update(vacancy=vacancy, **kwargs | {"start_date": dt.date(1990, 1, 1)})
    assert refused.value.code == "start_too_early"


def test_the_vacancy_import_refuses_an_old_start(municipality, accountmanager):
    employer = _create(municipality, accountmanager)
    content = b"titel;isco;uren;postcode;startdatum\nVakkenvuller;9334;24;1211AB;1990-01-01\n"
    created, errors = services.vacancies_import(
        employer=employer, filename="vacatures.csv", content=content, by=accountmanager
    )
    assert created == 0
    assert [(column, message[:40]) for _line, column, message in errors] == [
        ("startdatum", "De startdatum ligt meer dan een jaar vóó")
    ]


def test_the_commitment_kind_is_not_chosen_for_the_user():
    assert CommitmentForm.base_fields["kind"].choices[0][0] == ""
    form = CommitmentForm({"year": "2026", "number": "3"})
    assert not form.is_valid()
    assert form.errors["kind"] == ["Kies SROI of banenafspraak."]
