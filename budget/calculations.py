"""Pure BUIG arithmetic: vangnet, business case of outflow, budget in households.

No ORM here: the callers load the inputs (``selectors``/``services``) and pass plain values.
All money is ``Decimal``; percentages are fractions (``Decimal("0.075")`` is 7,5%).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from common.numbers import format_dutch, format_euro

#: the state of a month on the overview (``Overview.month_status``): realised are the months
#: that are over and paid (``Overview.months_realised``); the others are shown marked and are
#: not in the realised totals
MONTH_REALISED = "gerealiseerd"
MONTH_UNPAID = "geen-betalingen"  # over, but no payments after it yet: not realised
MONTH_RUNNING = "lopend"  # today's month: its payments may be booked, the month is not over
MONTH_FUTURE = "nog-niet-voorbij"
MONTH_STATUS_LABELS = {
    MONTH_REALISED: "",
    MONTH_UNPAID: _("nog geen betalingen, niet gerealiseerd"),
    MONTH_RUNNING: _("lopend, nog niet gerealiseerd"),
    MONTH_FUTURE: _("nog niet voorbij"),
}

CENT = Decimal("0.01")
ZERO = Decimal("0")

MULTI_YEAR_WINDOW = "window"  # (tekort T-n .. T) / budget T
MULTI_YEAR_SINCE = "since"  # cumulative tekort since a start year / budget T


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_eur(value: Decimal) -> str:
    """Dutch notation: € 1.234.567,89; a negative amount -€ 1.234,56 (``common.numbers``)."""
    return format_euro(value)


def fmt_pct(value: Decimal) -> str:
    """A fraction as a Dutch percentage with two decimals: ``0.075`` -> ``7,50%``."""
    return f"{format_dutch(value * 100, decimals=2)}%"


def fmt_eur_sum(terms: Sequence[tuple[Decimal, str]]) -> str:
    """Labelled amounts added up as one reads a sum: ``-€ 139.715,27 (2024) - € 968.045,77
    (2025) + € 50.000,00 (2026)``; a negative term after the first is subtracted, never
    written ``+ -€``."""
    parts = []
    for index, (amount, label) in enumerate(terms):
        if index == 0:
            parts.append(f"{fmt_eur(amount)} ({label})")
        else:
            operator = "-" if money(amount) < 0 else "+"
            parts.append(f"{operator} {fmt_eur(abs(amount))} ({label})")
    return " ".join(parts)


@dataclass(frozen=True)
class VangnetRuleData:
    """One row of the rule table (see ``budget.models.VangnetRule``)."""

    year_from: int
    year_to: int
    entry_threshold: Decimal  # p must be strictly above this
    multi_year_kind: str  # MULTI_YEAR_WINDOW or MULTI_YEAR_SINCE
    multi_year_threshold: Decimal  # multi-year share must be strictly above this
    multi_year_window: int = 2  # previous years counted for MULTI_YEAR_WINDOW
    multi_year_since: int | None = None  # first year counted for MULTI_YEAR_SINCE
    band_lower: Decimal = Decimal("0.075")
    band_upper: Decimal = Decimal("0.125")
    band_rate: Decimal = Decimal("0.5")
    above_rate: Decimal = Decimal("1")

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


@dataclass
class VangnetResult:
    year: int
    budget: Decimal
    netto_lasten: Decimal
    deficit: Decimal
    share: Decimal  # p = tekort / budget
    multi_year_share: Decimal | None
    entry_met: bool
    multi_year_met: bool
    eligible: bool
    compensation: Decimal
    own_risk: Decimal
    steps: list[str] = field(default_factory=list)


def vangnet_calculate(
    *,
    rule: VangnetRuleData,
    year: int,
    budget: Decimal,
    netto_lasten: Decimal,
    previous_deficits: Mapping[int, Decimal],
) -> VangnetResult:
    """The vangnet check for year T under one rule row, with the steps in Dutch.

    ``previous_deficits`` maps earlier years to their tekort (a surplus is negative and counts
    against the deficits, as in the regulation). Missing years count as 0 and are named in a step.
    """
    if budget <= 0:
        raise ValueError("budget must be positive")
    steps: list[str] = []
    deficit = netto_lasten - budget
    steps.append(
        f"Tekort {year} = netto lasten {fmt_eur(netto_lasten)} - definitief budget "
        f"{fmt_eur(budget)} = {fmt_eur(deficit)}."
    )
    share = deficit / budget
    steps.append(f"Tekortpercentage p = {fmt_eur(deficit)} / {fmt_eur(budget)} = {fmt_pct(share)}.")
    entry_met = share > rule.entry_threshold
    steps.append(
        f"Instapdrempel: p moet hoger zijn dan {fmt_pct(rule.entry_threshold)}: "
        + ("voldaan." if entry_met else "niet voldaan.")
    )

    if rule.multi_year_kind == MULTI_YEAR_SINCE:
        first = rule.multi_year_since or rule.year_from
        years = list(range(first, year))
    else:
        years = list(range(year - rule.multi_year_window, year))
    missing = [y for y in years if y not in previous_deficits]
    total = sum((previous_deficits.get(y, ZERO) for y in years), ZERO) + deficit
    multi_year_share = total / budget
    parts = fmt_eur_sum(
        [(previous_deficits.get(y, ZERO), str(y)) for y in years] + [(deficit, str(year))]
    )
    steps.append(
        f"Meerjarige toets: ({parts}) / {fmt_eur(budget)} = {fmt_pct(multi_year_share)}; "
        f"moet hoger zijn dan {fmt_pct(rule.multi_year_threshold)}."
    )
    if missing:
        steps.append(
            "Geen tekort bekend voor " + ", ".join(str(y) for y in missing) + "; gerekend als 0."
        )
    multi_year_met = multi_year_share > rule.multi_year_threshold
    steps.append("Meerjarige toets " + ("voldaan." if multi_year_met else "niet voldaan."))

    eligible = entry_met and multi_year_met
    if eligible:
        band_slice = max(ZERO, min(share, rule.band_upper) - rule.band_lower)
        above_slice = max(ZERO, share - rule.band_upper)
        band_part = budget * rule.band_rate * band_slice
        above_part = budget * rule.above_rate * above_slice
        compensation = money(band_part + above_part)
        steps.append(
            f"Schijf {fmt_pct(rule.band_lower)} tot {fmt_pct(rule.band_upper)}: "
            f"{fmt_pct(rule.band_rate)} van {fmt_pct(band_slice)} × {fmt_eur(budget)} = "
            f"{fmt_eur(band_part)}."
        )
        steps.append(
            f"Boven {fmt_pct(rule.band_upper)}: {fmt_pct(rule.above_rate)} van "
            f"{fmt_pct(above_slice)} × {fmt_eur(budget)} = {fmt_eur(above_part)}."
        )
        steps.append(f"Vangnetuitkering = {fmt_eur(compensation)}.")
    else:
        compensation = ZERO.quantize(CENT)
        steps.append("Geen recht op een vangnetuitkering: vangnetuitkering = € 0,00.")
    own_risk = money(max(deficit, ZERO) - compensation)
    steps.append(
        f"Eigen risico = tekort {fmt_eur(max(deficit, ZERO))} - vangnetuitkering "
        f"{fmt_eur(compensation)} = {fmt_eur(own_risk)}."
    )
    return VangnetResult(
        year=year,
        budget=budget,
        netto_lasten=netto_lasten,
        deficit=money(deficit),
        share=share,
        multi_year_share=multi_year_share,
        entry_met=entry_met,
        multi_year_met=multi_year_met,
        eligible=eligible,
        compensation=compensation,
        own_risk=own_risk,
        steps=steps,
    )


def vangnet_rule_for(rules: Sequence[VangnetRuleData], year: int) -> VangnetRuleData | None:
    for rule in rules:
        if rule.covers(year):
            return rule
    return None


# Business case of outflow -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutflowLine:
    """A group of outflows: ``count`` people each saving ``fraction`` of the average cost
    (1 = full outflow; 0.5 = partial outflow earning half the benefit)."""

    label: str
    count: int
    fraction: Decimal


@dataclass
class BusinessCaseLine:
    label: str
    count: int
    fraction: Decimal
    saving_per_resident: Decimal
    saving: Decimal


@dataclass
class BusinessCase:
    average_cost: Decimal
    lines: list[BusinessCaseLine]
    total_count: int
    total_saving: Decimal


def business_case_calculate(*, average_cost: Decimal, lines: Sequence[OutflowLine]) -> BusinessCase:
    """Saving per line = count × the saving per resident (fraction × average yearly benefit
    cost, rounded to the cent, as the table shows it); the total = the sum of the lines. (The
    walk of 4 December: rows computed from the unrounded amount were a cent off the count
    times the amount shown, 5 × € 9.135,08 read € 45.675,41.)"""
    if average_cost <= 0:
        raise ValueError("average cost must be positive")
    out: list[BusinessCaseLine] = []
    for line in lines:
        if line.count < 0 or not (ZERO <= line.fraction <= 1):
            raise ValueError("count must be >= 0 and fraction in [0, 1]")
        per_resident = money(average_cost * line.fraction)
        out.append(
            BusinessCaseLine(
                label=line.label,
                count=line.count,
                fraction=line.fraction,
                saving_per_resident=per_resident,
                saving=money(per_resident * line.count),
            )
        )
    return BusinessCase(
        average_cost=average_cost,
        lines=out,
        total_count=sum(line.count for line in out),
        total_saving=sum((line.saving for line in out), ZERO),
    )


def budget_in_households(*, budget: Decimal, average_cost: Decimal) -> Decimal:
    """How many households (benefits for a whole year) the budget pays for."""
    if average_cost <= 0:
        raise ValueError("average cost must be positive")
    return (budget / average_cost).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def months_over(*, year: int, today: dt.date) -> int:
    """How many whole months of ``year`` are over on ``today``: 12 for a past year, 0 for a
    future one, and in the running year the months before today's (on 3 December: 11).

    Benefits are paid per month, so a month's besteding and baten are realised once the month
    is over; the running month is not counted (not even by its elapsed days, as the indicators'
    ``months_elapsed`` counts a flow of daily events): its payments may already be in the feed,
    but its recoveries, verhaal and corrections are not, and counting it would make the year
    look complete in December."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


def forecast_netto_lasten(
    *,
    realised: Decimal,
    months_realised: int,
    current_households: int,
    average_cost: Decimal,
) -> tuple[Decimal, Decimal]:
    """Two forecasts of the year's netto lasten: (run rate, caseload × average cost).

    Run rate: realised / months × 12. Caseload: realised + remaining months × households ×
    average cost / 12.
    """
    run_rate = ZERO if months_realised <= 0 else realised / months_realised * 12
    remaining = 12 - max(0, min(months_realised, 12))
    caseload = realised + Decimal(current_households) * average_cost * remaining / 12
    return money(run_rate), money(caseload)
