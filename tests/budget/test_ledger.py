"""The ledger rows: the fast path (plain conversions) and the form give the same answers.

Issue 16 follow-up: binding ``LedgerRowForm`` to every row tripled the time of a 500,000-row
ledger import (24 -> 73 µs a row). A row is now cleaned by ``ledger._fast_row`` and only a row
it does not take goes to the form, whose messages stay the only wording. These tests hold the
two to each other: same values for good rows, the form's messages for bad ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from budget import ledger
from budget.ledger import LedgerRow, RowError

# Cell values per column: valid ones (CSV strings and workbook types) and invalid ones.
REFERENCES = ["B-1", "  B-2 ", "x" * 40, "", "   ", "x" * 41, "B\x00-3", None, 12345, 1.5]
REGIMES = ["pw", " PW ", "Participatiewet", "bbz", "IOAW", "", "wwb", None, 3]
MONTHS = [
    "2026-03",
    "3-2026",
    "2026-03-15",
    "15-03-2026",
    " 2026-12 ",
    dt.date(2026, 3, 15),
    dt.datetime(2026, 3, 15, 10, 0),
    "",
    "2026-13",
    "1999-01",
    "maart",
    None,
    202603,
    dt.time(10, 0),
]
KINDS = ["verhaal", " Terugvordering ", "OVERIG", "", "boete", None]
AMOUNTS = [
    "1234,56",
    "1.234,56",
    "€ 12,50",
    "0,01",
    "9999999999,99",
    12,
    12.5,
    "",
    "0",
    "0,00",
    "-5,00",
    "10000000000",
    "12,345",
    "1e5",
    "abc",
    None,
    True,
    0,
]


def _raw(reference, regime, month, kind, amount, cells=5) -> dict:
    values = {"boekingskenmerk": reference, "regeling": regime, "maand": month}
    values |= {"soort": kind, "bedrag": amount}
    return {name: value for name, value in values.items() if value is not None} | {"__cells": cells}


def _rows():
    """Every combination of a few values per column (each column's full list against the
    others' first valid and first invalid value) and a sample of the full product."""
    columns = [REFERENCES, REGIMES, MONTHS, KINDS, AMOUNTS]
    picks = [("B-1", ""), ("pw", "wwb"), ("2026-03", "2026-13"), ("verhaal", ""), ("1,00", "0")]
    for index, column in enumerate(columns):
        for others in itertools.product(*(p for i, p in enumerate(picks) if i != index)):
            for value in column:
                combination = list(others)
                combination.insert(index, value)
                yield combination
    yield from itertools.islice(itertools.product(*columns), 0, None, 7)


def test_fast_path_and_form_agree_on_every_row():
    """Issue 16 follow-up (ledger speed): for every row of the table, good or bad, the result
    of ``validate_row`` (fast path first) equals the form's alone; a good row is taken by the
    fast path with the form's values, a bad row gets the form's Dutch messages."""
    good = bad = 0
    for line, values in enumerate(_rows(), start=2):
        raw = _raw(*values)
        expected = ledger._form_row(line, raw)
        fast = ledger._fast_row(line, raw)
        assert ledger.validate_row(line, raw) == expected, values
        if isinstance(expected, LedgerRow):
            good += 1
            if isinstance(values[0], str):  # a workbook number as reference: the form's
                assert fast == expected, values
        else:
            bad += 1
            assert fast is None, values
    assert good > 100 and bad > 1000


def test_bad_rows_keep_the_forms_messages():
    """Issue 16 follow-up (ledger speed): the wording of a bad row is the form's, all reasons
    in one, never a cell value."""
    raw = _raw("x" * 41, "wwb", "2026-13", "boete", "-5,00")
    assert ledger.validate_row(7, raw) == [
        RowError(
            7,
            "Boekingskenmerk is langer dan 40 tekens. "
            "Onbekende regeling (verwacht pw, ioaw, ioaz, bbz_starter of lks). "
            "Ongeldige maand (verwacht bijvoorbeeld 2024-03). "
            "Onbekende soort (verwacht terugvordering, verhaal, overig of uitkering). "
            "Bedrag moet groter zijn dan 0.",
        )
    ]
    assert ledger.validate_row(8, _raw("", "pw", "2026-01", "verhaal", "")) == [
        RowError(8, "Boekingskenmerk ontbreekt. Ongeldig bedrag (verwacht bijvoorbeeld 1234,56).")
    ]
    assert ledger.validate_row(9, _raw("B-9", "pw", "2026-01", "verhaal", "1", cells=4)) == [
        RowError(9, "Te weinig kolommen in deze regel.")
    ]
    (error,) = ledger.validate_row(10, _raw("B\x00-1", "pw", "2026-01", "verhaal", "1"))
    assert error.line == 10 and "\x00" not in error.reason and error.reason


def _benchmark_csv(rows: int, year: int) -> bytes:
    """The file of ``bench/budget_import.py`` (``ledger_csv``), the one the speed is measured on."""
    regimes, kinds = (
        ["pw", "ioaw", "ioaz", "bbz_starter", "lks"],
        ["terugvordering", "verhaal", "overig"],
    )
    lines = ["boekingskenmerk;regeling;maand;soort;bedrag"]
    for i in range(rows):
        lines.append(
            f"B-{i};{regimes[i % 5]};{year}-{i % 12 + 1:02d};{kinds[i % 3]};"
            f"{i % 900 + 1},{i % 100:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_the_benchmark_file_takes_the_fast_path_with_the_forms_values():
    """Issue 16 follow-up (ledger speed): every row of the benchmark's ledger file (through
    the shared reader) is taken by the fast path, with the values the form gives."""
    total, rows = ledger.read_rows(_benchmark_csv(3000, 2026), "bench.csv")
    assert total == 3000
    for line, raw in rows:
        fast = ledger._fast_row(line, raw)
        assert fast is not None and fast == ledger._form_row(line, raw)
    assert fast == LedgerRow(
        line=3001,
        reference="B-2999",
        regime="lks",
        month=dt.date(2026, 12, 1),
        kind="overig",
        amount=Decimal("300.99"),
    )
