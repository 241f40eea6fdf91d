# ruff: noqa: S608 - SQL of test definitions composed from constant fragments
"""The fill's planner settings and the period bounds it binds (issue 17).

Each statement of a fill sees ``work_mem``, ``hash_mem_multiplier`` and ``random_page_cost`` as
the settings say, only inside the fill's transaction, and the bounds ``FIRST_START``,
``FIRST_REF`` and ``LAST_REF`` as the dates of the periods it fills (a running period's
reference date is today).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings

from indicators import registry
from indicators.calculations import Period
from indicators.engine import period_params
from indicators.models import IndicatorValue
from indicators.registry import (
    FIRST_REF,
    FIRST_START,
    LAST_REF,
    SUM_NUM,
    Direction,
    Unit,
    indicator_register,
)
from indicators.services import indicator_values_fill

TODAY = dt.date(2026, 6, 17)

#: one value per period: the setting (or bound) read inside the fill statement
PROBES = {
    "test.work_mem_mb": "pg_size_bytes(current_setting('work_mem')) / 1048576",
    "test.hash_mem_multiplier": "current_setting('hash_mem_multiplier')::numeric",
    "test.random_page_cost_x10": "current_setting('random_page_cost')::numeric * 10",
    "test.first_start": f"{FIRST_START} - DATE '2000-01-01'",
    "test.first_ref": f"{FIRST_REF} - DATE '2000-01-01'",
    "test.last_ref": f"{LAST_REF} - DATE '2000-01-01'",
}


@pytest.fixture
def probes():
    for code, expression in PROBES.items():
        indicator_register(
            code=code,
            label="x",
            definition="x",
            unit=Unit.COUNT,
            direction=Direction.HIGHER,
            numerator_sql=SUM_NUM,
            period_kinds=("month", "year"),
        )(
            lambda expression=expression: (
                "SELECT p.period_start, p.period_end, NULL::bigint AS resident_id,"
                f" ({expression})::numeric AS num_key FROM periods p"
            )
        )
    yield
    for code in PROBES:
        registry.indicator_unregister(code)


def _values(municipality_id: int) -> dict[str, set]:
    result: dict[str, set] = {}
    for code, value in IndicatorValue.objects.filter(
        municipality_id=municipality_id, code__in=PROBES, dimension=""
    ).values_list("code", "value"):
        result.setdefault(code, set()).add(value)
    return result


def _days(day: dt.date) -> int:
    return (day - dt.date(2000, 1, 1)).days


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the fill commits
@override_settings(
    INDICATORS_FILL_WORK_MEM="48MB",
    INDICATORS_FILL_HASH_MEM_MULTIPLIER="3",
    INDICATORS_FILL_RANDOM_PAGE_COST="1.7",
)
def test_the_fill_statements_see_the_settings_and_the_bounds_of_what_they_fill(
    municipality, probes
):
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        server_page_cost = cursor.fetchone()[0]
    indicator_values_fill(
        municipality_id=municipality.pk, codes=list(PROBES), year=2026, today=TODAY
    )
    values = _values(municipality.pk)
    assert values["test.work_mem_mb"] == {48}
    assert values["test.hash_mem_multiplier"] == {3}
    assert values["test.random_page_cost_x10"] == {17}
    # January to June of 2026 and the year so far: the first start, the first month's end and
    # today (the running June and year end on today)
    assert values["test.first_start"] == {_days(dt.date(2026, 1, 1))}
    assert values["test.first_ref"] == {_days(dt.date(2026, 1, 31))}
    assert values["test.last_ref"] == {_days(TODAY)}
    with connection.cursor() as cursor:  # SET LOCAL: the session keeps its own
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == server_page_cost


@pytest.mark.django_db
@override_settings(INDICATORS_FILL_RANDOM_PAGE_COST="")
def test_an_empty_setting_keeps_the_servers_value(municipality, probes):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')::numeric * 10")
        server = cursor.fetchone()[0]
    indicator_values_fill(
        municipality_id=municipality.pk, codes=["test.random_page_cost_x10"], year=2026, today=TODAY
    )
    assert _values(municipality.pk)["test.random_page_cost_x10"] == {server}


def test_period_params_bound_the_reference_dates():
    periods = [
        Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year"),
        Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31), "month"),
        Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "month"),
    ]
    params = period_params(periods, TODAY)
    assert params["kinds"] == ["year", "month", "month"]
    assert params["first_start"] == dt.date(2025, 1, 1)
    assert params["first_ref"] == dt.date(2025, 12, 31)
    assert params["last_ref"] == TODAY
