"""A small region for the matching tests: one municipality, a work team with a consulent, an
account manager, an employer with a vacancy, and residents on benefit built through the
services (profile, consent, group)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services as cs
from caseload.models import Role
from common import clock
from employers.models import Employer, Occupation, Vacancy
from matching import services as ms
from tests import factories

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield


class Region:
    def __init__(self) -> None:
        self.municipality = factories.MunicipalityFactory(name="Hilversum", cbs_code="GM0402")
        self.team = factories.TeamFactory(municipality=self.municipality, name="Werk A")
        self.consulent = factories.UserFactory(team=self.team, username="cons")
        self.accountmanager = factories.UserFactory(
            username="am", role=Role.ACCOUNT_MANAGER, team=None
        )
        self.employer = Employer.objects.create(
            municipality=self.municipality,
            kvk_number="12345678",
            name="Zorggroep Gooi",
            sbi_code="8710",
            account_manager=self.accountmanager,
        )

    def vacancy(self, code="5322", hours="24", postcode="1211AB", education="", **kw) -> Vacancy:
        return Vacancy.objects.create(
            employer=kw.pop("employer", self.employer),
            occupation=Occupation.objects.get(code=code),
            title=kw.pop("title", f"Vacature {code}"),
            hours_per_week=Decimal(hours),
            postcode=postcode,
            education_level=education,
            start_date=dt.date(2026, 12, 1),
            opened_on=kw.pop("opened_on", dt.date(2026, 10, 1)),
            **kw,
        )

    def resident(
        self,
        *,
        sought=("5322",),
        hours="24",
        range_km=10,
        postcode="1211 AB",
        group=1,
        consent=True,
        experience=(),
        start=dt.date(2024, 1, 1),
        **kw,
    ):
        household = factories.HouseholdFactory(municipality=self.municipality, postcode=postcode)
        resident = factories.ResidentFactory(
            household=household, team=self.team, consulent=self.consulent, **kw
        )
        cs.benefit_open(household=household, applicant=resident, regime="pw", start_date=start)
        if group:
            cs.group_assign(
                resident=resident,
                group=group,
                reason="Brede intake",
                by=self.consulent,
                decided_on=dt.date(2025, 1, 10),
            )
        ms.profile_save(
            resident=resident,
            by=self.consulent,
            sought_codes=list(sought),
            driving_licence=True,
            travel_range_km=range_km,
            hours_available=Decimal(hours) if hours else None,
            no_work_experience=not experience,
        )
        for code, years in experience:
            ms.work_experience_add(
                resident=resident, by=self.consulent, occupation_code=code, years=Decimal(years)
            )
        if consent:
            ms.consent_give(resident=resident, by=self.consulent, given_on=dt.date(2026, 11, 1))
        return resident


@pytest.fixture
def region(db):
    return Region()


@pytest.fixture
def facts_follow():
    """``with facts_follow(): <case changes>``: the candidate-facts refreshes the test's
    transaction has queued for after its commit (``matching.tasks.case_changed``, once per
    transaction and municipality) are run at the end of the block, as the worker runs them a
    couple of seconds after the commit (the task body, no broker)."""
    from contextlib import contextmanager

    from django.db import connection

    from matching.tasks import candidate_facts_refresh_task

    @contextmanager
    def follow():
        yield
        municipalities = {
            m
            for _sids, callback, _robust in connection.run_on_commit
            if (m := getattr(callback, "matching_facts_of", None)) is not None
        }
        assert municipalities, "no candidate-facts refresh was queued"
        for municipality_id in sorted(municipalities):
            candidate_facts_refresh_task(municipality_id)

    return follow
