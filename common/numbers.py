"""Dutch numbers typed by people: ``10.000.000``, ``11.500.000,00``, ``14.400``, ``8772,50``.

A comma is the decimal separator and a point groups thousands, as in every Dutch spreadsheet and
letter. A point that cannot be a thousands separator (``14.40``, ``8772.50``, ``1.5``) is refused:
reading it as a decimal point would silently turn € 14.400 into € 14,40 or the other way round,
so the user is asked to write it unambiguously. Shown numbers use the same separators.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.numberformat import format as number_format

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
#: 1,234,567 in Dutch: 1.234.567 (groups of exactly three after the first)
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DIGITS = re.compile(r"^\d+$")


class AmbiguousNumber(ValueError):
    """A point that may be a decimal point or a thousands separator (``14.40``)."""


class NotANumber(ValueError):
    """Text that is no number at all."""


def parse_dutch_decimal(text: str) -> Decimal:
    """``"11.500.000,00"`` -> ``Decimal("11500000.00")``; raises :class:`AmbiguousNumber` or
    :class:`NotANumber`."""
    value = _SPACES.sub("", text).removeprefix("€")
    sign = ""
    if value[:1] in "+-":
        sign, value = value[:1].replace("+", ""), value[1:]
    if value.count(",") > 1:
        raise NotANumber(text)
    whole, comma, fraction = value.partition(",")
    if comma and not _DIGITS.match(fraction):
        raise NotANumber(text)
    if "." in whole:
        if not _GROUPED.match(whole):
            if not comma and re.match(r"^\d+\.\d+$", whole):
                raise AmbiguousNumber(text)
            raise NotANumber(text)
        whole = whole.replace(".", "")
    elif not _DIGITS.match(whole):
        if not (comma and whole == ""):
            raise NotANumber(text)
        whole = "0"
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if comma else f"{sign}{whole}")
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only digits
        raise NotANumber(text) from exc


def format_dutch(
    value: Decimal | int | float, *, decimals: int | None = None, grouping: bool = True
) -> str:
    """``Decimal("14400.00")`` -> ``"14.400,00"``; ``decimals`` fixes the number of decimals,
    rounding half up (``2201,71`` with no decimals is ``2.202``, never cut to ``2.201``)."""
    if decimals is not None:
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(
        value,
        decimal_sep=",",
        decimal_pos=decimals,
        grouping=3 if grouping else 0,
        thousand_sep=".",
        force_grouping=grouping,
    )


def format_count(value: Decimal | int | float) -> str:
    """A count of people or households, also a forecast or a budget expressed in one: a whole
    number with a thousands point (``Decimal("2201.71")`` -> ``"2.202"``)."""
    return format_dutch(value, decimals=0)


def format_euro(value: Decimal | int | float) -> str:
    """An amount in euros, to the cent: ``€ 16.292,28``; a negative amount ``-€ 139.715,27``
    (the sign before the euro sign, as every budget page shows it)."""
    cents = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}€ {format_dutch(abs(cents), decimals=2)}"
