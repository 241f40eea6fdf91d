"""The factories themselves: every factory, plain and with each trait, builds a row that passes
``full_clean()`` (field validation, ``clean()`` and the model constraints), and every resident it
creates has a fake BSN that passes the 11-test. A new factory or trait is picked up automatically.
"""

from __future__ import annotations

import inspect

import factory
import pytest
from django.db import models as dj_models
from factory.django import DjangoModelFactory

from caseload.models import Resident
from common.bsn import is_valid_bsn
from tests import factories


def _factories() -> list[type[DjangoModelFactory]]:
    return [
        obj
        for _, obj in inspect.getmembers(factories, inspect.isclass)
        if issubclass(obj, DjangoModelFactory)
        and obj.__module__ == factories.__name__
        and obj._meta.model is not None
    ]


def _variants() -> list[tuple[type[DjangoModelFactory], str | None]]:
    out: list[tuple[type[DjangoModelFactory], str | None]] = []
    for factory_class in _factories():
        out.append((factory_class, None))
        for name, declaration in factory_class._meta.parameters.items():
            if isinstance(declaration, factory.Trait):
                out.append((factory_class, name))
    return out


VARIANTS = _variants()


def test_the_factories_are_found():
    names = {factory_class.__name__ for factory_class, _ in VARIANTS}
    assert {"ResidentFactory", "BenefitFactory", "OutflowEventFactory"} <= names
    assert (factories.UserFactory, "teamleider") in VARIANTS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory_class", "trait"),
    VARIANTS,
    ids=[f"{c.__name__}-{t}" if t else c.__name__ for c, t in VARIANTS],
)
def test_factory_builds_a_valid_row(factory_class, trait):
    obj = factory_class(**({trait: True} if trait else {}))
    assert obj.pk is not None
    obj.full_clean()
    # and its related rows too (sub-factories), one level up
    for field in obj._meta.concrete_fields:
        if isinstance(field, dj_models.ForeignKey):
            related = getattr(obj, field.name)
            if related is not None:
                related.full_clean()
    for resident in Resident.objects.all():
        assert is_valid_bsn(resident.bsn)
        assert resident.is_fake
        assert resident.municipality_id == resident.household.municipality_id
        assert resident.team.municipality_id == resident.municipality_id


@pytest.mark.django_db
def test_resident_bsns_are_unique_and_valid_in_bulk():
    residents = factories.ResidentFactory.create_batch(200)
    bsns = [r.bsn for r in residents]
    assert len(set(bsns)) == len(bsns)
    assert all(is_valid_bsn(bsn) and bsn.startswith("9") for bsn in bsns)


@pytest.mark.django_db
def test_cross_row_consistency_of_dependent_factories():
    """Rows that the services tie together are tied together by the factories as well."""
    outflow = factories.OutflowEventFactory()
    assert outflow.resident == outflow.benefit.applicant
    assert outflow.benefit.household == outflow.resident.household
    assert outflow.recorded_by.team == outflow.resident.team

    granted = factories.ApplicationFactory(granted=True)
    assert granted.benefit.applicant == granted.resident
    assert granted.benefit.start_date >= granted.received_on

    assignment = factories.GroupAssignmentFactory()
    assert assignment.decided_by.team == assignment.resident.team
