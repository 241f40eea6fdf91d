"""Indicators that read a few trajectories do so through partial indexes (issue 19): at 400,000
households ``banenafspraak.jobs`` read all 432 MB of trajectories for its 7,000 jobs, and the fte
indicators the pages of every loonkostensubsidie trajectory for the fifth of them with hours. An
index's condition (``NOT (banenafspraak_sector = '')``, ``hours_per_week IS NOT NULL``) must be
one the planner can prove from the definition's, or the index is never used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from indicators.calculations import Period
from indicators.engine import definition_params, fill_sql, statement_params
from indicators.registry import indicator_get

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "index"),
    [
        ("banenafspraak.jobs", "trajectory_banenafspraak_idx"),
        ("support.loonkostensubsidie_fte", "trajectory_hours_idx"),
        ("support.nieuw_beschut_fte", "trajectory_hours_idx"),
    ],
)
def test_indicators_read_few_trajectories_by_their_partial_index(world, code, index):
    defn = indicator_get(code)
    today = dt.date(2026, 6, 17)
    periods = [
        Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year"),
        Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "month"),
    ]
    params = {
        **statement_params(municipality_id=world.municipality.pk, today=today, periods=periods),
        **definition_params(defn),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # On a test's few rows any path is as cheap as another: the table's other indexes are
        # dropped (rolled back) and a sequential scan turned off, so the statement uses the
        # partial index if its condition follows from the definition's, and cannot otherwise.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'caseload_trajectory' "
            "AND indexname NOT IN (%s, 'caseload_trajectory_pkey')",
            [index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + fill_sql(defn), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    assert index in plan, plan
