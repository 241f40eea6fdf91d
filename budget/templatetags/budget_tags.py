from decimal import Decimal

from django import template

from budget.calculations import fmt_eur, fmt_pct

register = template.Library()


@register.filter
def eur(value) -> str:
    if value is None or value == "":
        return "-"
    return fmt_eur(Decimal(value))


@register.filter
def pct(value) -> str:
    if value is None:
        return "-"
    return fmt_pct(Decimal(value))


@register.filter
def month_name(value: int) -> str:
    from budget.services import MONTH_NAMES

    return MONTH_NAMES[int(value) - 1]
