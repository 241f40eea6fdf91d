"""Pure arithmetic for indicators: periods, forecasts and status. No ORM here."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-K{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def periods_of_year(year: int, kinds: tuple[str, ...], today: dt.date) -> list[Period]:
    """The periods of ``year`` of the given kinds that have started by ``today``."""
    out: list[Period] = []
    if MONTH in kinds:
        out += [Period(dt.date(year, m, 1), _month_end(year, m), MONTH) for m in range(1, 13)]
    if QUARTER in kinds:
        out += [
            Period(dt.date(year, m, 1), _month_end(year, m + 2), QUARTER) for m in (1, 4, 7, 10)
        ]
    if YEAR in kinds:
        out.append(Period(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR))
    return [p for p in out if p.start <= today]


def periods_affected(periods: list[Period], affected_from: dt.date) -> list[Period]:
    """Periods whose figures can change when case data from ``affected_from`` on changes.

    Every indicator looks at the state on or before the period's reference date, so a change
    on day ``x`` touches exactly the periods that end on or after ``x``.
    """
    return [p for p in periods if p.end >= affected_from]


# Forecast --------------------------------------------------------------------------------------

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_TARGET = "no_target"
NO_FORECAST = "no_forecast"
#: no forecast because a figure it needs is hidden from this reader (small numbers)
NO_FORECAST_HIDDEN = "no_forecast_hidden"
#: a year that is over: the target was met or not (no forecast, no "at risk")
MET = "met"
NOT_MET = "not_met"

STATUS_LABELS = {
    ON_TRACK: "Op koers",
    AT_RISK: "Risico",
    OFF_TRACK: "Niet op koers",
    NO_TARGET: "Geen streefwaarde",
    NO_FORECAST: "Nog geen prognose",
    NO_FORECAST_HIDDEN: "Geen prognose: maandcijfer afgeschermd",
    MET: "Gehaald",
    NOT_MET: "Niet gehaald",
}

#: within this fraction of the target (on the wrong side) a forecast is "at risk"
AT_RISK_MARGIN = Decimal("0.10")

#: a year-end forecast needs at least this much of the year (a forecast from a few days of
#: January multiplies noise by a hundred)
MIN_MONTHS_FOR_FORECAST = Decimal(1)

_RANK = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2}


def months_elapsed(*, year: int, today: dt.date) -> Decimal:
    """How much of ``year`` has passed on ``today``, in months: a running month counts by the
    days elapsed (2 December is 11 + 2/31 months, not 12); a past year is 12, a future one 0."""
    if year < today.year:
        return Decimal(12)
    if year > today.year:
        return Decimal(0)
    days = calendar.monthrange(year, today.month)[1]
    return Decimal(today.month - 1) + Decimal(today.day) / Decimal(days)


def _reached(monthly: list[Decimal], elapsed: Decimal) -> Decimal:
    """The part of a year's monthly flow reached after ``elapsed`` months (the running month
    by its elapsed share)."""
    full = int(elapsed)
    reached = sum(monthly[:full], Decimal(0))
    if full < len(monthly):
        reached += (elapsed - full) * monthly[full]
    return reached


def level_at(monthly: list[Decimal], position: Decimal) -> Decimal:
    """A monthly level at a fractional position (month ``m`` ends at position ``m``),
    interpolated between month ends."""
    if position <= 1:
        return monthly[0]
    k = int(position)
    if k >= len(monthly):
        return monthly[-1]
    return monthly[k - 1] + (position - k) * (monthly[k] - monthly[k - 1])


#: last year's monthly counts give a seasonal pattern only when they add up to at least this
#: many: one event last December made 's-Hertogenbosch's 2 outflows from the language project
#: a forecast of 20,7 (the recomputation of 3 December); below it the run rate
MIN_SEASONAL_TOTAL = Decimal(24)


def seasonal_usable(last_year_monthly: list[Decimal] | None) -> bool:
    """Whether last year's twelve monthly counts are enough to give a seasonal pattern."""
    return bool(
        last_year_monthly
        and len(last_year_monthly) == 12
        and sum(last_year_monthly, Decimal(0)) >= MIN_SEASONAL_TOTAL
    )


def forecast_flow(
    *,
    year_to_date: Decimal,
    months_elapsed: Decimal | int,
    last_year_monthly: list[Decimal] | None = None,
) -> Decimal | None:
    """Year-end forecast of a count that accumulates over the year (e.g. outflow to work).

    ``months_elapsed`` may be fractional: a running month counts by the days elapsed. With last
    year's twelve monthly figures: divide the year-to-date by the share of last year's total
    that had been reached at the same point of the year (seasonal pattern). Otherwise the run
    rate, ``year_to_date * 12 / months_elapsed``; also when last year counted fewer than
    :data:`MIN_SEASONAL_TOTAL` (a pattern of a handful of events is noise).
    """
    elapsed = Decimal(months_elapsed)
    if elapsed <= 0:
        return None
    if elapsed >= 12:
        return year_to_date
    if last_year_monthly is not None and seasonal_usable(last_year_monthly):
        total = sum(last_year_monthly, Decimal(0))
        reached = _reached(last_year_monthly, elapsed)
        if total > 0 and reached > 0:
            return year_to_date * total / reached
    return year_to_date * 12 / elapsed


def forecast_stock(
    *,
    monthly: list[Decimal],
    last_year_monthly: list[Decimal] | None = None,
    months_elapsed: Decimal | int | None = None,
) -> Decimal | None:
    """Year-end forecast of a level (e.g. caseload size) from this year's month-end levels.

    When the last month is still running (``months_elapsed`` below the number of months), it
    counts by the days elapsed: the level now is last month's plus that share of the change.
    With last year's twelve months: the level now plus last year's change from the same point
    of the year to December (seasonal pattern). Otherwise the average monthly change so far,
    continued to December (a straight line through January and now).
    """
    if not monthly:
        return None
    elapsed = Decimal(len(monthly) if months_elapsed is None else months_elapsed)
    elapsed = min(elapsed, Decimal(len(monthly)))
    if elapsed >= 12:
        return monthly[-1]
    level = level_at(monthly, elapsed)
    if last_year_monthly and len(last_year_monthly) == 12:
        return level + (last_year_monthly[11] - level_at(last_year_monthly, elapsed))
    if elapsed <= 1:
        return level
    slope = (level - monthly[0]) / (elapsed - 1)
    return level + slope * (12 - elapsed)


def forecast_period_average(
    *,
    average_so_far: Decimal,
    months_elapsed: Decimal | int,
    level_now: Decimal,
    level_at_year_end: Decimal,
) -> Decimal:
    """Year-end forecast of an average over the year (e.g. the fte of a year: the average of its
    days): the average so far weighs the months elapsed, the rest of the year the mean of the
    level now and the forecast level in December (a straight line between them). With 11 of 12
    months at 28.85 and a level of 43 going to 41, that is 29.8, not the December level."""
    elapsed = Decimal(months_elapsed)
    if elapsed >= 12:
        return average_so_far
    rest = (level_now + level_at_year_end) / 2
    return (average_so_far * elapsed + rest * (12 - elapsed)) / 12


def forecast_running_total(
    *, first_month: Decimal, year_to_date: Decimal, months_elapsed: Decimal | int
) -> Decimal:
    """Year-end forecast of a total that starts at a level and grows by what flows in (such as
    "the caseload at the start plus the inflow"): its growth after the first month continues at
    the same pace to December."""
    elapsed = Decimal(months_elapsed)
    if elapsed >= 12:
        return year_to_date
    if elapsed <= 1:
        return year_to_date
    return year_to_date + (year_to_date - first_month) * (12 - elapsed) / (elapsed - 1)


def forecast_share(
    *, numerator: Decimal | None, denominator: Decimal | None, scale: int
) -> Decimal | None:
    """A percentage (or per-10,000 figure) from a forecast numerator and denominator."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return max(Decimal(0), numerator) * scale / denominator


def forecast_status(
    *,
    forecast: Decimal | None,
    target: Decimal | None,
    higher_is_better: bool,
    value: Decimal | None = None,
    is_flow: bool = False,
    hidden: bool = False,
    final: bool = False,
) -> str:
    """On track when the forecast meets the target, at risk within 10% of it, else off track.

    A figure already past its target in the good direction is never "off track": a flow cannot
    lose what it has counted (on track), a level may still move away (at worst at risk).
    ``hidden``: the forecast is missing because a figure it needs is hidden from the reader
    (said so, not "nog": the walk of 3 December read "Nog geen prognose" in December).
    ``final``: the year is over, so the realised ``value`` met the target or not (the walk of
    4 December read "Risico" with a forecast for 2025 in December 2026)."""
    if target is None:
        return NO_TARGET
    if final:
        if value is None:
            return NO_FORECAST_HIDDEN if hidden else NO_FORECAST
        return MET if _status(value, target, higher_is_better) == ON_TRACK else NOT_MET
    if forecast is None:  # a target, but no figure (yet) to hold against it
        return NO_FORECAST_HIDDEN if hidden else NO_FORECAST
    status = _status(forecast, target, higher_is_better)
    if value is not None and _status(value, target, higher_is_better) == ON_TRACK:
        floor = ON_TRACK if is_flow else AT_RISK
        if _RANK[status] < _RANK[floor]:
            status = floor
    return status


def _status(figure: Decimal, target: Decimal, higher_is_better: bool) -> str:
    if higher_is_better:
        if figure >= target:
            return ON_TRACK
        return AT_RISK if figure >= target * (1 - AT_RISK_MARGIN) else OFF_TRACK
    if figure <= target:
        return ON_TRACK
    return AT_RISK if figure <= target * (1 + AT_RISK_MARGIN) else OFF_TRACK


def progress_percentage(
    *, value: Decimal | None, target: Decimal | None, higher_is_better: bool
) -> int | None:
    """How far the value is towards the target, 0..100, for a progress bar."""
    if value is None or target is None:
        return None
    if higher_is_better:
        if target <= 0:
            return 100
        return max(0, min(100, int(value * 100 / target)))
    if value <= 0:
        return 100
    return max(0, min(100, int(target * 100 / value)))


def suppress_small(count: Decimal | int | None, *, threshold: int = 5) -> str:
    """Counts below ``threshold`` (but above zero) shown as "<5" to aggregate-only roles."""
    if count is None:
        return ""
    if 0 < count < threshold:
        return f"<{threshold}"
    return f"{Decimal(count):.0f}" if Decimal(count) == int(count) else str(count)
