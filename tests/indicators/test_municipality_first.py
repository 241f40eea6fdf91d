"""Issue 17 (the regional recompute): ten definitions now filter their per-resident (or
per-benefit) windows and islands, or the rows they look up, to the municipality being filled
before computing them, so that a small municipality's fill no longer sorts the whole region's
ladder scores, contacts, payments, group assignments, trajectories, outflow events, debt cases and
Bbz benefits. Each rewrite only adds that predicate, so the former form is
the definition without it (``former`` strips it, and must find it exactly where it was added);
on histories spread over two municipalities both forms must store exactly the same rows for
each municipality."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload import services as cs
from common.exceptions import DomainError
from indicators import registry
from indicators.registry import indicator_get, indicator_register
from indicators.services import indicator_values_fill
from tests import factories

from .conftest import World, stored_values
from .per_period_reference import REFERENCE_SQL
from .test_services import _apply, day, operation

D = dt.date

#: the rewritten definitions and how many municipality filters each gained
REWRITTEN = {
    "amersfoort.debt_applications": 1,
    "amersfoort.debt_settled": 1,
    "amersfoort.ladder_climbing": 1,
    "group3.participation": 2,
    "ondernemers.bbz_no_pwet_application": 1,
    "outflow.regular_work": 1,
    "participation.dagbesteding": 1,
    "participation.werkervaringsplaatsen": 1,
    "support.loonkostensubsidie_persons": 1,
    "support.nieuw_beschut_persons": 1,
}
# (contact.in_beeld had one too: since issue 19 it looks its applicants' contacts up per
# applicant, and tests/indicators/test_scale_rewrites.py holds its former form;
# caseload.parttime_share had one too; since issue 19 it reads the payments per benefit of the
# municipality's, and jongeren.vso_pro_placed had two: since issue 19 it keeps the municipality's
# vso/pro residents by a look-up per placement; see tests/indicators/test_scale_rewrites.py)
CODES = sorted(REWRITTEN)

#: the added predicates: ``AND <alias>.resident_id|benefit_id IN (<subquery>)`` (one level of
#: parentheses inside: ``%(municipality_id)s``), with an optional SQL comment after it
_FILTER = re.compile(
    r"\n[ \t]*AND (?:ls|c|bp|ga|tr|o)\.(?:resident_id|benefit_id) IN "
    r"\((?:[^()]|\([^()]*\))*\)(?:[ \t]*--[^\n]*)?"
    # (since the regional index: the same rows by the copy of their municipality, ``_own``)
    r"|\n[ \t]*AND (?:b|dc|ga|ls|o|tr)\.rls_municipality_id = %\(municipality_id\)s"
)


def former(code: str) -> str:
    sql, count = _FILTER.subn("", indicator_get(code).sql)
    assert count == REWRITTEN[code], code
    return sql


def _former_code(code: str) -> str:
    return "former17." + code.replace(".", "_")


@pytest.fixture
def former_definitions():
    for code in CODES:
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(defn)
            if f.name not in ("code", "sql")
        }
        sql = former(code)
        indicator_register(code=_former_code(code), **attrs)(lambda sql=sql: sql)
    yield
    for code in CODES:
        registry.indicator_unregister(_former_code(code))


@pytest.fixture
def neighbour(db):
    municipality = factories.MunicipalityFactory(cbs_code="GM9998", name="Buurgemeente")
    team = factories.TeamFactory(municipality=municipality, name="Werk")
    return World(municipality, team, factories.UserFactory(team=team))


def _assert_same_as_former(worlds: list[World], today: dt.date) -> dict[str, list[int]]:
    codes = CODES + [_former_code(c) for c in CODES]
    compared: dict[str, list[int]] = {code: [] for code in CODES}
    for world in worlds:
        indicator_values_fill(municipality_id=world.municipality.pk, codes=codes, today=today)
        rows = stored_values(world.municipality.pk)
        for code in CODES:
            now = {r[1:] for r in rows if r[0] == code}
            before = {r[1:] for r in rows if r[0] == _former_code(code)}
            assert now == before, (world.municipality.name, code)
            compared[code].append(len(now))
    return compared


def _score(world: World, resident, on: dt.date, step: int) -> None:
    cs.ladder_score_record(resident=resident, measured_on=on, step=step, by=world.staff)


def _history(world: World, shift: int) -> None:
    """Every fact the eight definitions read, for one municipality (``shift`` days later in the
    second, so that the two differ)."""

    def on(d: dt.date) -> dt.date:
        return d + dt.timedelta(days=shift)

    r1, b1 = world.on_benefit(start=D(2023, 1, 1))
    for when, step in ((D(2023, 6, 1), 2), (D(2024, 3, 1), 3), (D(2025, 2, 1), 5)):
        _score(world, r1, on(when), step)
    r2, b2 = world.on_benefit(start=D(2023, 3, 1))
    for when, step in ((D(2023, 9, 1), 4), (D(2025, 5, 5), 2)):
        _score(world, r2, on(when), step)
    for person, when in ((r1, D(2024, 2, 2)), (r1, D(2024, 11, 30)), (r2, D(2025, 1, 15))):
        cs.contact_record(resident=person, occurred_on=on(when), channel="telefoon", by=world.staff)
    world.group(r1, 3, on(D(2024, 1, 10)))
    world.group(r2, 3, on(D(2024, 6, 1)))
    world.trajectory(r1, "vrijwilligerswerk", on(D(2024, 4, 1)), end=on(D(2025, 3, 1)))
    world.trajectory(r2, "dagbesteding", on(D(2024, 8, 1)))
    world.trajectory(r1, "werkervaringsplaats", on(D(2025, 1, 1)), end=on(D(2025, 6, 30)))
    world.trajectory(r2, "nieuw_beschut", on(D(2024, 2, 1)))
    world.trajectory(r2, "loonkostensubsidie", on(D(2025, 4, 1)))
    # a young vso/pro pupil placed twice: an outflow to work and a trajectory ended in work
    r3, _ = world.on_benefit(
        start=D(2023, 1, 1),
        education_level="vso_pro",
        has_startkwalificatie=False,
        birth=D(2004, 2, 1),
    )
    world.trajectory(r3, "stage", on(D(2024, 1, 1)), end=on(D(2024, 9, 30)), result="werk")
    world.outflow(r3, on(D(2025, 3, 10)))
    # a debt case applied for and settled, and a starting entrepreneur's Bbz whose year is over
    debt = cs.debt_case_open(resident=r2, applied_on=on(D(2024, 5, 6)))
    cs.debt_case_close(debt_case=debt, on=on(D(2025, 2, 3)), result="schuldregeling", by=None)
    world.on_benefit(start=on(D(2023, 2, 1)), regime="bbz_starter")
    for benefit, months in ((b1, (3, 4, 5, 9)), (b2, (1, 2, 11))):
        for month in months:
            cs.benefit_payment_record(
                benefit=benefit,
                month=D(2025, month, 1),
                amount_paid=Decimal(800),
                income_offset=Decimal(200),
            )


@pytest.mark.django_db
def test_municipality_first_forms_equal_their_former_form_in_two_municipalities(
    world, neighbour, former_definitions
):
    _history(world, 0)
    _history(neighbour, 17)
    compared = _assert_same_as_former([world, neighbour], D(2025, 12, 31))
    assert all(n > 0 for counts in compared.values() for n in counts), compared
    # each municipality counts its own two residents only
    row = world.value("group3.participation", "2025")
    assert row.denominator is not None and row.denominator <= 2


ladder = st.tuples(st.just("ladder"), st.integers(0, 5), day, st.integers(1, 6))
instrument = st.tuples(
    st.just("instrument"),
    st.integers(0, 5),
    day,
    st.sampled_from(["dagbesteding", "werkervaringsplaats", "loonkostensubsidie", "nieuw_beschut"]),
)
placed = st.tuples(st.just("placed"), st.integers(0, 5), day)
anyone = operation.flatmap(lambda op: st.integers(0, 5).map(lambda who: (op[0], who, op[2])))


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(anyone, ladder, instrument, placed), max_size=16))
def test_municipality_first_forms_equal_their_former_form_on_generated_histories(
    world, neighbour, former_definitions, ops
):
    from django.db import transaction

    class Rollback(Exception):
        pass

    pupil = {"education_level": "vso_pro", "has_startkwalificatie": False, "birth": D(2004, 2, 1)}
    with pytest.raises(Rollback), transaction.atomic():
        worlds = [world] * 3 + [neighbour] * 3
        people = [  # the first of each municipality a young vso/pro pupil
            w.on_benefit(start=D(2023, 1, 1), **young)[0]
            for w, young in zip(worlds, [pupil, {}, {}] * 2, strict=True)
        ]
        for w, person in zip(worlds, people, strict=True):
            _score(w, person, D(2023, 6, 1), 3)
            w.group(person, 3, D(2023, 7, 1))
        for op in ops:
            w, person = worlds[op[1]], people[op[1]]
            with contextlib.suppress(DomainError):
                if op[0] == "ladder":
                    _score(w, person, op[2], op[3])
                elif op[0] == "instrument":
                    w.trajectory(person, op[3], op[2])
                elif op[0] == "placed":  # a trajectory ended in work
                    start = op[2] - dt.timedelta(days=90)
                    w.trajectory(person, "stage", start, end=op[2], result="werk")
                else:
                    # _apply picks people[who] of the list it gets: hand it this one's own
                    _apply(w, [person], (op[0], 0, op[2]))
        _assert_same_as_former([world, neighbour], D(2025, 12, 31))
        raise Rollback


# matching.profile_complete_share: per-period facts (periods x benefits) became interval facts --

#: the definition before (2beb07e): one row per period and benefit running on its reference date
FORMER_PROFILE_SQL = REFERENCE_SQL["matching.profile_complete_share"]
PROFILE = "matching.profile_complete_share"
FORMER_PROFILE = "former17.matching_profile_complete_share"


@pytest.fixture
def former_profile():
    defn = indicator_get(PROFILE)
    attrs = {
        f.name: getattr(defn, f.name)
        for f in dataclasses.fields(defn)
        if f.name not in ("code", "sql", "intervals")
    }
    indicator_register(code=FORMER_PROFILE, intervals=False, **attrs)(lambda: FORMER_PROFILE_SQL)
    yield
    registry.indicator_unregister(FORMER_PROFILE)


def _profile(world: World, resident, completed_on: dt.date | None) -> None:
    from matching.models import Profile

    Profile.objects.create(resident=resident, completed_on=completed_on, updated_by=world.staff)


def _assert_profile_same(worlds: list[World], today: dt.date) -> list[int]:
    counts = []
    for world in worlds:
        indicator_values_fill(
            municipality_id=world.municipality.pk, codes=[PROFILE, FORMER_PROFILE], today=today
        )
        rows = stored_values(world.municipality.pk)
        now = {r[1:] for r in rows if r[0] == PROFILE}
        before = {r[1:] for r in rows if r[0] == FORMER_PROFILE}
        assert now == before, world.municipality.name
        counts.append(len(now))
    return counts


@pytest.mark.django_db
def test_profile_share_as_intervals_equals_its_per_period_form(world, neighbour, former_profile):
    for w, shift in ((world, 0), (neighbour, 9)):
        # overlapping and touching benefits of one applicant (counted once), a benefit ending on
        # a reference date (not running on it), completion on a reference date, before the
        # benefit, after it ended, and never
        r1, b1 = w.on_benefit(start=D(2024, 1, 1) + dt.timedelta(days=shift))
        cs.benefit_open(
            household=r1.household, applicant=r1, regime="ioaw", start_date=D(2024, 6, 1)
        )
        _profile(w, r1, D(2024, 3, 31))
        r2, b2 = w.on_benefit(start=D(2024, 2, 1))
        cs.benefit_close(benefit=b2, on=D(2024, 4, 30), result="98", by=None)
        cs.benefit_open(
            household=r2.household, applicant=r2, regime="pw", start_date=D(2024, 4, 30)
        )
        _profile(w, r2, D(2023, 5, 5))
        r3, b3 = w.on_benefit(start=D(2024, 3, 1))
        cs.benefit_close(benefit=b3, on=D(2024, 9, 30), result="98", by=None)
        _profile(w, r3, D(2024, 10, 1) + dt.timedelta(days=shift))
        w.on_benefit(start=D(2025, 1, 1))
    # a third municipality whose one benefit ended early: periods without any applicant
    third_municipality = factories.MunicipalityFactory(cbs_code="GM9997", name="Derde")
    team = factories.TeamFactory(municipality=third_municipality, name="Werk")
    third = World(third_municipality, team, factories.UserFactory(team=team))
    r4, b4 = third.on_benefit(start=D(2024, 1, 10))
    cs.benefit_close(benefit=b4, on=D(2024, 2, 15), result="98", by=None)
    _profile(third, r4, D(2024, 1, 20))
    counts = _assert_profile_same([world, neighbour, third], D(2025, 6, 17))
    assert all(counts), counts


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.one_of(anyone, st.tuples(st.just("profile"), st.integers(0, 5), day)), max_size=14
    ),
    never=st.integers(0, 5),
)
def test_profile_share_as_intervals_equals_its_per_period_form_on_generated_histories(
    world, neighbour, former_profile, ops, never
):
    from django.db import transaction

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        worlds = [world] * 3 + [neighbour] * 3
        people = [w.on_benefit(start=D(2023, 1, 1))[0] for w in worlds]
        profiled: set[int] = set()
        for op in ops:
            w, person = worlds[op[1]], people[op[1]]
            if op[0] == "profile":
                if op[1] not in profiled and op[1] != never:
                    profiled.add(op[1])
                    _profile(w, person, op[2])
            else:
                _apply(w, [person], (op[0], 0, op[2]))
        _assert_profile_same([world, neighbour], D(2025, 12, 31))
        raise Rollback
