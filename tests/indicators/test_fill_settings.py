# ruff: noqa: S608 - SQL of test definitions composed from constant fragments
"""The fill's memory settings (issue 19): each statement of a fill sees ``work_mem`` and
``hash_mem_multiplier`` as the settings say, only inside the fill's transaction; an empty
setting keeps the server's value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings

from indicators import registry
from indicators.registry import SUM_NUM, Direction, Unit, indicator_register
from indicators.services import indicator_values_fill

from .conftest import stored_values

TODAY = dt.date(2026, 6, 17)

#: one value per period: the setting read inside the fill statement
PROBES = {
    "test.work_mem_mb": "pg_size_bytes(current_setting('work_mem')) / 1048576",
    "test.hash_mem_multiplier": "current_setting('hash_mem_multiplier')::numeric",
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
    """Each probe's totals (every period) of the municipality."""
    result: dict[str, set] = {}
    for row in stored_values(municipality_id):
        code, dimension, value = row[0], row[4], row[6]
        if code in PROBES and dimension == "":
            result.setdefault(code, set()).add(value)
    return result


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the fill commits
@override_settings(INDICATORS_FILL_WORK_MEM="48MB", INDICATORS_FILL_HASH_MEM_MULTIPLIER="3")
def test_the_fill_statements_see_the_settings_for_their_transaction_only(municipality, probes):
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        server_work_mem = cursor.fetchone()[0]
    indicator_values_fill(
        municipality_id=municipality.pk, codes=list(PROBES), year=2026, today=TODAY
    )
    values = _values(municipality.pk)
    assert values["test.work_mem_mb"] == {48}
    assert values["test.hash_mem_multiplier"] == {3}
    with connection.cursor() as cursor:  # SET LOCAL: the session keeps its own
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == server_work_mem


@pytest.mark.django_db
@override_settings(INDICATORS_FILL_WORK_MEM="")
def test_an_empty_setting_keeps_the_servers_value(municipality, probes):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_bytes(current_setting('work_mem')) / 1048576")
        server = cursor.fetchone()[0]
    indicator_values_fill(
        municipality_id=municipality.pk, codes=["test.work_mem_mb"], year=2026, today=TODAY
    )
    assert _values(municipality.pk)["test.work_mem_mb"] == {server}
