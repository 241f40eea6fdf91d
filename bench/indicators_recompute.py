"""Benchmark: full indicator recompute vs a hand-written single-pass SQL floor, and the
dashboard page latency (in-process, sequential).

Run against a database that holds data (e.g. after ``manage.py seed_demo``)::

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings.dev \\
        .venv/bin/python bench/indicators_recompute.py [--requests 50]

``bench/run.py`` (``make bench``) imports :func:`floor_seconds` and :func:`full_recompute`.

The floor is one SELECT that, in a single pass over periods x benefits, computes for every month
and year the open caseload at the reference date and the benefits ended in the period (the rows
the heaviest indicators read). It is the cost of just reading the data once; the goal is a full
recompute within 3x the floor per indicator-equivalent and under 60 s in total.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indicators.fill import FillResult

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

FLOOR_SQL = """
WITH periods AS MATERIALIZED (
    SELECT s.period_start, s.period_end, LEAST(s.period_end, %(today)s::date) AS ref_date
      FROM unnest(%(starts)s::date[], %(ends)s::date[]) AS s(period_start, period_end)
)
SELECT p.period_start, p.period_end,
       count(*) FILTER (WHERE b.start_date <= p.ref_date
                          AND (b.end_date IS NULL OR b.end_date > p.ref_date)) AS open_at_ref,
       count(*) FILTER (WHERE b.end_date BETWEEN p.period_start AND p.ref_date) AS ended
  FROM periods p
  JOIN caseload_benefit b
    ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date >= p.period_start)
  JOIN caseload_household h ON h.id = b.household_id
 WHERE h.municipality_id = %(municipality_id)s
 GROUP BY p.period_start, p.period_end
"""


def data_summary(municipality_id: int, today) -> dict:
    from django.db import connection

    from indicators.calculations import periods_of_year
    from indicators.services import _data_years

    years = _data_years(municipality_id=municipality_id, today=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM caseload_benefit b JOIN caseload_household h"
            " ON h.id = b.household_id WHERE h.municipality_id = %s",
            [municipality_id],
        )
        benefits = cursor.fetchone()[0]
    periods = [p for y in years for p in periods_of_year(y, ("month", "year"), today)]
    return {"benefits": benefits, "years": years, "periods": periods}


def floor_seconds(municipality_id: int, today, periods) -> float:
    """Wall time of the single-pass floor query over ``periods`` x benefits."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_SQL,
            {
                "today": today,
                "municipality_id": municipality_id,
                "starts": [p.start for p in periods],
                "ends": [p.end for p in periods],
            },
        )
        cursor.fetchall()
    return time.monotonic() - started


def full_recompute(
    municipality_id: int, today, year: int | None = None, codes: list[str] | None = None
) -> tuple[float, FillResult]:
    """Every registered indicator (or ``codes``) over every year with data (or ``year``): the
    one service call ``manage.py recompute_indicators`` and the nightly task make
    (``INDICATORS_FILL_WORKERS`` indicators at once). Returns the wall time and the fill's result:
    its ``codes`` (every indicator filled) and ``seconds`` (the wall time of each batch, keyed
    by its codes: one indicator, or those filled together)."""
    from indicators.services import indicator_values_fill

    started = time.monotonic()
    result = indicator_values_fill(
        municipality_id=municipality_id, today=today, year=year, codes=codes
    )
    return time.monotonic() - started, result


def main() -> None:
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from caseload.models import Municipality, User

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    today = timezone.localdate()
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        sys.exit("no data: run manage.py seed_demo first")
    data = data_summary(municipality.pk, today)
    years = data["years"]
    print(f"{municipality.name}: {data['benefits']} benefits, years {years[0]}-{years[-1]}")
    floor = floor_seconds(municipality.pk, today, data["periods"])
    print(f"floor (one pass, {len(data['periods'])} periods x benefits): {floor:.2f} s")
    full, result = full_recompute(municipality.pk, today)
    per_code = result.seconds
    for code, seconds in sorted(per_code.items(), key=lambda kv: -kv[1]):
        print(f"  {code:40s} {seconds:6.2f} s")
    heaviest = max(per_code.values())
    print(f"full recompute ({len(result.codes)} indicators): {full:.2f} s")
    print(
        f"heaviest indicator / floor: {heaviest / floor:.1f}x; total / floor: {full / floor:.1f}x"
    )

    user = (
        User.objects.filter(role="manager").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if user is None:
        print("no manager user: dashboard timing skipped")
        return
    client = Client()
    client.force_login(user)
    url = f"/indicatoren/?jaar={today.year}&gemeente={municipality.pk}"
    client.get(url)  # warm up
    times = []
    for _ in range(args.requests):
        t = time.monotonic()
        response = client.get(url)
        times.append((time.monotonic() - t) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"dashboard {url}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
