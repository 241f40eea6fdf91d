"""Benchmark: ledger import of a 500,000-row CSV file (validate all, insert all in one go).

    .venv/bin/python bench/budget_import.py [rows]

Runs in a throwaway database; times the task body (``services.ledger_import_run``) and the
idempotent re-import of the same file.
"""

from __future__ import annotations

import sys
import tempfile

from budget_db import setup, teardown, timed

NAME = "bench_budget_import"
REGIMES = ["pw", "ioaw", "ioaz", "bbz_starter", "lks"]
KINDS = ["terugvordering", "verhaal", "overig"]


def ledger_csv(rows: int, year: int) -> bytes:
    """A ledger export of ``rows`` receipts spread over the regimes and months of ``year``."""
    lines = ["boekingskenmerk;regeling;maand;soort;bedrag"]
    for i in range(rows):
        lines.append(
            f"B-{i};{REGIMES[i % 5]};{year}-{i % 12 + 1:02d};{KINDS[i % 3]};"
            f"{i % 900 + 1},{i % 100:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def main(rows: int) -> None:
    connection = setup(NAME)
    try:
        run(rows)
    finally:
        teardown(connection, NAME)


def run(rows: int) -> None:
    from django.conf import settings

    from budget import selectors, services
    from budget.models import LedgerImport, Receipt
    from caseload.models import Municipality, User

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    results: dict[str, float] = {}
    municipality = Municipality.objects.create(name="Benchgemeente", cbs_code="GM8887")
    finance = User.objects.create(username="fin", role="financien")
    content = ledger_csv(rows, 2026)
    print(f"file: {rows} rows, {len(content) / 1e6:.1f} MB")
    with timed(f"upload + import task (eager): validate + insert {rows} rows", results):
        item, created = services.ledger_import_start(
            municipality=municipality, filename="bench.csv", content=content, by=finance
        )
    item.refresh_from_db()
    assert item.status == LedgerImport.Status.SUCCEEDED, item.errors[:5]
    assert Receipt.objects.count() == rows
    with timed("re-import of the same file (checksum, no-op)", results):
        _, created = services.ledger_import_start(
            municipality=municipality, filename="bench.csv", content=content, by=finance
        )
    assert not created
    with timed("overview selector after import", results):
        figures = selectors.year_figures(user=finance, municipality=municipality, year=2026)
    print("baten", figures.baten)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500_000)
