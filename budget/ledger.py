"""Parsing and row validation of the payment-ledger export (CSV or XLSX). Pure: no ORM.

The file is read by the shared reader (``common/tabular_read.py``: encoding, delimiter, XLSX,
limits); each row is validated by :class:`LedgerRowForm`, which reports all of a row's errors.
A row whose every value is plainly valid is cleaned by plain conversions instead (:func:`_fast_row`,
the same values the form would give); only a row that fails it is bound to the form, so the
messages are the form's. The form per row tripled the time of a 500,000-row import.

Column mapping (header names, case-insensitive; documented in docs/budget.md):

=================  =====================================================================
boekingskenmerk    unique reference of the ledger line (max 40 characters)
regeling           pw / ioaw / ioaz / bbz_starter / lks, or the Dutch name of the regime
maand              month: ``2024-03``, ``03-2024`` or a date in that month (``2024-03-15``)
soort              terugvordering / verhaal / overig (baten), or uitkering: the benefit
                   costs booked, only for the reconciliation with the payments feed
bedrag             amount in euros, ``1234.56`` or ``1.234,56``; must be > 0
=================  =====================================================================

Other columns (such as a BSN or a name) are ignored and never read into memory beyond the row;
error reasons never repeat a cell value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from caseload.models import Regime
from common.tabular_read import RowForm, TabularFileError, read_table

REQUIRED = ("boekingskenmerk", "regeling", "maand", "soort", "bedrag")
KINDS = {
    "terugvordering": "terugvordering",
    "verhaal": "verhaal",
    "overig": "overig",
    "uitkering": "uitkering",
    "uitkeringslasten": "uitkering",
}
_REGIMES = {code: code for code in Regime.values} | {
    str(label).lower(): code for code, label in Regime.choices
}
_REGIMES |= {"algemene bijstand": "pw", "participatiewet": "pw", "bbz": "bbz_starter"}

_KIND_CODES = tuple(dict.fromkeys(KINDS.values()))  # the codes, without their aliases
_MONTH_EXAMPLE, _AMOUNT_EXAMPLE, _REFERENCE_MAX = "2024-03", "1234,56", 40


def _one_of(codes) -> str:
    """``a, b of c``."""
    return ", ".join(codes[:-1]) + " of " + codes[-1]


#: what each column holds, for the import page: the words of the row messages below, from the
#: same values (the walk of 4 December: the values of ``soort`` showed only after a rejection)
COLUMN_HELP = (
    ("boekingskenmerk", f"het kenmerk van de boeking, ten hoogste {_REFERENCE_MAX} tekens"),
    ("regeling", _one_of(Regime.values)),
    ("maand", f"de maand van de boeking, bijvoorbeeld {_MONTH_EXAMPLE}"),
    ("soort", _one_of(_KIND_CODES)),
    ("bedrag", f"in euro, groter dan 0, bijvoorbeeld {_AMOUNT_EXAMPLE}"),
)

#: the file as a whole cannot be read (the shared reader's error; message in Dutch)
LedgerFileError = TabularFileError


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
    """(number of data rows, iterator of (line number, {column: raw value})) through the shared
    reader (common/tabular_read.py: encoding, delimiter, XLSX, limits). ``__cells`` is the
    number of cells of the source row."""
    table = read_table(content, filename=filename, required=REQUIRED)
    return table.total, ((row.line, row.values | {"__cells": row.width}) for row in table)


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


_AMOUNT = re.compile(r"-?\d+(\.\d{1,2})?")
#: an amount the form accepts is below this (``_AmountField``: "Bedrag is te groot.")
_AMOUNT_LIMIT = Decimal("10000000000")


def parse_amount(value) -> Decimal | None:
    if isinstance(value, int | float):
        value = str(value)
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _LookupField(forms.Field):
    """A code looked up case-insensitively in ``choices``; blank or unknown is one message."""

    def __init__(self, *, choices: dict[str, str], message: str) -> None:
        super().__init__(error_messages={"required": message, "invalid": message})
        self.choices = choices

    def to_python(self, value: Any) -> str | None:
        text = str(value if value is not None else "").strip().lower()
        if not text:
            return None
        if text not in self.choices:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return self.choices[text]


class _MonthField(forms.Field):
    default_error_messages = {
        "invalid": f"Ongeldige maand (verwacht bijvoorbeeld {_MONTH_EXAMPLE})."
    }

    def __init__(self) -> None:
        super().__init__(error_messages={"required": self.default_error_messages["invalid"]})

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class _AmountField(forms.Field):
    default_error_messages = {
        "invalid": f"Ongeldig bedrag (verwacht bijvoorbeeld {_AMOUNT_EXAMPLE}).",
        "not_positive": "Bedrag moet groter zijn dan 0.",
        "too_large": "Bedrag is te groot.",
    }

    def __init__(self) -> None:
        super().__init__(error_messages={"required": self.default_error_messages["invalid"]})

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is not None and value <= 0:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        if value is not None and value >= _AMOUNT_LIMIT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")


class LedgerRowForm(RowForm):
    """One ledger line (the row kind of this import). Messages are Dutch and never repeat the
    cell: a ledger export may hold a BSN in any column."""

    boekingskenmerk = forms.CharField(
        max_length=_REFERENCE_MAX,
        error_messages={
            "required": "Boekingskenmerk ontbreekt.",
            "max_length": f"Boekingskenmerk is langer dan {_REFERENCE_MAX} tekens.",
        },
    )
    regeling = _LookupField(
        choices=_REGIMES,
        message=f"Onbekende regeling (verwacht {_one_of(Regime.values)}).",
    )
    maand = _MonthField()
    soort = _LookupField(
        choices=KINDS,
        message=f"Onbekende soort (verwacht {_one_of(_KIND_CODES)}).",
    )
    bedrag = _AmountField()


def validate_row(line: int, raw: dict) -> LedgerRow | list[RowError]:
    """A valid row, or every reason this row is rejected (Dutch, without cell values): all
    field errors of the row in one reason."""
    if raw.get("__cells", 0) < len(REQUIRED):
        return [RowError(line, "Te weinig kolommen in deze regel.")]
    row = _fast_row(line, raw)
    return row if row is not None else _form_row(line, raw)


def _form_row(line: int, raw: dict) -> LedgerRow | list[RowError]:
    """The row validated by :class:`LedgerRowForm`: the reference for every row the fast path
    does not take, and the one source of the messages."""
    data = {name: "" if raw.get(name) is None else raw[name] for name in REQUIRED}
    form = LedgerRowForm(data=data)
    if not form.is_valid():
        return [RowError(line, " ".join(message for _, message in form.row_errors()))]
    values = form.cleaned_data
    return LedgerRow(
        line=line,
        reference=values["boekingskenmerk"],
        regime=values["regeling"],
        month=values["maand"],
        kind=values["soort"],
        amount=values["bedrag"],
    )


def _fast_row(line: int, raw: dict) -> LedgerRow | None:
    """The row as :class:`LedgerRowForm` cleans it, by plain conversions, when every value is
    plainly valid; ``None`` for anything else (then the form decides and words the reasons).

    Each test mirrors its field: ``CharField(max_length=40)`` strips a string and refuses an
    empty one, one over 40 characters and one with a NUL character; the lookups strip and lower
    case the text; the month and amount parse with the same functions and the amount bounds.
    A value that is not a string as the reference (a workbook number) goes to the form."""
    reference = raw.get("boekingskenmerk")
    if type(reference) is not str:
        return None
    reference = reference.strip()
    if not reference or len(reference) > _REFERENCE_MAX or "\x00" in reference:
        return None
    regime = _REGIMES.get(str(raw.get("regeling")).strip().lower())
    kind = KINDS.get(str(raw.get("soort")).strip().lower())
    if regime is None or kind is None:
        return None
    month = parse_month(raw.get("maand"))
    amount = parse_amount(raw.get("bedrag"))
    if month is None or amount is None or not 0 < amount < _AMOUNT_LIMIT:
        return None
    return LedgerRow(
        line=line, reference=reference, regime=regime, month=month, kind=kind, amount=amount
    )
