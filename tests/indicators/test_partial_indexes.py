"""The banenafspraak jobs are read through their partial index (issue 19): at 400,000
households ``banenafspraak.jobs`` read all 432 MB of trajectories for its 7,000 jobs. The index's
condition (``NOT (banenafspraak_sector = '')``) must be one the planner can prove from the
definition's ``tr.banenafspraak_sector <> ''``, or the index is never used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection, transaction

from indicators.engine import fill_sql
from indicators.registry import indicator_get

pytestmark = pytest.mark.django_db


def test_banenafspraak_jobs_are_read_by_their_partial_index(world):
    defn = indicator_get("banenafspraak.jobs")
    today = dt.date(2026, 6, 17)
    params = {
        "municipality_id": world.municipality.pk,
        "today": today,
        "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
        "code": defn.code,
        "scale": defn.scale,
        "now": today,
        "version": defn.version,
        "kinds": ["year", "month"],
        "starts": [dt.date(2025, 1, 1), dt.date(2026, 6, 1)],
        "ends": [dt.date(2025, 12, 31), dt.date(2026, 6, 30)],
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # (on a test's few rows a sequential scan is cheaper: turned off to see which
        # indexes the planner can use at all)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + fill_sql(defn), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "trajectory_banenafspraak_idx" in plan, plan
