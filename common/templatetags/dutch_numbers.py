"""Numbers on a page the Dutch way, through the one formatter of ``common.numbers``.

``{{ overview.budget_households|dutch_count }}`` -> ``2.000`` (a count of people or households,
also a forecast or budget expressed in one, is a whole number with a thousands point);
``{{ plan.expected_saving|dutch_euro }}`` -> ``€ 16.292,28``;
``{{ plan.expected_fraction|dutch_number:3 }}`` -> ``0,500``. An empty value (``None``, ``""``)
shows as ``-``; what is no number at all is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django import template

from common.numbers import format_count, format_dutch, format_euro

register = template.Library()

EMPTY = "-"


def _shown(value, formatter: Callable[[Decimal], str]) -> str:
    if value is None or value == "":
        return EMPTY
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formatter(number) if number.is_finite() else str(value)


@register.filter
def dutch_count(value) -> str:
    return _shown(value, format_count)


@register.filter
def dutch_euro(value) -> str:
    return _shown(value, format_euro)


@register.filter
def dutch_number(value, decimals=None) -> str:
    places = None if decimals in (None, "") else int(decimals)
    return _shown(value, lambda number: format_dutch(number, decimals=places))
