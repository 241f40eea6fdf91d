"""Issue 17 (the regional recompute): the definitions read their municipality's rows of the large
tables (trajectories, applications, benefits, group assignments, outflow events) by the copy
of the municipality that row-level security keeps on them (``indicators.definitions._own``,
``common.rls.COLUMN``), instead of scanning the region's rows and dropping the others' later.

The predicate is redundant by construction: each statement keeps the municipality by the same
path afterwards. So the former form of every definition is the definition without it (in its
own SQL and in the shared relations it reads); on histories in two municipalities both forms
must store exactly the same rows for each municipality. And the column has its index, or the
predicate would read the region's rows anyway."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection

from caseload import services as cs
from common import rls
from indicators import registry
from indicators.registry import indicator_all, indicator_get, indicator_register
from indicators.services import indicator_values_fill
from tests import factories

from .conftest import World, stored_values
from .test_municipality_first import _history
from .test_scale_rewrites import _edge_history

D = dt.date

_OWN = re.compile(r"\s+AND \w+\.rls_municipality_id = %\(municipality_id\)s")


def _strip(sql: str) -> tuple[str, int]:
    return _OWN.subn("", sql)


def _own_codes() -> dict[str, tuple[str, tuple[str, ...]]]:
    """code -> (its former SQL, the shared relations it reads, former ones renamed)."""
    result = {}
    for defn in indicator_all():
        sql, count = _strip(defn.sql)
        uses = []
        for name in defn.uses:
            if _OWN.search(registry.shared_relation_get(name)):
                sql = re.sub(rf"\b{name}\b", f"{name}_former", sql)
                uses.append(f"{name}_former")
                count += 1
            else:
                uses.append(name)
        if count:
            result[defn.code] = (sql, tuple(uses))
    return result


def _former(code: str) -> str:
    return "formerown." + code.replace(".", "_")


@pytest.fixture
def former_definitions():
    codes = _own_codes()
    added = []
    for name in {u for _, uses in codes.values() for u in uses if u.endswith("_former")}:
        original = name.removesuffix("_former")
        registry.shared_relation_register(name, _strip(registry.shared_relation_get(original))[0])
        added.append(name)
    for code, (sql, uses) in codes.items():
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(defn)
            if f.name not in ("code", "sql", "uses")
        }
        indicator_register(code=_former(code), uses=uses, **attrs)(lambda sql=sql: sql)
    yield sorted(codes)
    for code in codes:
        registry.indicator_unregister(_former(code))
    for name in added:
        registry.shared_relation_unregister(name)


def test_the_large_tables_are_read_by_their_municipality():
    """Every definition that reads these tables for a stock or a flow keeps its municipality's
    rows by the copy (a definition that goes back to scanning the region fails here)."""
    codes = set(_own_codes())
    for code in (
        "caseload.size",  # benefits and group assignments (shared relations)
        "contact.in_beeld",
        "support.working_with_support",  # running trajectories
        "participation.dagbesteding",
        "group3.participation",
        "prevention.inflow_per_application",  # applications
        "amersfoort.inflow",  # started benefits
        "jongeren.vso_pro_placed",  # outflow events and trajectories
        "support.loonkostensubsidie_fte",  # trajectories with hours
        "support.nieuw_beschut_fte",
        "participation.parttime_ondernemers",  # trajectories in the periods
    ):
        assert code in codes, code


@pytest.mark.django_db
def test_every_copied_municipality_column_has_its_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexdef LIKE %s",
            [f"%({rls.COLUMN})"],
        )
        indexed = {row[0] for row in cursor.fetchall()}
    copies = {p.table for p in rls.policies() if p.copy is not None}
    assert copies and copies <= indexed, copies - indexed


def _applications(world: World, shift: int) -> None:
    on = dt.timedelta(days=shift)
    for i, (risk, route, outcome) in enumerate(
        (
            ("verhoogd", "geen", "toegekend"),
            ("verhoogd", "geen", "voorkomen"),
            ("normaal", "ww_coaching", "voorkomen"),
            ("normaal", "ww_coaching", "toegekend"),
        )
    ):
        resident = world.resident()
        application = cs.application_register(
            resident=resident,
            received_on=D(2024, 3, 1) + on + dt.timedelta(days=40 * i),
            risk_profile=risk,
            prevention_route=route,
        )
        cs.application_decide(
            application=application,
            outcome=outcome,
            decided_on=D(2024, 4, 1) + on + dt.timedelta(days=40 * i),
            benefit_start=D(2024, 4, 1) + on + dt.timedelta(days=40 * i)
            if outcome == "toegekend"
            else None,
        )


def _supported_work(world: World, shift: int) -> None:
    """Placements with hours (the fte indicators) and part-time entrepreneurs, one running."""
    on = dt.timedelta(days=shift)
    for code, start, end, hours in (
        ("loonkostensubsidie", D(2024, 5, 1), D(2025, 2, 28), Decimal(24)),
        ("nieuw_beschut", D(2025, 1, 15), None, Decimal(18)),
        ("parttime_ondernemen", D(2024, 9, 1), D(2025, 8, 31), None),
    ):
        resident = world.resident()
        trajectory = cs.trajectory_start(
            resident=resident,
            instrument=world.instrument(code),
            started_on=start + on,
            by=world.staff,
            hours_per_week=hours,
        )
        if end is not None:
            cs.trajectory_close(trajectory=trajectory, on=end + on, result="afgerond", by=None)


@pytest.mark.django_db
def test_definitions_equal_their_form_without_the_copy_in_two_municipalities(
    world, former_definitions
):
    municipality = factories.MunicipalityFactory(cbs_code="GM9998", name="Buurgemeente")
    team = factories.TeamFactory(municipality=municipality, name="Werk")
    neighbour = World(municipality, team, factories.UserFactory(team=team))
    for each, shift in ((world, 0), (neighbour, 17)):
        _history(each, shift)
        _edge_history(each)
        _applications(each, shift)
        _supported_work(each, shift)
    codes = former_definitions
    counted = dict.fromkeys(codes, 0)
    for each in (world, neighbour):
        indicator_values_fill(
            municipality_id=each.municipality.pk,
            codes=codes + [_former(c) for c in codes],
            today=D(2025, 12, 31),
        )
        rows = stored_values(each.municipality.pk)
        for code in codes:
            now = {r[1:] for r in rows if r[0] == code}
            former = {r[1:] for r in rows if r[0] == _former(code)}
            assert now == former, (each.municipality.name, code)
            counted[code] += len(now)
    assert all(counted.values()), counted
    # the histories reach the tables the predicate reads: some counted value is not zero
    for code, year in (
        ("caseload.size", "2025"),
        ("prevention.inflow_per_application", "2024"),
        ("amersfoort.inflow", "2025"),
        ("support.loonkostensubsidie_fte", "2024"),
        ("support.nieuw_beschut_fte", "2025"),
        ("participation.parttime_ondernemers", "2025"),
    ):
        assert world.value(code, year).value, code
