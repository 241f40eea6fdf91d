"""factory-boy factories with Dutch fake data; traits are named after business states."""

from __future__ import annotations

import datetime as dt
import random

import factory
from factory.django import DjangoModelFactory

from caseload import models
from common.bsn import generate_fake_bsn

_bsn_rng = random.Random(20261122)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = models.Municipality
        django_get_or_create = ["cbs_code"]

    name = "Testgemeente"
    cbs_code = "GM9999"


class MunicipalityYearFactory(DjangoModelFactory):
    class Meta:
        model = models.MunicipalityYear

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2026
    population = 90_000
    population_18_plus = 73_000
    population_15_64 = 58_000
    population_15_74 = 67_000
    average_benefit_cost = 14_400


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = models.District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wijk {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = models.Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = models.Team.Kind.WORK


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = models.Role.CONSULENT
    team = factory.SubFactory(TeamFactory)
    password = factory.django.Password("geheim-wachtwoord-123")

    class Params:
        teamleider = factory.Trait(role=models.Role.TEAMLEIDER)
        manager = factory.Trait(role=models.Role.MANAGER, team=None)
        finance = factory.Trait(role=models.Role.FINANCE, team=None)
        beheer = factory.Trait(role=models.Role.BEHEER, team=None, is_staff=True)
        privacy = factory.Trait(role=models.Role.PRIVACY, team=None)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = models.Household

    municipality = factory.SubFactory(MunicipalityFactory)
    household_type = models.HouseholdType.SINGLE
    street = factory.Faker("street_name", locale="nl_NL")
    house_number = factory.Sequence(lambda n: str(n % 300 + 1))
    postcode = "1211 AB"
    city = "Hilversum"


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = models.Resident

    municipality = factory.SelfAttribute("household.municipality")
    household = factory.SubFactory(HouseholdFactory)
    team = factory.SubFactory(TeamFactory, municipality=factory.SelfAttribute("..municipality"))
    bsn = factory.LazyFunction(lambda: generate_fake_bsn(_bsn_rng))
    is_fake = True
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    birth_date = dt.date(1985, 6, 15)
    education_level = models.EducationLevel.MBO2
    has_startkwalificatie = True
    language_level = models.LanguageLevel.NATIVE

    class Params:
        young_without_startkwalificatie = factory.Trait(
            birth_date=factory.LazyFunction(
                lambda: dt.date.today().replace(year=dt.date.today().year - 22, day=1)
            ),
            education_level=models.EducationLevel.VMBO,
            has_startkwalificatie=False,
        )
        status_holder = factory.Trait(is_status_holder=True, language_level=models.LanguageLevel.A1)


class BenefitFactory(DjangoModelFactory):
    class Meta:
        model = models.Benefit

    household = factory.SelfAttribute("applicant.household")
    applicant = factory.SubFactory(ResidentFactory)
    regime = models.Regime.ALGEMENE_BIJSTAND
    start_date = dt.date(2024, 1, 1)

    class Params:
        ended_for_work = factory.Trait(
            end_date=dt.date(2025, 6, 30), end_reason=models.CbsEndReason.EMPLOYMENT
        )


class GroupAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = models.GroupAssignment

    resident = factory.SubFactory(ResidentFactory)
    group = 2
    decided_on = dt.date(2025, 1, 10)
    reassess_on = dt.date(2026, 1, 10)
    reason = "Brede intake afgerond"
    decided_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))


class InstrumentFactory(DjangoModelFactory):
    class Meta:
        model = models.Instrument
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"instrument-{n}")
    name = factory.Sequence(lambda n: f"Instrument {n}")
    category = models.Instrument.Category.WORK


class TrajectoryFactory(DjangoModelFactory):
    class Meta:
        model = models.Trajectory

    resident = factory.SubFactory(ResidentFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    started_on = dt.date(2025, 3, 1)
    created_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))

    class Params:
        closed = factory.Trait(
            ended_on=dt.date(2025, 9, 1), result=models.Trajectory.Result.COMPLETED
        )
