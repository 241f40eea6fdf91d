"""Benchmark: BUIG year report (and the overview's GROUP BY) for 40,000 households.

    .venv/bin/python bench/budget_report.py [households]

Seeds households, residents, benefits and 12 monthly payments each (480,000 payment rows) in a
throwaway database, then times the selector behind the overview page and the report task body.
"""

from __future__ import annotations

import random
import sys
import tempfile

from budget_db import setup, teardown, timed

NAME = "bench_budget_report"


def main(households: int) -> None:
    connection = setup(NAME)
    try:
        run(households)
    finally:
        teardown(connection, NAME)


def run(households: int) -> None:
    import datetime as dt

    from django.conf import settings
    from django.db import connection

    from budget import selectors, services
    from caseload.models import (
        Benefit,
        Household,
        Municipality,
        Regime,
        Resident,
        Team,
        User,
    )
    from common.bsn import generate_fake_bsn

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    results: dict[str, float] = {}
    rng = random.Random(5)
    municipality = Municipality.objects.create(name="Benchgemeente", cbs_code="GM8888")
    team = Team.objects.create(municipality=municipality, name="Team", kind=Team.Kind.WORK)
    finance = User.objects.create(username="fin", role="financien")
    with timed(f"seed {households} households + {households * 12} payments", results):
        hh = Household.objects.bulk_create(
            [
                Household(
                    municipality=municipality,
                    household_type="alleenstaand",
                    street="Straat",
                    house_number=str(i % 300 + 1),
                    postcode="1211 AB",
                    city="Hilversum",
                )
                for i in range(households)
            ],
            batch_size=5000,
        )
        bsns: set[str] = set()
        while len(bsns) < households:
            bsns.add(generate_fake_bsn(rng))
        residents = Resident.objects.bulk_create(
            [
                Resident(
                    municipality=municipality,
                    household=h,
                    team=team,
                    bsn=b,
                    is_fake=True,
                    first_name="A",
                    last_name="B",
                    birth_date=dt.date(1980, 1, 1),
                    education_level="mbo2",
                    language_level="moedertaal",
                )
                for h, b in zip(hh, bsns, strict=True)
            ],
            batch_size=5000,
        )
        regimes = [Regime.ALGEMENE_BIJSTAND] * 8 + [Regime.IOAW, Regime.LOONKOSTENSUBSIDIE]
        Benefit.objects.bulk_create(
            [
                Benefit(
                    household=r.household,
                    applicant=r,
                    regime=rng.choice(regimes),
                    start_date=dt.date(2024, 1, 1),
                )
                for r in residents
            ],
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO caseload_benefitpayment (benefit_id, month, amount_paid, income_offset)
                SELECT b.id, make_date(2026, m, 1), 900 + (b.id % 500) + m / 100.0, 0
                FROM caseload_benefit b CROSS JOIN generate_series(1, 12) AS m
                """
            )
            cursor.execute("ANALYZE")
    with timed("month totals refresh (beat job: one GROUP BY over the payments)", results):
        services.payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    with timed("overview selector (page request: stored month totals)", results):
        selectors.year_figures(user=finance, municipality=municipality, year=2026)
    with timed("BUIG report task (eager; XLSX + CSV, stored, sha256)", results):
        report = services.buig_report_request(municipality=municipality, year=2026, by=finance)
    report.refresh_from_db()
    print("status", report.status, "payments_total", report.payments_total)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40_000)
