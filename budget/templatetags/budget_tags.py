from decimal import Decimal

from django import template

from budget.calculations import MONTH_STATUS_LABELS, fmt_pct
from common.templatetags.dutch_numbers import dutch_euro

register = template.Library()


# an amount on the budget pages: the common filter (``common.numbers.format_euro``)
register.filter("eur", dutch_euro)


@register.filter
def pct(value) -> str:
    if value is None:
        return "-"
    return fmt_pct(Decimal(value))


@register.filter
def eur_abs(value) -> str:
    """An amount without its sign (an overschot named as such)."""
    return dutch_euro(abs(Decimal(value))) if value is not None else "-"


@register.filter
def pct_abs(value) -> str:
    """A share without its sign."""
    return fmt_pct(abs(Decimal(value))) if value is not None else "-"


@register.filter
def month_name(value: int) -> str:
    from budget.services import MONTH_NAMES

    return MONTH_NAMES[int(value) - 1]


@register.filter
def month_status_label(value: str) -> str:
    """The text of a month's state on the overview (``calculations.MONTH_*``); '' for
    realised."""
    return str(MONTH_STATUS_LABELS.get(value, ""))
