"""A resident belongs to their household's municipality, enforced by the database at commit
(migration caseload 0024): the municipality filters of the indicator fill rely on it (issue 17).

The tests run inside a transaction that is never committed, so each asks for the deferred
checks with ``SET CONSTRAINTS ... IMMEDIATE``, which runs the pending ones at once."""

import pytest
from django.db import IntegrityError, connection, transaction

from caseload.models import Household, Resident
from common import rls
from tests import factories

pytestmark = pytest.mark.django_db

CHECKS = "resident_household_municipality, household_residents_municipality"


def _check_now() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {CHECKS} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {CHECKS} DEFERRED")


@pytest.fixture
def other():
    return factories.MunicipalityFactory(cbs_code="GM9997", name="Andere gemeente")


def test_a_resident_of_another_municipality_than_their_household_is_refused(other):
    resident = factories.ResidentFactory()
    with pytest.raises(IntegrityError, match="different municipalities"), transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(municipality=other)
        _check_now()
    elsewhere = factories.HouseholdFactory(municipality=other)
    with pytest.raises(IntegrityError, match="different municipalities"), transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(household=elsewhere)
        _check_now()
    # a household of the same municipality is fine
    same = factories.HouseholdFactory(municipality=resident.municipality)
    Resident.objects.filter(pk=resident.pk).update(household=same)
    _check_now()
    assert Resident.objects.get(pk=resident.pk).household == same


def test_a_household_moves_only_with_its_residents(other):
    resident = factories.ResidentFactory()
    household = resident.household
    with pytest.raises(IntegrityError, match="municipalit"), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(municipality=other)
        _check_now()
    # the household and its resident together, in one transaction: checked at its end
    with transaction.atomic():
        Household.objects.filter(pk=household.pk).update(municipality=other)
        Resident.objects.filter(pk=resident.pk).update(municipality=other)
        _check_now()
    assert Resident.objects.get(pk=resident.pk).municipality == other


def test_the_refusal_names_no_bsn(other):
    resident = factories.ResidentFactory()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(municipality=other)
        _check_now()
    assert resident.bsn not in str(refused.value)


def test_the_application_role_cannot_put_its_resident_in_another_municipalitys_household(other):
    """As the application role acting for A, B's household is invisible, but the foreign key
    and row-level security let the update through (the resident stays A's): the check runs as
    its owner and sees B's household."""
    rls.policies_apply()  # idempotent; a reused test database made before the policies
    resident = factories.ResidentFactory()
    elsewhere = factories.HouseholdFactory(municipality=other)
    with rls.acting_for([resident.municipality_id]):
        assert not Household.objects.filter(pk=elsewhere.pk).exists()  # invisible to A
        with pytest.raises(IntegrityError, match="different municipalities"), transaction.atomic():
            Resident.objects.filter(pk=resident.pk).update(household_id=elsewhere.pk)
            _check_now()
    assert Resident.objects.get(pk=resident.pk).household_id == resident.household_id
