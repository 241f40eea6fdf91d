"""Shared relations (``uses=``): a fill of several indicators that builds them once as TEMP
TABLEs gives exactly the rows of filling each indicator on its own (where they are CTEs)."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection

from caseload import services as cs
from indicators import registry
from indicators.engine import fill_sql, residents_sql
from indicators.models import IndicatorValue
from indicators.registry import RegistryError, Unit, indicator_register
from indicators.services import _batches
from tests import factories

from .conftest import stored_values

D = dt.date

SHARED = [d.code for d in registry.indicator_all() if d.uses]


@contextmanager
def _statements():
    """Every statement sent on this connection inside the block, with its parameters."""
    statements: list[tuple[str, dict]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def _case_data(world):
    for i, start in enumerate([D(2023, 1, 1), D(2024, 6, 1), D(2025, 2, 10), D(2025, 7, 1)]):
        r, b = world.on_benefit(start=start, regime="pw" if i % 2 == 0 else "ioaw")
        world.group(r, 1 + i % 3, start + dt.timedelta(days=20))
        if i == 1:
            world.group(r, 3, D(2025, 5, 1))  # a later assignment replaces the first
        cs.contact_record(
            resident=r, occurred_on=D(2025, 3, 1 + i), channel="telefoon", by=world.staff
        )
        cs.benefit_payment_record(
            benefit=b,
            month=D(2025, 12, 1) if i < 2 else D(2025, 9, 1),
            amount_paid=Decimal(900),
            income_offset=Decimal(200) if i != 2 else Decimal(0),
        )
        if i == 3:
            cs.benefit_close(benefit=b, on=D(2025, 10, 15), result="11", by=None)


@pytest.mark.django_db
def test_shared_fill_equals_one_indicator_at_a_time(world, settings):
    _case_data(world)
    assert {"caseload.size", "caseload.parttime_share", "contact.in_beeld"} <= set(SHARED)
    settings.INDICATORS_FILL_SHARED_TABLES = True
    world.fill(codes=SHARED)  # the default: one transaction, the shared relations as TEMP TABLEs
    together = stored_values(world.municipality.pk)
    assert together
    IndicatorValue.objects.all().delete()
    settings.INDICATORS_FILL_SHARED_TABLES = False
    world.fill(codes=SHARED)  # one by one, the shared relations as CTEs
    assert stored_values(world.municipality.pk) == together
    IndicatorValue.objects.all().delete()
    for code in SHARED:  # each on its own: the shared relations as CTEs
        world.fill(codes=[code])
    assert stored_values(world.municipality.pk) == together
    assert world.value("caseload.size", "2025-09").value == 4


def test_shared_relations_are_read_from_temp_tables_only_when_materialised():
    defn = registry.indicator_get("caseload.size")
    assert "benefit_dims AS (" in fill_sql(defn)
    assert "benefit_dims AS (" not in fill_sql(defn, frozenset({"benefit_dims", "group_segments"}))
    assert "benefit_dims AS (" in residents_sql(defn)  # the drill-down builds it itself


def test_definitions_using_a_relation_are_filled_together_first_then_the_others_in_order():
    defs = registry.indicator_all()
    batches = _batches(defs)
    assert sorted(d.code for b in batches for d in b) == sorted(d.code for d in defs)
    shared = [b for b in batches if any(d.uses for d in b)]
    assert len(shared) == 1 and {d.code for d in shared[0]} == set(SHARED)
    # the gathered batch, the longest, starts first; the others keep the registry's order
    assert batches[0] is shared[0]
    assert [b[0].code for b in batches[1:]] == [d.code for d in defs if not d.uses]


def test_the_shared_relations_are_built_once_per_fill_by_default(world):
    from django.conf import settings

    assert settings.INDICATORS_FILL_SHARED_TABLES is True
    _case_data(world)
    with _statements() as statements:
        world.fill(codes=SHARED)
    builds = [s for s, _ in statements if s.startswith("CREATE TEMP TABLE")]
    assert sorted(s.split()[3] for s in builds) == ["benefit_dims", "group_segments"]
    fills = [s for s, _ in statements if "INSERT INTO indicators_indicatorvalue" in s]
    assert len(fills) == len(SHARED) - 1  # (the two bijstand figures are one statement, below)
    assert not any("benefit_dims AS (" in s for s in fills)


def test_registry_refuses_unknown_shared_relation():
    with pytest.raises(RegistryError):

        @indicator_register(
            code="test.bad_uses",
            label="x",
            definition="x",
            unit=Unit.COUNT,
            direction="higher",
            uses=("nope",),
        )
        def bad() -> str:
            return "SELECT period_start, period_end, 1 AS num_key FROM nope"

    assert not registry.is_registered("test.bad_uses")
    with pytest.raises(RegistryError):
        registry.shared_relation_register("benefit_dims", "SELECT 1")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_temp_tables_are_gone_after_the_fill(world, settings):
    settings.INDICATORS_FILL_SHARED_TABLES = True
    _case_data(world)
    world.fill(codes=SHARED)
    world.fill(codes=SHARED)  # a second fill in the same session builds them again
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.benefit_dims')")
        assert cursor.fetchone()[0] is None


PAIR = ["amersfoort.bijstand_per_1000", "bbv.bijstand_per_10k"]


def _population(world) -> None:
    """2025's population, the denominator of the pair (7,000 of 18 and older)."""
    factories.MunicipalityYearFactory(
        municipality=world.municipality,
        year=2025,
        population=100_000,
        population_18_plus=7000,
        population_15_64=20_000,
        population_15_74=30_000,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("shared_tables", [True, False])
def test_definitions_with_the_same_facts_are_one_statement_with_each_ones_rows(
    world, settings, shared_tables
):
    """``amersfoort.bijstand_per_1000`` is ``bbv.bijstand_per_10k`` per 1,000: one statement
    computes the figures once and stores each definition's rows, those of filling it alone."""
    settings.INDICATORS_FILL_SHARED_TABLES = shared_tables
    _case_data(world)
    _population(world)
    for code in PAIR:
        world.fill(codes=[code])
    alone = stored_values(world.municipality.pk)
    assert {row[0] for row in alone} == set(PAIR)
    IndicatorValue.objects.all().delete()
    with _statements() as statements:
        result = world.fill(codes=PAIR)
    assert stored_values(world.municipality.pk) == alone
    fills = [p for s, p in statements if "INSERT INTO indicators_indicatorvalue" in s]
    assert [p["codes"] for p in fills] == [PAIR]
    assert [p["scales"] for p in fills] == [[1000, 10000]]
    assert result.rows == len(alone)
    per_1000 = world.value("amersfoort.bijstand_per_1000", "2025-09")
    per_10k = world.value("bbv.bijstand_per_10k", "2025-09")
    assert per_1000.numerator == per_10k.numerator > 0
    assert per_1000.denominator == per_10k.denominator == 7000
    assert per_1000.value == round(Decimal(1000) * per_1000.numerator / 7000, 4)
    assert per_10k.value == round(Decimal(10000) * per_10k.numerator / 7000, 4)


def test_same_facts_pairs_only_definitions_that_differ_in_code_version_and_scale():
    from indicators.engine import same_facts

    pairs = {}
    for defn in registry.indicator_all():
        pairs.setdefault(same_facts(defn), []).append(defn.code)
    assert [codes for codes in pairs.values() if len(codes) > 1] == [
        ["bbv.bijstand_per_10k", "amersfoort.bijstand_per_1000"]
    ]
    assert [b for b in _batches(registry.indicator_all(), relations=False) if len(b) > 1] == [
        [
            registry.indicator_get(c)
            for c in ("bbv.bijstand_per_10k", "amersfoort.bijstand_per_1000")
        ]
    ]


@pytest.mark.django_db
def test_a_refill_of_the_pair_writes_only_what_changed_for_each_definition(world):
    _case_data(world)
    _population(world)
    world.fill(codes=PAIR)
    assert world.fill(codes=PAIR).rows == 0  # the same figures: nothing written for either
    # one definition's stored figure spoiled, and a new benefit that changes both
    spoiled = IndicatorValue.objects.filter(code=PAIR[0], dimension="").first()
    IndicatorValue.objects.filter(pk=spoiled.pk).update(value=Decimal("0.1234"))
    world.on_benefit(start=D(2025, 8, 1))
    result = world.fill(codes=[*PAIR, PAIR[0]])  # (a code asked for twice is filled once)
    assert result.codes == PAIR
    refilled = stored_values(world.municipality.pk)
    assert IndicatorValue.objects.get(pk=spoiled.pk).value != Decimal("0.1234")
    IndicatorValue.objects.all().delete()
    world.fill(codes=PAIR)
    assert stored_values(world.municipality.pk) == refilled
