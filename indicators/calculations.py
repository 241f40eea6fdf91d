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

STATUS_LABELS = {
    ON_TRACK: "Op koers",
    AT_RISK: "Risico",
    OFF_TRACK: "Niet op koers",
    NO_TARGET: "Geen streefwaarde",
}

#: within this fraction of the target (on the wrong side) a forecast is "at risk"
AT_RISK_MARGIN = Decimal("0.10")


def forecast_flow(
    *,
    year_to_date: Decimal,
    months_elapsed: int,
    last_year_monthly: list[Decimal] | None = None,
) -> Decimal | None:
    """Year-end forecast of a count that accumulates over the year (e.g. outflow to work).

    With last year's twelve monthly figures: divide the year-to-date by the share of last
    year's total that had been reached after the same number of months (seasonal pattern).
    Otherwise: the run rate, ``year_to_date * 12 / months_elapsed``.
    """
    if months_elapsed <= 0:
        return None
    if months_elapsed >= 12:
        return year_to_date
    if last_year_monthly and len(last_year_monthly) == 12:
        total = sum(last_year_monthly, Decimal(0))
        reached = sum(last_year_monthly[:months_elapsed], Decimal(0))
        if total > 0 and reached > 0:
            return year_to_date * total / reached
    return year_to_date * 12 / months_elapsed


def forecast_stock(
    *,
    monthly: list[Decimal],
    last_year_monthly: list[Decimal] | None = None,
) -> Decimal | None:
    """Year-end forecast of a level (e.g. caseload size, a share) from this year's months.

    With last year's twelve months: the latest value plus last year's change from the same
    month to December (seasonal pattern). Otherwise the average monthly change so far,
    continued to December (a straight line through January and the latest month).
    """
    if not monthly:
        return None
    latest = monthly[-1]
    done = len(monthly)
    if done >= 12:
        return latest
    if last_year_monthly and len(last_year_monthly) == 12:
        return latest + (last_year_monthly[11] - last_year_monthly[done - 1])
    if done == 1:
        return latest
    slope = (latest - monthly[0]) / (done - 1)
    return latest + slope * (12 - done)


def forecast_status(
    *, forecast: Decimal | None, target: Decimal | None, higher_is_better: bool
) -> str:
    """On track when the forecast meets the target, at risk within 10% of it, else off track."""
    if target is None or forecast is None:
        return NO_TARGET
    if higher_is_better:
        if forecast >= target:
            return ON_TRACK
        return AT_RISK if forecast >= target * (1 - AT_RISK_MARGIN) else OFF_TRACK
    if forecast <= target:
        return ON_TRACK
    return AT_RISK if forecast <= target * (1 + AT_RISK_MARGIN) else OFF_TRACK


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
