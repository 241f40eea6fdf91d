"""Interval facts (``intervals=True``, ``per_period_kind=True``) give exactly the rows of the
per-period form of each definition (``per_period_reference.py``, registered here under
``reference.*``): on a hand-made history full of edges (29 February, overlapping assignments
and benefits, a running period, ends on a period's first day) and on generated histories."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload import services as cs
from caseload.models import GroupAssignment, Household
from common.exceptions import DomainError
from indicators import registry
from indicators.calculations import Period
from indicators.engine import fill_sql, residents_sql, statement_params
from indicators.models import IndicatorValue
from indicators.registry import RegistryError, Unit, indicator_get, indicator_register
from indicators.services import indicator_values_fill
from tests import factories

from .conftest import World, stored_values
from .per_period_reference import REFERENCE_SQL
from .test_services import _apply, operation

D = dt.date
EDGE_TODAY = D(2026, 6, 17)  # a running month, quarter and year

CONVERTED = sorted(d.code for d in registry.indicator_all() if d.intervals)


def _reference_code(code: str) -> str:
    return "reference." + code.replace(".", "_")


@pytest.fixture
def reference_definitions():
    """Register the per-period form of every interval definition for the test's duration."""
    for code, sql in REFERENCE_SQL.items():
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(defn)
            if f.name not in ("code", "sql", "intervals", "per_period_kind", "uses")
        }
        indicator_register(code=_reference_code(code), **attrs)(lambda sql=sql: sql)
    yield
    for code in REFERENCE_SQL:
        registry.indicator_unregister(_reference_code(code))


def _assert_same_as_reference(world: World, today: dt.date) -> int:
    codes = CONVERTED + [_reference_code(c) for c in CONVERTED]
    indicator_values_fill(municipality_id=world.municipality.pk, codes=codes, today=today)
    rows = stored_values(world.municipality.pk)
    compared = 0
    for code in CONVERTED:
        interval = {r[1:] for r in rows if r[0] == code}
        reference = {r[1:] for r in rows if r[0] == _reference_code(code)}
        assert interval == reference, code
        compared += len(interval)
    return compared


def test_every_interval_definition_has_its_per_period_reference():
    assert set(REFERENCE_SQL) == set(CONVERTED)
    assert len(CONVERTED) >= 16


def _edge_history(world: World) -> None:
    staff = world.staff
    # a pw benefit with two contacts whose 12-month windows overlap; the first on 29 February
    r1, b1 = world.on_benefit(start=D(2024, 1, 10))
    for day in (D(2024, 2, 29), D(2024, 3, 15), D(2026, 5, 31)):
        cs.contact_record(resident=r1, occurred_on=day, channel="telefoon", by=staff)
    # a household member who turns 18 on 29 February 2026 (the reference date 28 February)
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2008, 2, 29))
    # group 1, an overlapping later group 3 that ends (the latest current one wins), group 2
    world.group(r1, 1, D(2024, 2, 1))
    GroupAssignment.objects.create(
        resident=r1,
        group=3,
        decided_on=D(2024, 6, 1),
        ended_on=D(2024, 9, 30),
        reason="Overlap",
        decided_by=staff,
        reassess_on=D(2025, 6, 1),
    )
    for month, offset in ((D(2024, 2, 1), 300), (D(2024, 3, 1), 0), (D(2026, 6, 1), 120)):
        cs.benefit_payment_record(
            benefit=b1, month=month, amount_paid=Decimal(900), income_offset=Decimal(offset)
        )
    # 65 on 28 February / 1 March 2025, with a re-integration trajectory (SRG) and an IOAW
    # benefit ending on the first day of a month
    r2, b2 = world.on_benefit(start=D(2024, 1, 1), regime="ioaw", birth=D(1960, 2, 29))
    world.trajectory(r2, "loonkostensubsidie", D(2024, 3, 1))
    cs.benefit_close(benefit=b2, on=D(2025, 3, 1), result="11", by=None)
    # two overlapping pw benefits in one household (a back-dated correction)
    r3, b3 = world.on_benefit(start=D(2024, 5, 1), status_holder=True)
    factories.BenefitFactory(
        household=r3.household,
        applicant=r3,
        regime="pw",
        start_date=D(2024, 1, 1),
        end_date=D(2024, 7, 1),
        end_reason="11",
    )
    factories.ResidentFactory(household=r3.household, team=world.team, birth_date=D(1990, 1, 1))
    # a partner who is 17 during the benefit: not a child (bbv.kinderen_in_uitkeringsgezinnen
    # version 4), so the household's recorded child still counts
    factories.ResidentFactory(
        household=r3.household, team=world.team, birth_date=D(2008, 6, 15), household_role="partner"
    )
    # group 3 with a participation activity that ends, and a first plan later
    world.group(r3, 3, D(2024, 4, 1))
    world.trajectory(r3, "vrijwilligerswerk", D(2024, 5, 1), end=D(2025, 2, 28))
    world.trajectory(r3, "jobhunting", D(2025, 5, 1))
    # a benefit that starts and ends on one day, and one ending on 1 January
    r4, b4 = world.on_benefit(start=D(2025, 1, 1), regime="ioaz")
    cs.benefit_close(benefit=b4, on=D(2025, 1, 1), result="13", by=None)
    r5, b5 = world.on_benefit(start=D(2024, 3, 3))
    world.outflow(r5, D(2024, 12, 31))  # ends the benefit (full outflow to work)
    cs.benefit_open(household=r5.household, applicant=r5, regime="pw", start_date=D(2025, 1, 20))
    world.outflow(r5, D(2026, 6, 1), kind="gedeeltelijk")  # in the running month
    # applications, fraud and debt cases closed in the periods
    for resident, outcome, risk, decided in (
        (r1, "toegekend", "verhoogd", D(2024, 1, 5)),
        (r2, "voorkomen", "verhoogd", D(2025, 2, 28)),
        (r3, "voorkomen", "normaal", D(2026, 6, 2)),
        (r4, "afgewezen", "verhoogd", D(2025, 12, 31)),
    ):
        factories.ApplicationFactory(
            resident=resident,
            outcome=outcome,
            risk_profile=risk,
            received_on=decided - dt.timedelta(days=20),
            decided_on=decided,
        )
    factories.FraudInvestigationFactory(resident=r1, benefit_ended=True)
    factories.FraudInvestigationFactory(resident=r2, unchanged=True)
    factories.DebtCaseFactory(resident=r3, settled=True)
    # recorded numbers of children (bbv.kinderen_in_uitkeringsgezinnen version 2): ignored for
    # r1 (a registered child), counted for r2 (until its benefit ends on 1 March 2025), r3 (two
    # overlapping benefits; its adult member was never a minor on benefit) and r5 (a gap)
    for resident, children in ((r1, 2), (r2, 1), (r3, 1), (r5, 2)):
        Household.objects.filter(pk=resident.household_id).update(children_count=children)
    factories.DebtCaseFactory(resident=r4, applied_on=D(2026, 6, 16))
    # supported work: two instruments at once (counted once in the total and the team, once
    # under each instrument), the same instrument twice with a gap and touching, a third
    # instrument from the day another ends, one running into today, the old Wsw (not counted)
    s1 = world.resident()
    world.trajectory(s1, "loonkostensubsidie", D(2024, 3, 1), end=D(2025, 6, 30))
    world.trajectory(s1, "jobcoaching", D(2024, 6, 15), end=D(2025, 1, 31))
    world.trajectory(s1, "jobcoaching", D(2025, 1, 31), end=D(2025, 4, 1))
    world.trajectory(s1, "jobcoaching", D(2025, 5, 1))
    world.trajectory(s1, "garantiebaan", D(2025, 6, 30))
    s2 = world.resident()
    world.trajectory(s2, "nieuw_beschut", D(2023, 1, 1))
    world.trajectory(s2, "loonkostensubsidie", D(2024, 12, 31), end=D(2025, 1, 1))
    world.trajectory(s2, "wsw_detachering", D(2024, 1, 1))
    world.trajectory(s2, "wsw_begeleid_werken", D(2024, 6, 1), end=D(2025, 6, 1))
    world.trajectory(s2, "wsw_begeleid_werken", D(2025, 6, 1))
    # banenafspraak jobs: two of one resident at once (each counts), one that ends on a
    # reference date (31 January 2025), one from before 2015 (not counted)
    for who, code, start, end, sector in (
        (s1, "basisbaan", D(2024, 5, 1), None, "overheid"),
        (s2, "garantiebaan", D(2024, 2, 1), D(2025, 1, 31), "markt"),
        (s2, "vrijwilligerswerk", D(2014, 12, 31), None, "markt"),
    ):
        trajectory = cs.trajectory_start(
            resident=who,
            instrument=world.instrument(code),
            started_on=start,
            by=staff,
            banenafspraak_sector=sector,
        )
        if end is not None:
            cs.trajectory_close(trajectory=trajectory, on=end, result="afgerond", by=None)


@pytest.mark.django_db
def test_interval_facts_equal_the_per_period_form_on_edge_cases(world, reference_definitions):
    _edge_history(world)
    assert _assert_same_as_reference(world, EDGE_TODAY) > 500
    # spot checks of edges the figures turn on
    # r1, r2, r5 and both (overlapping) benefits of r3
    assert world.value("caseload.size", "2024-06").value == 5
    member = world.value("bbv.bijstand_per_10k", "2026-02")
    assert member.numerator == 4  # r1, r5, r3 and the adult of r3's household; not yet 18
    assert world.value("bbv.bijstand_per_10k", "2026-03").numerator == 5  # 18 on 1 March
    # supported work on 31 January 2025: r2 (loonkostensubsidie), s1 (two instruments) and s2
    # (one; the Wsw not), once each
    assert world.value("support.working_with_support", "2025-01").numerator == 3
    assert world.value("support.working_with_support", "2025-01", "team", "Werk").numerator == 3
    for name, count in (("Jobcoaching", 1), ("Loonkostensubsidie", 2), ("Nieuw beschut werk", 1)):
        row = world.value("support.working_with_support", "2025-01", "instrument", name)
        assert row.numerator == count, name
    # 30 April 2025: s1 between two jobcoachings; 30 June: s1's lks ended, the garantiebaan began
    assert world.value("support.working_with_support", "2025-04").numerator == 3
    row = world.value("support.working_with_support", "2025-06", "instrument", "Loonkostensubsidie")
    assert row.numerator == 1  # r2
    with pytest.raises(IndicatorValue.DoesNotExist):
        world.value("support.working_with_support", "2024-02", "instrument", "Jobcoaching")
    # jobs on 31 December 2024: s1's basisbaan and s2's garantiebaan; 31 January 2025: s1's
    assert world.value("banenafspraak.jobs", "2024").numerator == 2
    assert world.value("banenafspraak.jobs", "2025-01").numerator == 1
    assert world.value("banenafspraak.jobs", "2024", "sector", "markt").numerator == 1


PROPERTY_TODAY = D(2025, 12, 31)
#: a trajectory of an instrument that counts as supported work (or the old Wsw, which does not)
#: that starts, and when it ends (or not): two instruments at once, gaps and touching spans
supported = st.tuples(
    st.just("supported"),
    st.integers(0, 2),
    st.integers(0, 729).map(lambda n: D(2024, 1, 1) + dt.timedelta(days=n)),
    st.sampled_from(
        [
            "loonkostensubsidie",
            "jobcoaching",
            "nieuw_beschut",
            "wsw_detachering",
            "wsw_begeleid_werken",
        ]
    ),
    st.one_of(st.none(), st.integers(1, 400)),
)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(operation, supported), max_size=10))
def test_interval_facts_equal_the_per_period_form_on_generated_histories(
    world, reference_definitions, ops
):
    from django.db import transaction

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        people = [world.on_benefit(start=D(2024, 1, 1))[0] for _ in range(3)]
        for op in ops:
            if op[0] == "supported":
                _, who, start, code, days = op
                end = None if days is None else start + dt.timedelta(days=days)
                with contextlib.suppress(DomainError):  # one open trajectory per instrument
                    world.trajectory(people[who], code, start, end=end)
            else:
                _apply(world, people, op)
        _assert_same_as_reference(world, PROPERTY_TODAY)
        raise Rollback


def _residents(code: str, municipality_id: int, year: int, today: dt.date) -> set[int]:
    from django.db import connection

    params = statement_params(
        municipality_id=municipality_id,
        today=today,
        periods=[Period(D(year, 1, 1), D(year, 12, 31), "year")],
    )
    with connection.cursor() as cursor:
        cursor.execute(residents_sql(indicator_get(code)), params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_drill_down_lists_the_residents_of_the_per_period_form(world, reference_definitions):
    _edge_history(world)
    m = world.municipality.pk
    listed = 0
    for year in (2024, 2025, 2026):
        for code in CONVERTED:
            residents = _residents(code, m, year, EDGE_TODAY)
            assert residents == _residents(_reference_code(code), m, year, EDGE_TODAY), code
            listed += len(residents)
    assert listed >= 40  # not a comparison of empty sets


def test_drill_down_of_an_interval_definition_reads_the_spans():
    sql = residents_sql(indicator_get("contact.in_beeld"))
    assert "valid_from <= p.ref_date" in sql and "f.num > 0" in sql
    assert "f.period_kind = p.period_kind" in residents_sql(indicator_get("outflow.to_work"))


def test_fill_sql_of_an_interval_definition_sums_the_spans_once():
    sql = fill_sql(indicator_get("caseload.size"))
    assert "width_bucket" in sql and "count(DISTINCT" not in sql


SPANS = "SELECT 1 AS resident_id, 1 AS valid_from, 1 AS valid_to, 1 AS num, 0 AS den"


@pytest.mark.parametrize(
    "attrs, sql, reason",
    [
        ({"intervals": True}, "SELECT 1 AS num, 0 AS den, 1 AS resident_id", "'valid_from'"),
        ({"per_period_kind": True}, "period_start period_end num_key", "needs intervals"),
        ({"intervals": True, "numerator_sql": "sum(f.num_key)"}, SPANS, "sums its weights"),
        ({"intervals": True, "per_period_kind": True}, SPANS, "'period_kind'"),
    ],
)
def test_registry_refuses_inconsistent_interval_definitions(attrs, sql, reason):
    basics = {"label": "x", "definition": "x", "unit": Unit.COUNT, "direction": "higher"}
    with pytest.raises(RegistryError, match=reason):
        indicator_register(code="test.bad_intervals", **basics, **attrs)(lambda: sql)
    assert not registry.is_registered("test.bad_intervals")
