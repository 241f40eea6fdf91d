"""The new user's walk of 3 December (night), S4: a registration by hand accepted a birth date of
1-1-1800 (an age of 226). A birth date gives an age of at most 120 and lies in the past, for the
applicant and for a partner typed by hand, in the form and in the service."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload.models import HouseholdType, Resident
from common import clock
from common.exceptions import DomainError
from registers import services
from registers.forms import ApplicationRegisterForm

pytestmark = pytest.mark.django_db

TOO_OLD = "Met deze geboortedatum is de inwoner ouder dan 120 jaar: controleer de datum."


def _data(**extra) -> dict:
    return {
        "first_name": "Test",
        "name_prefix": "",
        "last_name": "Handmatig",
        "birth_date": "1800-01-01",
        "street": "Stationsstraat",
        "house_number": "3a",
        "postcode": "1211ab",
        "city": "Hilversum",
        "household_type": HouseholdType.COUPLE,
        "children_count": "0",
        "received_on": clock.today().isoformat(),
        "regime": "pw",
        "partner_bsn": "111222333",
        "partner_first_name": "Partner",
        "partner_last_name": "Handmatig",
        "partner_birth_date": "1850-05-01",
    } | extra


def test_the_form_refuses_a_birth_date_of_1800_for_applicant_and_partner():
    form = ApplicationRegisterForm(_data(), by_hand=True, applicant_bsn="999900006")
    assert not form.is_valid()
    assert form.errors["birth_date"] == [TOO_OLD]
    assert form.errors["partner_birth_date"] == [TOO_OLD]


def test_the_form_accepts_an_age_of_120_and_refuses_a_birth_date_in_the_future():
    today = clock.today()
    born_120 = today.replace(year=today.year - 120)
    form = ApplicationRegisterForm(
        _data(birth_date=born_120.isoformat(), partner_birth_date="2099-01-01"),
        by_hand=True,
        applicant_bsn="999900006",
    )
    form.is_valid()
    assert "birth_date" not in form.errors
    assert form.errors["partner_birth_date"] == ["De geboortedatum moet in het verleden liggen."]


def _register(consulent, *, applicant_born: dt.date, partner_born: dt.date | None = None):
    person = services.PersonDetails
    return services.new_application_register(
        team=consulent.team,
        consulent=consulent,
        applicant=person(
            bsn="999900055",
            first_name="Test",
            name_prefix="",
            last_name="Handmatig",
            birth_date=applicant_born,
        ),
        partner=None
        if partner_born is None
        else person(
            bsn="111222333",
            first_name="Partner",
            name_prefix="",
            last_name="Handmatig",
            birth_date=partner_born,
        ),
        address=services.AddressDetails(
            street="Stationsstraat", house_number="3", postcode="1211 OH", city="Hilversum"
        ),
        household_type=HouseholdType.SINGLE if partner_born is None else HouseholdType.COUPLE,
        children_count=0,
        received_on=clock.today(),
        regime="pw",
        source="handmatig",
        is_fake=True,
    )


def test_the_service_refuses_a_birth_date_of_1800(consulent):
    with pytest.raises(DomainError) as refused:
        _register(consulent, applicant_born=dt.date(1800, 1, 1))
    assert (refused.value.code, refused.value.field) == ("birth_date_too_old", "birth_date")
    assert not Resident.objects.exists()


def test_the_service_refuses_a_partner_born_in_1800_before_any_bsn_is_checked(consulent):
    with pytest.raises(DomainError) as refused:
        _register(consulent, applicant_born=dt.date(1990, 4, 1), partner_born=dt.date(1800, 1, 1))
    assert (refused.value.code, refused.value.field) == ("birth_date_too_old", "register_partner")
    assert not Resident.objects.exists()
