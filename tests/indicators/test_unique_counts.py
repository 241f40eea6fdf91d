"""Issue 19: a definition whose facts have one row per key and period may count them with a plain
``count`` (``COUNT_UNIQUE_NUM``/``COUNT_UNIQUE_DEN``), which PostgreSQL aggregates in one hash for
every grouping set, instead of ``count(DISTINCT ...)``, which sorts the facts for each. That is
only right when the facts really are unique: each such definition must store exactly what the
same facts give with the DISTINCT counts, also with several facts of one resident in a period."""

from __future__ import annotations

import dataclasses

import pytest

from indicators import registry
from indicators.registry import (
    COUNT_DEN,
    COUNT_NUM,
    COUNT_UNIQUE_DEN,
    COUNT_UNIQUE_NUM,
    Direction,
    IndicatorDefinition,
    RegistryError,
    Unit,
    indicator_all,
    indicator_get,
    indicator_register,
)
from indicators.services import indicator_values_fill

from .conftest import stored_values
from .test_scale_rewrites import EDGE_TODAY, _edge_history

UNIQUE = sorted(
    d.code
    for d in indicator_all()
    if COUNT_UNIQUE_NUM in (d.numerator_sql, d.denominator_sql)
    or COUNT_UNIQUE_DEN in (d.numerator_sql, d.denominator_sql)
)


def _distinct(code: str) -> str:
    return "distinct." + code.replace(".", "_")


@pytest.fixture
def distinct_definitions():
    swap = {COUNT_UNIQUE_NUM: COUNT_NUM, COUNT_UNIQUE_DEN: COUNT_DEN}
    for code in UNIQUE:
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(IndicatorDefinition)
            if f.name not in ("code", "sql", "numerator_sql", "denominator_sql")
        }
        indicator_register(
            code=_distinct(code),
            numerator_sql=swap.get(defn.numerator_sql, defn.numerator_sql),
            denominator_sql=swap.get(defn.denominator_sql, defn.denominator_sql),
            **attrs,
        )(lambda sql=defn.sql: sql)
    yield
    for code in UNIQUE:
        registry.indicator_unregister(_distinct(code))


def test_the_ladder_counts_its_unique_facts_plainly():
    assert "amersfoort.ladder_climbing" in UNIQUE


@pytest.mark.django_db
def test_plain_counts_equal_the_distinct_counts(world, distinct_definitions):
    _edge_history(world)
    indicator_values_fill(
        municipality_id=world.municipality.pk,
        codes=UNIQUE + [_distinct(c) for c in UNIQUE],
        today=EDGE_TODAY,
    )
    rows = stored_values(world.municipality.pk)
    for code in UNIQUE:
        plain = {r[1:] for r in rows if r[0] == code}
        distinct = {r[1:] for r in rows if r[0] == _distinct(code)}
        assert plain == distinct, code
        # (with numerators above zero, so that the comparison counts something)
        assert any(r[-2] for r in plain), code


def test_a_unique_denominator_needs_the_den_key_column():
    with pytest.raises(RegistryError, match="den_key"):
        indicator_register(
            code="test.unique_without_den_key",
            label="x",
            definition="x",
            unit=Unit.PERCENTAGE,
            direction=Direction.HIGHER,
            source="x",
            numerator_sql=COUNT_UNIQUE_NUM,
            denominator_sql=COUNT_UNIQUE_DEN,
        )(lambda: "SELECT p.period_start, p.period_end, 1 AS num_key FROM periods p")
    assert not registry.is_registered("test.unique_without_den_key")
