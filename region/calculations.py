"""The arithmetic of the region (issue 17): pure functions, no ORM.

A region's figure of an indicator is computed from its municipalities' stored numerators and
denominators, never by averaging their values: a count is the sum of the counts; a share (a
percentage, a figure per 10,000 or per 1,000 inhabitants) is the sum of the numerators over the
sum of the denominators, times the indicator's scale, rounded to four decimals as the indicator
engine stores a value (``round(scale * numerator / denominator, 4)``). So the region's outflow
percentage weighs each municipality by its caseload, and its bijstand per 1,000 inwoners by its
inhabitants.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FOUR = Decimal("0.0001")
ONE = Decimal("0.1")


@dataclass(frozen=True)
class Aggregate:
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None


def stored_value(*, numerator: Decimal, denominator: Decimal | None, scale: int) -> Decimal | None:
    """The value the indicator engine stores for a numerator and denominator: the numerator when
    there is no denominator, None when it is zero, else ``scale * numerator / denominator``
    rounded half up to four decimals (PostgreSQL's ``round`` on numeric)."""
    if denominator is None:
        return numerator
    if denominator == 0:
        return None
    return (scale * numerator / denominator).quantize(FOUR, rounding=ROUND_HALF_UP)


def aggregate(parts: list[tuple[Decimal, Decimal | None]], *, scale: int) -> Aggregate | None:
    """The region's figure from its municipalities' (numerator, denominator) pairs: sums, then
    the value as the engine would store it. None without parts, or when some parts have a
    denominator and others not (no honest sum)."""
    if not parts:
        return None
    with_den = [den is not None for _, den in parts]
    if any(with_den) and not all(with_den):
        return None
    numerator = sum((num for num, _ in parts), Decimal(0))
    denominator = (
        sum((den for _, den in parts if den is not None), Decimal(0)) if all(with_den) else None
    )
    return Aggregate(
        numerator=numerator,
        denominator=denominator,
        value=stored_value(numerator=numerator, denominator=denominator, scale=scale),
    )


def per_1000(count: Decimal | None, inhabitants: int | None) -> Decimal | None:
    """A count per 1,000 inhabitants, one decimal (half up); None without inhabitants."""
    if count is None or not inhabitants:
        return None
    return (count * 1000 / Decimal(inhabitants)).quantize(ONE, rounding=ROUND_HALF_UP)
