"""Builders for small, hand-made case histories (through the caseload services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services as cs
from caseload.models import Instrument, OutflowEvent
from indicators.calculations import Period
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill
from tests import factories

TODAY = dt.date(2026, 11, 22)
YEAR = 2025


@pytest.fixture
def municipality(db):
    return factories.MunicipalityFactory()


@pytest.fixture
def team(municipality):
    return factories.TeamFactory(municipality=municipality, name="Werk")


@pytest.fixture
def staff(team):
    return factories.UserFactory(team=team)


class World:
    """A municipality with helpers to register residents and their benefits by hand."""

    def __init__(self, municipality, team, staff) -> None:
        self.municipality = municipality
        self.team = team
        self.staff = staff

    def resident(self, *, team=None, district=None, status_holder=False, birth=None, **kw):
        household = factories.HouseholdFactory(municipality=self.municipality, district=district)
        return factories.ResidentFactory(
            household=household,
            team=team or self.team,
            is_status_holder=status_holder,
            birth_date=birth or dt.date(1985, 6, 15),
            **kw,
        )

    def on_benefit(self, start=dt.date(2024, 1, 1), regime="pw", **kw):
        resident = self.resident(**kw)
        benefit = cs.benefit_open(
            household=resident.household, applicant=resident, regime=regime, start_date=start
        )
        return resident, benefit

    def outflow(self, resident, on, *, kind="volledig", reason="werk", **kw):
        work = reason == OutflowEvent.Reason.WORK
        return cs.outflow_record(
            resident=resident,
            kind=kind,
            reason=reason,
            occurred_on=on,
            by=self.staff,
            hours_per_week=Decimal(32) if work else None,
            contract_type="vast" if work else "",
            **kw,
        )

    def instrument(self, code):
        from caseload.catalogue import INSTRUMENTS

        for c, name, category, srg, wws, part, cost in INSTRUMENTS:
            if c == code:
                return Instrument.objects.get_or_create(
                    code=c,
                    defaults={
                        "name": name,
                        "category": category,
                        "srg_type": srg,
                        "is_working_with_support": wws,
                        "is_participation": part,
                        "default_cost": cost,
                    },
                )[0]
        raise KeyError(code)

    def trajectory(self, resident, code, start, end=None, result="afgerond"):
        t = cs.trajectory_start(
            resident=resident, instrument=self.instrument(code), started_on=start, by=self.staff
        )
        if end is not None:
            t = cs.trajectory_close(trajectory=t, on=end, result=result, by=None)
        return t

    def group(self, resident, group, on):
        return cs.group_assign(
            resident=resident, group=group, reason="Brede intake", by=self.staff, decided_on=on
        )

    def fill(self, codes=None, year=YEAR, **kw):
        return indicator_values_fill(
            municipality_id=self.municipality.pk, codes=codes, year=year, today=TODAY, **kw
        )

    def value(self, code, period: str, dimension="", dimension_value=""):
        """The stored row for a period label: '2025' (year), '2025-03' (month)."""
        if len(period) == 4:
            start, kind = dt.date(int(period), 1, 1), "year"
        else:
            y, m = period.split("-")
            start, kind = dt.date(int(y), int(m), 1), "month"
        return IndicatorValue.objects.get(
            municipality=self.municipality,
            code=code,
            period_start=start,
            period_kind=kind,
            dimension=dimension,
            dimension_value=dimension_value,
        )


@pytest.fixture
def world(municipality, team, staff):
    return World(municipality, team, staff)


__all__ = ["Period", "TODAY", "YEAR", "World"]


def stored_values(municipality_id: int) -> set[tuple]:
    """Every stored indicator value of a municipality, as comparable tuples (no ids, no
    changed_at): for "same rows" assertions between fills."""
    return set(
        IndicatorValue.objects.filter(municipality_id=municipality_id).values_list(
            "code",
            "period_kind",
            "period_start",
            "period_end",
            "dimension",
            "dimension_value",
            "value",
            "numerator",
            "denominator",
        )
    )
