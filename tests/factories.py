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


def _tag(n: int) -> str:
    """Three letters per sequence number (fixed width, so no tag is part of another)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n %= 26**3
    return letters[n // 676].upper() + letters[n // 26 % 26] + letters[n % 26]


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = models.Resident

    municipality = factory.SelfAttribute("household.municipality")
    household = factory.SubFactory(HouseholdFactory)
    team = factory.SubFactory(TeamFactory, municipality=factory.SelfAttribute("..municipality"))
    bsn = factory.LazyFunction(lambda: generate_fake_bsn(_bsn_rng))
    is_fake = True
    first_name = factory.Faker("first_name", locale="nl_NL")
    # a generated surname plus a tag of its own: tests that check a resident's name is NOT on a
    # page cannot then fail on another resident's or the signed-in user's surname drawn the same
    # (a clean-clone run drew "Roose" for a resident and the account manager)
    last_name = factory.LazyAttributeSequence(lambda o, n: f"{o.surname}-{_tag(n)}")
    birth_date = dt.date(1985, 6, 15)
    education_level = models.EducationLevel.MBO2
    has_startkwalificatie = True
    language_level = models.LanguageLevel.NATIVE

    class Params:
        surname = factory.Faker("last_name", locale="nl_NL")
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


# ---- appended for the caseload model/service tests (#2) ----------------------------------


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = models.Application

    resident = factory.SubFactory(ResidentFactory)
    received_on = dt.date(2024, 1, 10)

    class Params:
        granted = factory.Trait(
            outcome=models.Application.Outcome.GRANTED,
            decided_on=dt.date(2024, 2, 1),
            benefit=factory.SubFactory(
                BenefitFactory,
                applicant=factory.SelfAttribute("..resident"),
                start_date=dt.date(2024, 1, 10),
            ),
        )
        rejected = factory.Trait(
            outcome=models.Application.Outcome.REJECTED, decided_on=dt.date(2024, 2, 1)
        )
        prevented = factory.Trait(
            outcome=models.Application.Outcome.PREVENTED,
            decided_on=dt.date(2024, 1, 20),
            prevention_route=models.Application.PreventionRoute.WW_COACHING,
        )


class BenefitPaymentFactory(DjangoModelFactory):
    class Meta:
        model = models.BenefitPayment

    benefit = factory.SubFactory(BenefitFactory)
    month = dt.date(2024, 1, 1)
    amount_paid = 1_250

    class Params:
        with_part_time_income = factory.Trait(amount_paid=850, income_offset=400)


class OutflowEventFactory(DjangoModelFactory):
    """Default: full outflow to work on a permanent contract."""

    class Meta:
        model = models.OutflowEvent

    benefit = factory.SubFactory(BenefitFactory)
    resident = factory.SelfAttribute("benefit.applicant")
    kind = models.OutflowEvent.Kind.FULL
    reason = models.OutflowEvent.Reason.WORK
    occurred_on = dt.date(2025, 5, 1)
    hours_per_week = 36
    employer = factory.Faker("company", locale="nl_NL")
    sector = "Zorg"
    contract_type = models.OutflowEvent.ContractType.PERMANENT
    recorded_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))

    class Params:
        partial = factory.Trait(kind=models.OutflowEvent.Kind.PARTIAL, hours_per_week=16)
        hours_increase = factory.Trait(
            kind=models.OutflowEvent.Kind.PARTIAL, is_hours_increase=True, hours_per_week=24
        )
        other_reason = factory.Trait(
            reason=models.OutflowEvent.Reason.OTHER,
            hours_per_week=None,
            employer="",
            sector="",
            contract_type="",
        )
        lasted = factory.Trait(still_off_benefit_6m=True, still_off_benefit_12m=True)


class ContactMomentFactory(DjangoModelFactory):
    class Meta:
        model = models.ContactMoment

    resident = factory.SubFactory(ResidentFactory)
    occurred_on = dt.date(2025, 4, 1)
    channel = models.ContactMoment.Channel.FACE_TO_FACE
    by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))
    summary = "Voortgangsgesprek"


class LadderScoreFactory(DjangoModelFactory):
    class Meta:
        model = models.LadderScore

    resident = factory.SubFactory(ResidentFactory)
    measured_on = dt.date(2025, 4, 1)
    step = models.LadderScore.Step.ORGANISED
    by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))


class FraudInvestigationFactory(DjangoModelFactory):
    class Meta:
        model = models.FraudInvestigation

    resident = factory.SubFactory(ResidentFactory)
    started_on = dt.date(2025, 2, 1)
    signal_source = models.FraudInvestigation.SignalSource.INLICHTINGENBUREAU

    class Params:
        benefit_ended = factory.Trait(
            ended_on=dt.date(2025, 4, 1),
            result=models.FraudInvestigation.Result.ENDED,
            claim_amount=2_400,
        )
        unchanged = factory.Trait(
            ended_on=dt.date(2025, 3, 1), result=models.FraudInvestigation.Result.UNCHANGED
        )


class DebtCaseFactory(DjangoModelFactory):
    class Meta:
        model = models.DebtCase

    resident = factory.SubFactory(ResidentFactory)
    applied_on = dt.date(2025, 1, 15)
    total_debt = 8_500

    class Params:
        settled = factory.Trait(
            closed_on=dt.date(2025, 9, 1), result=models.DebtCase.Result.SETTLED
        )


def api_token_approve(token, *, by=None):
    """Approve a pending API key with a resident-data scope as a privacy officer (issue 12,
    finding 2: such a key authenticates only after the privacy officer's approval)."""
    from apiauth import services as apiauth_services

    return apiauth_services.token_approve(token=token, by=by or UserFactory(privacy=True))


# ---- appended for corrections (issue 14) ------------------------------------------------------


class CorrectionFactory(DjangoModelFactory):
    """A withdrawn contact moment, as ``caseload.services.contact_withdraw`` records it."""

    class Meta:
        model = models.Correction

    resident = factory.SubFactory(ResidentFactory)
    fact_type = models.Correction.FactType.CONTACT
    fact_id = 1
    kind = models.Correction.Kind.WITHDRAWN
    reason = "Per vergissing vastgelegd"
    before = factory.LazyFunction(lambda: {"id": 1, "occurred_on": "2025-04-01"})
    affected_from = dt.date(2025, 4, 1)
    by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..resident.team"))


# --- Employer services (issue 18) ------------------------------------------------------------

from employers.models import Employer, Occupation, Vacancy  # noqa: E402


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    municipality = factory.SubFactory(MunicipalityFactory)
    kvk_number = factory.Sequence(lambda n: f"{10_000_000 + n:08d}")
    name = factory.Sequence(lambda n: f"Werkgever {n} B.V.")
    sbi_code = "4711"


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    occupation = factory.LazyFunction(lambda: Occupation.objects.get(code="9334"))
    title = factory.Sequence(lambda n: f"Vakkenvuller {n}")
    hours_per_week = 24
    postcode = "1211AB"
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    opened_on = factory.LazyFunction(dt.date.today)


def person_log_address_token(officer, bsn: str = "999900055") -> str:
    """The address token of the pages of a non-resident's records, as ``officer``'s search by
    BSN makes it (``privacy.views.person_log_token``): the officer's search record."""
    from privacy import services as privacy_services
    from privacy.pseudonym import person_pseudonym
    from privacy.views import person_log_token

    search = privacy_services.processing_log_search_record(
        user=officer,
        resident_id=None,
        searched_by="bsn",
        route="privacy:log_search",
        method="POST",
        request_id="",
        person=person_pseudonym(bsn),
    )
    return person_log_token(search.pk)
