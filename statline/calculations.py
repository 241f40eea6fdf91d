"""Reading CBS StatLine cells: periods and published numbers (pure functions, no ORM).

Periods come as CBS's period code (``2019KW01``, ``2019JJ00``, ``2019MM03``; the form of the CSV
and open-data exports) or as the label the StatLine page shows (``2019 1e kwartaal``, ``2019``,
``2019 maart``); a trailing ``*`` (provisional) or ``**`` (revised provisional) marks a figure
CBS may still change. Numbers are as published: digits with the Dutch thousands separator
(``431.550``) or without (``431550``), a decimal comma allowed; ``.`` alone is CBS's "figure
not available" and is no value.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.dates import MONTHS_NL

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"


_CODE = re.compile(r"(?P<year>\d{4})(?P<kind>JJ|KW|MM)(?P<n>\d{2})")
_QUARTER_LABEL = re.compile(r"(?P<year>\d{4}) (?P<n>[1-4])e kwartaal")
_MONTH_LABEL = re.compile(r"(?P<year>\d{4}) (?P<month>[a-z]+)")
_YEAR_LABEL = re.compile(r"(?P<year>\d{4})")
_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")


class CellError(ValueError):
    """A cell that cannot be read; the message is Dutch and does not repeat the cell."""


@dataclass(frozen=True)
class StatlinePeriod:
    code: str  # CBS's period code, e.g. 2019KW01
    kind: str
    start: dt.date
    end: dt.date
    provisional: bool = False


def _period(year: int, kind: str, n: int, provisional: bool) -> StatlinePeriod:
    if kind == YEAR:
        return StatlinePeriod(
            f"{year}JJ00", YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31), provisional
        )
    if kind == QUARTER:
        first = 3 * n - 2
        last = dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        return StatlinePeriod(
            f"{year}KW{n:02d}", QUARTER, dt.date(year, first, 1), last, provisional
        )
    last = dt.date(year, n, calendar.monthrange(year, n)[1])
    return StatlinePeriod(f"{year}MM{n:02d}", MONTH, dt.date(year, n, 1), last, provisional)


def parse_period(text: str) -> StatlinePeriod:
    """A StatLine period (code or page label); :class:`CellError` when it is neither."""
    raw = str(text).strip()
    stripped = raw.rstrip("*").strip()
    provisional = stripped != raw
    if match := _CODE.fullmatch(stripped):
        year, kind, n = int(match["year"]), match["kind"], int(match["n"])
        if kind == "JJ" and n == 0:
            return _period(year, YEAR, 0, provisional)
        if kind == "KW" and 1 <= n <= 4:
            return _period(year, QUARTER, n, provisional)
        if kind == "MM" and 1 <= n <= 12:
            return _period(year, MONTH, n, provisional)
    elif match := _QUARTER_LABEL.fullmatch(stripped):
        return _period(int(match["year"]), QUARTER, int(match["n"]), provisional)
    elif match := _YEAR_LABEL.fullmatch(stripped):
        return _period(int(match["year"]), YEAR, 0, provisional)
    elif (match := _MONTH_LABEL.fullmatch(stripped)) and match["month"] in MONTHS_NL:
        return _period(int(match["year"]), MONTH, MONTHS_NL.index(match["month"]) + 1, provisional)
    raise CellError(
        "Geen CBS-periode: verwacht een code als 2019KW01, 2019JJ00 of 2019MM01, of een "
        "omschrijving als '2019 1e kwartaal'."
    )


def parse_number(text: object) -> Decimal | None:
    """A published figure; ``None`` for CBS's "." (not available); :class:`CellError` else."""
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    raw = str(text).strip()
    if raw == ".":
        return None
    if not raw:
        raise CellError("Geen waarde ingevuld (CBS schrijft '.' als een cijfer ontbreekt).")
    if raw == "x":
        raise CellError("Het cijfer is door CBS geheimgehouden (x); zo'n reeks is niet bruikbaar.")
    if not _NUMBER.fullmatch(raw):
        raise CellError(
            "Geen getal zoals CBS het publiceert (cijfers, eventueel met punten per duizendtal "
            "en een decimale komma)."
        )
    try:
        return Decimal(raw.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise CellError("Geen getal.") from exc


def period_label(code: str) -> str:
    """A CBS period code as a Dutch reader says it: ``2022KW04`` -> "4e kwartaal 2022",
    ``2022MM03`` -> "maart 2022", ``2022JJ00`` -> "2022"; :class:`CellError` when no code."""
    period = parse_period(code)
    if period.kind == QUARTER:
        return f"{(period.start.month + 2) // 3}e kwartaal {period.start.year}"
    if period.kind == MONTH:
        return f"{MONTHS_NL[period.start.month - 1]} {period.start.year}"
    return str(period.start.year)
