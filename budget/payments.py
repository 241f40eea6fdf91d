"""Parsing and row validation of the benefits administration's monthly payments export (CSV or
XLSX). Pure: no ORM.

Every municipality's export names its columns differently, so each column of the documented
format is looked up under the header name the municipality's column mapping
(``budget.PaymentColumnMapping``, set by financien or beheer on the payments page) gives it.

=====================  ================================================================
bsn                    BSN of the applicant of the benefit (11-test)
regeling               pw / ioaw / ioaz / bbz_starter / lks, or the Dutch name
maand                  ``2026-03``, ``03-2026``, a date in that month or an Excel date
bruto                  gross benefit amount of the month, euros >= 0
verrekende_inkomsten   income from (part-time) work set off in the month, euros >= 0
netto                  amount paid, euros >= 0
correctie              ``ja``/``nee`` (also 1/0, j/n, true/false; empty is ``nee``): this row
                       replaces an earlier payment of the same benefit and month
=====================  ================================================================

Other columns (names, addresses) are ignored and never read beyond the row; error reasons never
repeat a cell value (the file holds BSNs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from common.bsn import is_valid_bsn
from common.tabular_read import RowForm, TabularFileError, header_name, read_table

from .ledger import _REGIMES, _LookupField, _MonthField, parse_amount

#: the documented columns, in the order of the format
COLUMNS = ("bsn", "regeling", "maand", "bruto", "verrekende_inkomsten", "netto", "correctie")
REQUIRED = ("bsn", "regeling", "maand", "bruto", "verrekende_inkomsten", "netto")
COLUMN_LABELS = {
    "bsn": "BSN aanvrager",
    "regeling": "Regeling",
    "maand": "Maand",
    "bruto": "Bruto bedrag",
    "verrekende_inkomsten": "Verrekende inkomsten",
    "netto": "Netto betaald",
    "correctie": "Correctie (ja/nee)",
}
_TRUE = {"ja", "j", "1", "true", "waar", "yes", "y", "x"}
_FALSE = {"nee", "n", "0", "false", "onwaar", "no", ""}
_AMOUNT_LIMIT = Decimal("10000000")

PaymentFileError = TabularFileError


@dataclass(frozen=True)
class PaymentRow:
    line: int
    bsn: str
    regime: str
    month: dt.date
    gross: Decimal
    income_offset: Decimal
    net: Decimal
    correction: bool


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


def read_rows(
    content: bytes, filename: str, mapping: Mapping[str, str]
) -> tuple[int, Iterator[tuple[int, dict]]]:
    """(number of data rows, iterator of (line, {documented column: raw value})): the file read
    by the shared reader, its columns renamed from the municipality's header names."""
    names = {column: header_name(mapping.get(column) or column) for column in COLUMNS}
    table = read_table(content, filename=filename, required=[names[c] for c in REQUIRED])
    reverse = {header: column for column, header in names.items()}

    def rows() -> Iterator[tuple[int, dict]]:
        for row in table:
            values = {reverse[k]: v for k, v in row.values.items() if k in reverse}
            yield row.line, values

    return table.total, rows()


class _BsnField(forms.Field):
    default_error_messages = {"invalid": "Ongeldig BSN (voldoet niet aan de elfproef)."}

    def __init__(self) -> None:
        super().__init__(error_messages={"required": "BSN ontbreekt."})

    def to_python(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        text = str(value).strip()
        if isinstance(value, int | float) or text.isdigit():
            text = text.split(".")[0].zfill(9)
        if not is_valid_bsn(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return text


class _MoneyField(forms.Field):
    """Euros >= 0, ``1234.56`` or ``1.234,56`` (a machine export's decimal point or a Dutch
    comma)."""

    def __init__(self, label: str) -> None:
        self.text = label
        super().__init__(error_messages={"required": f"{label} ontbreekt."})

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(
                f"{self.text}: ongeldig bedrag (verwacht bijvoorbeeld 1234,56).", code="invalid"
            )
        return amount

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is not None and value < 0:
            raise forms.ValidationError(f"{self.text} mag niet negatief zijn.", code="negative")
        if value is not None and value >= _AMOUNT_LIMIT:
            raise forms.ValidationError(f"{self.text} is te groot.", code="too_large")


class _FlagField(forms.Field):
    def __init__(self) -> None:
        super().__init__(required=False)

    def to_python(self, value: Any) -> bool:
        text = str(value if value is not None else "").strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Correctie moet ja of nee zijn.", code="invalid")


class PaymentRowForm(RowForm):
    """One payment line. Messages are Dutch and never repeat the cell."""

    bsn = _BsnField()
    regeling = _LookupField(
        choices=_REGIMES,
        message="Onbekende regeling (verwacht pw, ioaw, ioaz, bbz_starter of lks).",
    )
    maand = _MonthField()
    bruto = _MoneyField("Bruto bedrag")
    verrekende_inkomsten = _MoneyField("Verrekende inkomsten")
    netto = _MoneyField("Netto betaald")
    correctie = _FlagField()


def join_reasons(messages: Iterable[str]) -> str:
    """The reasons of one rejected row as sentences: ``"BSN ontbreekt. Ongeldige maand."``,
    never ``"…ontbreekt.; Ongeldige maand"``."""
    sentences = (message.strip() for message in messages)
    return " ".join(s if s.endswith((".", "!", "?")) else f"{s}." for s in sentences if s)


def validate_row(line: int, raw: dict) -> PaymentRow | list[RowError]:
    """A valid row, or every reason this row is rejected (all of its field errors)."""
    form = PaymentRowForm(raw)
    errors = form.row_errors()
    if errors:
        return [RowError(line, join_reasons(message for _, message in errors))]
    data = form.cleaned_data
    if data["verrekende_inkomsten"] > data["bruto"]:
        return [RowError(line, "Verrekende inkomsten zijn hoger dan het bruto bedrag.")]
    return PaymentRow(
        line=line,
        bsn=data["bsn"],
        regime=data["regeling"],
        month=data["maand"],
        gross=data["bruto"],
        income_offset=data["verrekende_inkomsten"],
        net=data["netto"],
        correction=data["correctie"],
    )
