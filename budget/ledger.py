"""Parsing and row validation of the payment-ledger export (CSV or XLSX). Pure: no ORM.

Column mapping (header names, case-insensitive; documented in docs/budget.md):

=================  =====================================================================
boekingskenmerk    unique reference of the ledger line (max 40 characters)
regeling           pw / ioaw / ioaz / bbz_starter / lks, or the Dutch name of the regime
maand              month: ``2024-03``, ``03-2024`` or a date in that month (``2024-03-15``)
soort              terugvordering / verhaal / overig
bedrag             amount in euros, ``1234.56`` or ``1.234,56``; must be > 0
=================  =====================================================================

Other columns (such as a BSN or a name) are ignored and never read into memory beyond the row;
error reasons never repeat a cell value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from caseload.models import Regime

REQUIRED = ("boekingskenmerk", "regeling", "maand", "soort", "bedrag")
KINDS = {"terugvordering": "terugvordering", "verhaal": "verhaal", "overig": "overig"}
_REGIMES = {code: code for code in Regime.values} | {
    str(label).lower(): code for code, label in Regime.choices
}
_REGIMES |= {"algemene bijstand": "pw", "participatiewet": "pw", "bbz": "bbz_starter"}


class LedgerFileError(Exception):
    """The file as a whole cannot be read (message in Dutch)."""


@dataclass(frozen=True)
class LedgerRow:
    line: int
    reference: str
    regime: str
    month: dt.date
    kind: str
    amount: Decimal


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


def read_rows(content: bytes, filename: str) -> tuple[int, Iterator[tuple[int, dict]]]:
    """(number of data rows, iterator of (line number, {column: raw value}))."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> tuple[int, Iterator[tuple[int, dict]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LedgerFileError("Het bestand is geen UTF-8-tekst (CSV) of XLSX-bestand.") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise LedgerFileError("Het bestand is leeg.") from exc
    _check_header(header)
    total = sum(1 for line in lines[1:] if line.strip())

    def rows() -> Iterator[tuple[int, dict]]:
        for index, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield index, dict(zip(header, values, strict=False)) | {"__cells": len(values)}

    return total, rows()


def _read_xlsx(content: bytes) -> tuple[int, Iterator[tuple[int, dict]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise LedgerFileError("Het XLSX-bestand kan niet worden gelezen.") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(iterator)]
    except StopIteration as exc:
        raise LedgerFileError("Het bestand is leeg.") from exc
    _check_header(header)
    total = max((sheet.max_row or 1) - 1, 0)

    def rows() -> Iterator[tuple[int, dict]]:
        for index, values in enumerate(iterator, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            cells = ["" if v is None else v for v in values]
            yield index, dict(zip(header, cells, strict=False)) | {"__cells": len(header)}
        workbook.close()

    return total, rows()


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LedgerFileError("Ontbrekende kolom(men) in de kopregel: " + ", ".join(missing) + ".")


_MONTH_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{1,2})-(\d{4})$"), lambda m: (int(m[2]), int(m[1]))),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), lambda m: (int(m[3]), int(m[2]))),
)


def parse_month(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value).strip()
    for pattern, pick in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = pick(match)
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return dt.date(year, month, 1)
            return None
    return None


def parse_amount(value) -> Decimal | None:
    if isinstance(value, int | float):
        value = str(value)
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def validate_row(line: int, raw: dict) -> LedgerRow | list[RowError]:
    """A valid row, or every reason this row is rejected (Dutch, without cell values)."""
    errors: list[str] = []
    if raw.get("__cells", 0) < len(REQUIRED):
        return [RowError(line, "Te weinig kolommen in deze regel.")]
    reference = str(raw.get("boekingskenmerk", "")).strip()
    if not reference:
        errors.append("Boekingskenmerk ontbreekt.")
    elif len(reference) > 40:
        errors.append("Boekingskenmerk is langer dan 40 tekens.")
    regime = _REGIMES.get(str(raw.get("regeling", "")).strip().lower())
    if regime is None:
        errors.append("Onbekende regeling (verwacht pw, ioaw, ioaz, bbz_starter of lks).")
    month = parse_month(raw.get("maand", ""))
    if month is None:
        errors.append("Ongeldige maand (verwacht bijvoorbeeld 2024-03).")
    kind = KINDS.get(str(raw.get("soort", "")).strip().lower())
    if kind is None:
        errors.append("Onbekende soort (verwacht terugvordering, verhaal of overig).")
    amount = parse_amount(raw.get("bedrag", ""))
    if amount is None:
        errors.append("Ongeldig bedrag (verwacht bijvoorbeeld 1234,56).")
    elif amount <= 0:
        errors.append("Bedrag moet groter zijn dan 0.")
    elif amount >= Decimal("10000000000"):
        errors.append("Bedrag is te groot.")
    if errors:
        return [RowError(line, " ".join(errors))]
    assert regime and month and kind and amount is not None
    return LedgerRow(
        line=line, reference=reference, regime=regime, month=month, kind=kind, amount=amount
    )
