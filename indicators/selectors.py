"""Reads for the dashboards, exports and API.

Pages read the stored ``IndicatorValue`` rows only (a fixed, small number of queries per page);
nothing here aggregates the case tables. The one exception is the drill-down to the residents
behind a figure, which lists (never counts) dossiers and is only open to roles with case access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.models import Municipality, Resident, User
from caseload.selectors import municipality_for  # noqa: F401 (the one rule; views and API call it)
from caseload.templatetags.caseload_tags import dmy
from common import clock
from common.numbers import format_count, format_dutch

from . import calculations as calc
from . import (
    dashboard_cache,
    definitions,  # noqa: F401 - registers the preloaded indicators
    suppression,
)
from .models import FillState, IndicatorValue, Target
from .permissions import IndicatorPermission
from .registry import (
    DIMENSIONS,
    Direction,
    IndicatorDefinition,
    Unit,
    indicator_all,
    indicator_get,
    is_registered,
)

SMALL_COUNT = suppression.DEFAULT_THRESHOLD

#: what every channel shows for a hidden figure: a small count (1-4) and a figure hidden so that
#: a small count cannot be recomputed from the others look the same, so that neither can be told
#: apart (and bounded) by a reader
SUPPRESSED = "x"


def has_case_access(user: User) -> bool:
    """Roles that may open dossiers see exact small counts and the drill-down."""
    return user.has_perm(IndicatorPermission.VIEW_RESIDENTS)


def _check(user: User) -> None:
    if not user.has_perm(IndicatorPermission.VIEW_DASHBOARDS):
        raise PermissionDenied


# Formatting ------------------------------------------------------------------------------------


def format_value(value: Decimal | None, unit: str) -> str:
    """Dutch separators (``common.numbers``): ``12,5%``, ``1.234,5`` per 10.000, ``2.201``."""
    if value is None:
        return "-"
    if unit == Unit.PERCENTAGE:
        return f"{format_dutch(value, decimals=1)}%"
    if unit in (Unit.PER_10K, Unit.PER_1000, Unit.DAYS):
        return format_dutch(value, decimals=1)
    if value == value.to_integral_value():
        return format_dutch(value, decimals=0)
    return format_dutch(value, decimals=2)


def format_forecast(value: Decimal | None, unit: str) -> str:
    """A forecast as :func:`format_value`, but a forecast of a count of people is a whole
    number (``2.202``, never ``2201,71``)."""
    if value is not None and unit == Unit.COUNT:
        return format_count(value)
    return format_value(value, unit)


def _count_text(count: Decimal | None, *, hidden: bool) -> str:
    if count is None:
        return ""
    if hidden:
        return SUPPRESSED
    return format_value(count, Unit.COUNT)


# Suppression -----------------------------------------------------------------------------------

#: units whose numerator counts residents or events of residents (hidden when small)
_COUNTED_UNITS = (Unit.COUNT, Unit.PERCENTAGE, Unit.PER_10K, Unit.PER_1000)


def _cell(row: IndicatorValue) -> tuple:
    return (row.period_kind, row.period_start, row.dimension, row.dimension_value)


def table_constraints(cells: list[tuple]) -> list[suppression.Constraint]:
    """The additive relations a reader may use between the cells of one indicator's year table:
    per period, the total and its breakdown by each dimension; per dimension value (and the
    total), the year and its months, the quarters and their months, the year and its quarters.
    Only those that hold for the stored figures are used (``suppression.holding``): a
    stock or a count of distinct persons is not the sum of its months."""
    by_period: dict[tuple, dict[str, list[tuple]]] = {}
    by_series: dict[tuple, dict[str, list[tuple]]] = {}
    for cell in cells:
        kind, start, dimension, value = cell
        if dimension:
            by_period.setdefault((kind, start), {}).setdefault(dimension, []).append(cell)
        by_series.setdefault((dimension, value), {}).setdefault(kind, []).append(cell)
    out = []
    for (kind, start), dimensions in by_period.items():
        for parts in dimensions.values():
            out.append(suppression.Constraint((kind, start, "", ""), tuple(parts)))
    for kinds in by_series.values():
        months = kinds.get(calc.MONTH, [])
        quarters = kinds.get(calc.QUARTER, [])
        for year in kinds.get(calc.YEAR, []):
            if months:
                out.append(suppression.Constraint(year, tuple(months)))
            if quarters:
                out.append(suppression.Constraint(year, tuple(quarters)))
        for quarter in quarters:
            start = quarter[1]
            inside = tuple(m for m in months if start <= m[1] < _add_months(start, 3))
            if inside:
                out.append(suppression.Constraint(quarter, inside))
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    return day.replace(day=1) + relativedelta(months=months)


@dataclass(frozen=True)
class Masks:
    """The hidden cells of one indicator's year table (numerator and denominator)."""

    numerator: frozenset = frozenset()
    denominator: frozenset = frozenset()
    percentage: bool = False

    def numerator_hidden(self, row: IndicatorValue) -> bool:
        return _cell(row) in self.numerator

    def denominator_hidden(self, row: IndicatorValue) -> bool:
        return _cell(row) in self.denominator

    def value_hidden(self, row: IndicatorValue) -> bool:
        """A value computed from a hidden count is hidden too."""
        return self.numerator_hidden(row) or (self.percentage and self.denominator_hidden(row))


NO_MASKS = Masks()


def table_masks(*, defn: IndicatorDefinition, rows: list[IndicatorValue], exact: bool) -> Masks:
    """Small-number suppression (primary and complementary, ``indicators.suppression``) of the
    stored rows of one indicator, municipality and year (every period and dimension): the same
    cells are hidden on the dashboard, the detail page, the export and the API, so that no
    channel, nor any combination of them, lets a hidden count be recomputed."""
    if exact or defn.manual or defn.unit not in _COUNTED_UNITS or not rows:
        return NO_MASKS
    cells = [_cell(r) for r in rows]
    candidates = table_constraints(cells)
    if not defn.small_counts:
        # the numerator is no count of residents (it may be near 0 or negative); a cell whose
        # denominator is a small count is hidden whole
        counts: dict[suppression.Key, suppression.Number | None]
        counts = {_cell(r): r.denominator for r in rows}
        small = suppression.suppress(
            counts, suppression.holding(counts, candidates), threshold=SMALL_COUNT
        )
        return Masks(small, small, percentage=True)
    numerators: dict[suppression.Key, suppression.Number | None]
    numerators = {_cell(r): r.numerator for r in rows}
    hidden_num = suppression.suppress(
        numerators, suppression.holding(numerators, candidates), threshold=SMALL_COUNT
    )
    hidden_den: frozenset = frozenset()
    if defn.unit == Unit.PERCENTAGE:
        denominators: dict[suppression.Key, suppression.Number | None]
        denominators = {_cell(r): r.denominator for r in rows}
        hidden_den = suppression.suppress(
            denominators, suppression.holding(denominators, candidates), threshold=SMALL_COUNT
        )
    return Masks(hidden_num, hidden_den, percentage=defn.unit == Unit.PERCENTAGE)


#: the columns of a stored value that a table (and its suppression) reads
TABLE_FIELDS = (
    "code",
    "period_kind",
    "period_start",
    "period_end",
    "dimension",
    "dimension_value",
    "value",
    "numerator",
    "denominator",
)


def published_masks(
    *, municipalities: list[Municipality], year: int
) -> dict[tuple[str, int], Masks]:
    """Per (code, municipality): the masks of its year table for a restricted reader (the ones
    its dashboard, detail page, export and API apply). The region's pages start from these, so
    a figure hidden on a municipality's own pages is hidden there too.

    Each municipality's masks are kept in the cache under a fingerprint of its stored rows of
    the year (``dashboard_cache.masks_keys``, one query), and computed from the rows (one more
    query) only for the municipalities whose figures changed since: computing them for the four
    demo municipalities took 0.33 s of the comparison page's 0.34 s."""
    keys = dashboard_cache.masks_keys(
        municipality_ids=[m.pk for m in municipalities], year=year, threshold=SMALL_COUNT
    )
    cached: dict[str, dict[str, Masks]] = dashboard_cache.cached_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        tables: dict[int, dict[str, list[IndicatorValue]]] = {pk: {} for pk in missing}
        rows = IndicatorValue.objects.filter(
            municipality_id__in=missing,
            period_start__gte=dt.date(year, 1, 1),
            period_start__lte=dt.date(year, 12, 31),
        ).only("municipality_id", *TABLE_FIELDS)
        for row in rows:
            tables[row.municipality_id].setdefault(row.code, []).append(row)
        fresh = {
            keys[pk]: {
                code: table_masks(defn=indicator_get(code), rows=table, exact=False)
                for code, table in by_code.items()
                if is_registered(code)
            }
            for pk, by_code in tables.items()
        }
        dashboard_cache.store_many(fresh)
        cached.update(fresh)
    return {(code, pk): masks for pk, key in keys.items() for code, masks in cached[key].items()}


# Overview --------------------------------------------------------------------------------------


@dataclass
class MonthPoint:
    label: str
    value: Decimal | None
    text: str


@dataclass
class Card:
    defn: IndicatorDefinition
    value: Decimal | None = None
    value_text: str = "-"
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    #: when the year figure was last computed (:func:`computed_times`; the detail page only)
    computed_at: dt.datetime | None = None
    target: Decimal | None = None
    baseline: Decimal | None = None
    target_text: str = ""
    baseline_text: str = ""
    target_note: str = ""
    progress: int | None = None
    forecast: Decimal | None = None
    forecast_text: str = "-"
    forecast_method: str = ""
    #: what the forecast was made from (months elapsed, the figures so far)
    forecast_inputs: str = ""
    status: str = calc.NO_TARGET
    #: the year is over: the realised figure against the target, no forecast
    final: bool = False
    months: list[MonthPoint] = field(default_factory=list)

    numerator_hidden: bool = False
    denominator_hidden: bool = False
    #: the year's stored rows of this indicator (every period and dimension) and what is hidden
    table: list[IndicatorValue] = field(default_factory=list, repr=False)
    #: the total of the year (period kind 'year', no breakdown) among them, if stored
    year_row: IndicatorValue | None = field(default=None, repr=False)
    masks: Masks = field(default_factory=lambda: NO_MASKS, repr=False)

    @property
    def numerator_text(self) -> str:
        return SUPPRESSED if self.numerator_hidden else format_value(self.numerator, Unit.COUNT)

    @property
    def denominator_text(self) -> str:
        if self.denominator_hidden:
            return SUPPRESSED
        return format_value(self.denominator, Unit.COUNT)

    @property
    def status_label(self) -> str:
        return calc.STATUS_LABELS[self.status]

    @property
    def months_exceed_year(self) -> bool:
        """A count over the period whose shown months add up to more than the year: it counts
        each person once per period (the walk of 4 December: months of 189 beside a year of
        188, said only on the detail page). Hidden months are left out of the sum."""
        if not (self.defn.is_flow and self.defn.unit == Unit.COUNT) or self.value is None:
            return False
        shown = [m.value for m in self.months if m.value is not None]
        return bool(shown) and sum(shown) > self.value

    @property
    def chart(self) -> dict:
        return {
            "id": f"chart-{self.defn.code}",
            "label": str(self.defn.label),
            "labels": [m.label for m in self.months],
            "values": [float(m.value) if m.value is not None else None for m in self.months],
            "target": float(self.target) if self.target is not None else None,
            "run_rate": self.defn.forecast_by_run_rate,
        }


def _months_text(elapsed: Decimal) -> str:
    return f"{elapsed:.1f}".replace(".", ",")


def _forecast(
    card: Card,
    *,
    defn: IndicatorDefinition,
    year: int,
    today: dt.date,
    months: list[IndicatorValue],
    last_year: list[IndicatorValue],
    masks: Masks = NO_MASKS,
    last_masks: Masks = NO_MASKS,
) -> None:
    """Year-end forecast and status (``docs/indicators.md``, "Prognose").

    A running month counts by the days elapsed. A count over the year is projected from its
    pace (with last year's seasonal pattern when there is one); a level from its trend; a
    percentage from its numerator and denominator, each projected by its own rule, never from
    the share of a month that has barely begun. The method and its inputs are shown beside it.

    For a restricted reader a forecast is made from published figures only: none when the year
    figure or a month it needs is hidden, and without last year's seasonal pattern when one of
    last year's months is hidden (a forecast would otherwise reveal the hidden figure). A count
    over the year (no share) is projected from the published year-to-date figure and the months
    elapsed, not from this year's months, so a hidden month does not take its forecast away
    (the manager's outflow card on 3 December had none while the teamleider's had one)."""
    share = defn.denominator_sql is not None and defn.scale != 1
    # a figure over the whole period keeps its published figure so far (``period_window``): no
    # month goes into it, so a hidden month takes nothing away (walk of 3 December: Hilversum's
    # ladder card had "Nog geen prognose" because December was hidden)
    uses_months = not defn.period_window and (
        share
        or defn.forecast_from_first_month  # January's figure is an input
        or not (defn.is_flow or defn.forecast_by_run_rate)
    )
    hidden_input = (
        card.numerator_hidden
        or card.denominator_hidden
        or (uses_months and any(masks.value_hidden(r) for r in months))
    )
    seasonal_hidden = any(last_masks.value_hidden(r) for r in last_year)
    elapsed = min(calc.months_elapsed(year=year, today=today), Decimal(len(months)))
    if year < today.year:
        card.forecast, card.forecast_method = card.value, "gerealiseerd"
    elif year > today.year or not months:
        pass
    elif hidden_input:
        # a share of two flows over the year (its months' published denominators add up to
        # the year's), its year figure published: numerator and denominator both go on at
        # their pace, so the year so far is the forecast (the walk of 3 December: 11 of the 19
        # manager's cards with a target had none in December). Not a share whose denominator
        # is a level plus inflow (the caseload at the start plus inflow): its numerator grows
        # faster than its denominator, so its share rises (the second walk: 17,2 % for the
        # manager against 18,3 % for the teamleider)
        denominators = [r.denominator for r in months if r.denominator is not None]
        if (
            share
            and defn.is_flow
            and card.value is not None
            and not card.numerator_hidden
            and not card.denominator_hidden
            and card.denominator is not None
            and not any(masks.denominator_hidden(r) for r in months)
            and len(denominators) == len(months)
            and abs(sum(denominators, Decimal(0)) - card.denominator) <= Decimal("0.5")
            and calc.months_elapsed(year=year, today=today) >= calc.MIN_MONTHS_FOR_FORECAST
        ):
            card.forecast = card.value
            card.forecast_method = _(
                "het cijfer tot nu: teller en noemer gaan in hetzelfde tempo door (een "
                "maandcijfer is afgeschermd, dus zonder het patroon van de maanden)"
            )
        else:
            card.forecast_method = _(
                "geen prognose: een maandcijfer dat de prognose nodig heeft, is afgeschermd "
                "(kleine aantallen)"
            )
    elif calc.months_elapsed(year=year, today=today) >= 12:
        card.forecast, card.forecast_method = card.value, "gerealiseerd"
    elif elapsed < calc.MIN_MONTHS_FOR_FORECAST:
        card.forecast_method = "nog geen prognose: minder dan een maand van het jaar voorbij"
    else:
        _project(
            card,
            defn=defn,
            elapsed=elapsed,
            months=months,
            last_year=last_year,
            seasonal_allowed=not seasonal_hidden,
        )
    card.final = year < today.year
    card.status = calc.forecast_status(
        forecast=card.forecast,
        target=card.target,
        higher_is_better=defn.direction == Direction.HIGHER,
        value=card.value,
        is_flow=defn.is_flow or defn.forecast_by_run_rate,
        hidden=hidden_input,
        final=card.final,
    )
    card.forecast_text = format_forecast(card.forecast, defn.unit)


def _series(rows: list[IndicatorValue], attr: str) -> list[Decimal] | None:
    values = [getattr(r, attr) for r in rows]
    return None if any(v is None for v in values) else values


def _project(
    card: Card,
    *,
    defn: IndicatorDefinition,
    elapsed: Decimal,
    months: list[IndicatorValue],
    last_year: list[IndicatorValue],
    seasonal_allowed: bool,
) -> None:
    """The forecast of a running year with at least a month behind it (see :func:`_forecast`)."""
    share = defn.denominator_sql is not None and defn.scale != 1
    seasonal_rows = last_year if len(last_year) == 12 and seasonal_allowed else []
    numerators, denominators = _series(months, "numerator"), _series(months, "denominator")
    last_num = _series(seasonal_rows, "numerator") if seasonal_rows else None
    last_den = _series(seasonal_rows, "denominator") if seasonal_rows else None
    inputs = [_("%(m)s van 12 maanden") % {"m": _months_text(elapsed)}]
    seasonal_used = False
    if defn.period_window:
        if card.value is None:
            card.forecast_method = _("geen prognose: nog geen cijfer voor het jaar")
            return
        card.forecast = card.value
        method = _(
            "het cijfer tot nu: een cijfer over de hele periode, geen stand en geen som van de "
            "maanden"
        )
    elif defn.forecast_from_first_month:
        ytd = card.numerator if card.numerator is not None else Decimal(0)
        if numerators is None:
            card.forecast_method = _("geen prognose: maandwaarden ontbreken")
            return
        card.forecast = calc.forecast_running_total(
            first_month=numerators[0], year_to_date=ytd, months_elapsed=elapsed
        )
        inputs.append(_("tot nu %(n)s") % {"n": format_value(ytd, Unit.COUNT)})
        inputs.append(_("in januari %(n)s") % {"n": format_value(numerators[0], Unit.COUNT)})
        method = _("januari plus wie er daarna bij kwam, in hetzelfde tempo tot december")
    elif defn.is_flow or defn.forecast_by_run_rate:
        ytd = card.numerator if card.numerator is not None else Decimal(0)
        numerator = calc.forecast_flow(
            year_to_date=ytd, months_elapsed=elapsed, last_year_monthly=last_num
        )
        seasonal_used = calc.seasonal_usable(last_num)
        inputs.append(_("tot nu %(n)s") % {"n": format_value(ytd, Unit.COUNT)})
        method = _("tempo tot nu") + (
            _(", met het seizoenspatroon van vorig jaar") if seasonal_used else ""
        )
        if share:
            year_den = card.denominator
            if year_den is None or denominators is None:
                card.forecast_method = _("geen prognose: noemer onbekend")
                return
            if abs(sum(denominators, Decimal(0)) - year_den) <= Decimal("0.5"):
                denominator = calc.forecast_flow(
                    year_to_date=year_den, months_elapsed=elapsed, last_year_monthly=last_den
                )
            else:  # a level plus what flows in (e.g. the caseload at the start plus inflow)
                denominator = calc.forecast_running_total(
                    first_month=denominators[0], year_to_date=year_den, months_elapsed=elapsed
                )
            inputs.append(_("noemer tot nu %(d)s") % {"d": format_value(year_den, Unit.COUNT)})
            method += _("; teller en noemer elk doorgetrokken")
            card.forecast = calc.forecast_share(
                numerator=numerator, denominator=denominator, scale=defn.scale
            )
        else:
            card.forecast = numerator
    elif share and numerators is not None and denominators is not None:
        numerator = calc.forecast_stock(
            monthly=numerators, last_year_monthly=last_num, months_elapsed=elapsed
        )
        denominator = calc.forecast_stock(
            monthly=denominators, last_year_monthly=last_den, months_elapsed=elapsed
        )
        seasonal_used = last_num is not None and last_den is not None
        card.forecast = calc.forecast_share(
            numerator=numerator, denominator=denominator, scale=defn.scale
        )
        method = (
            _("teller en noemer elk met het verloop van vorig jaar tot december")
            if seasonal_used
            else _("teller en noemer elk met de trend van de maanden tot nu")
        )
    else:
        values = _series(months, "value")
        last_values = _series(seasonal_rows, "value") if seasonal_rows else None
        if values is None:
            card.forecast_method = _("geen prognose: maandwaarden ontbreken")
            return
        card.forecast = calc.forecast_stock(
            monthly=values, last_year_monthly=last_values, months_elapsed=elapsed
        )
        seasonal_used = last_values is not None
        method = (
            _("stand nu plus het verloop van vorig jaar tot december")
            if seasonal_used
            else _("trend van de maanden tot nu")
        )
        if defn.is_period_average and card.forecast is not None and card.value is not None:
            card.forecast = calc.forecast_period_average(
                average_so_far=card.value,
                months_elapsed=elapsed,
                level_now=calc.level_at(values, elapsed),
                level_at_year_end=card.forecast,
            )
            inputs.append(_("gemiddelde tot nu %(v)s") % {"v": format_value(card.value, defn.unit)})
            method = _("gemiddelde tot nu, de rest van het jaar langs %(rest)s") % {
                "rest": _("het verloop van vorig jaar") if seasonal_used else _("de trend")
            }
    card.forecast_method = str(method)
    card.forecast_inputs = "; ".join(str(i) for i in inputs)


#: (code, period_start, period_end) -> when the period's figures were last computed
ComputedTimes = dict[tuple[str, dt.date, dt.date], dt.datetime]


def computed_times(
    *, municipality: Municipality, year: int, codes: list[str] | None = None
) -> ComputedTimes:
    """When the stored figures of each indicator and period of ``year`` were last computed: the
    period's last 'done' fill (``FillState.computed_at``, kept while the period is being filled
    again). A fill writes only the figures that changed (issue 17), so a value's own
    ``changed_at`` can be older than the last computation that confirmed it. One query."""
    states = FillState.objects.filter(
        municipality=municipality,
        period_start__gte=dt.date(year, 1, 1),
        period_start__lte=dt.date(year, 12, 31),
    )
    if codes is not None:
        states = states.filter(code__in=codes)
    return {
        (code, start, end): at
        for code, start, end, at in states.values_list(
            "code", "period_start", "period_end", "computed_at"
        )
        if at is not None
    }


def computed_at(row: IndicatorValue, times: ComputedTimes) -> dt.datetime:
    """When ``row``'s figure was last computed: its period's last fill, or when the row was
    written where no fill of the period is on record."""
    return times.get((row.code, row.period_start, row.period_end), row.changed_at)


def _year_rows(
    *, municipality: Municipality, years: range, codes: list[str] | None = None
) -> dict[tuple[str, int], list[IndicatorValue]]:
    """Every stored row (all periods and dimensions) of the given years, per code and year: the
    whole table that suppression works on (one query)."""
    rows = IndicatorValue.objects.filter(
        municipality=municipality,
        period_start__gte=dt.date(years.start, 1, 1),
        period_start__lte=dt.date(years.stop - 1, 12, 31),
    ).only(*TABLE_FIELDS, "changed_at")
    if codes is not None:
        rows = rows.filter(code__in=codes)
    out: dict[tuple[str, int], list[IndicatorValue]] = {}
    for row in rows.order_by("code", "period_start", "period_kind", "dimension"):
        out.setdefault((row.code, row.period_start.year), []).append(row)
    return out


def dashboard_overview(
    *,
    user: User,
    municipality: Municipality,
    year: int,
    today: dt.date | None = None,
    codes: list[str] | None = None,
) -> list[Card]:
    """One card per indicator: the year figure (year-to-date), target, progress, monthly trend,
    forecast and status. Two queries, whatever the number of indicators. For roles without
    case access, figures hidden by small-number suppression show as "x" and feed no forecast,
    progress or chart."""
    _check(user)
    today = today or clock.today()
    exact = has_case_access(user)
    tables = _year_rows(municipality=municipality, years=range(year - 1, year + 1), codes=codes)
    targets = {t.code: t for t in Target.objects.filter(municipality=municipality, year=year)}
    cards = []
    for defn in indicator_all():
        if codes is not None and defn.code not in codes:
            continue
        this_rows = tables.get((defn.code, year), [])
        last_rows = tables.get((defn.code, year - 1), [])
        masks = table_masks(defn=defn, rows=this_rows, exact=exact)
        card = Card(defn=defn, table=this_rows, masks=masks)
        last_masks = table_masks(defn=defn, rows=last_rows, exact=exact)
        months = [r for r in this_rows if r.period_kind == "month" and r.dimension == ""]
        last_year = [r for r in last_rows if r.period_kind == "month" and r.dimension == ""]
        year_row = card.year_row = next(
            (r for r in this_rows if r.period_kind == "year" and r.dimension == ""), None
        )
        if year_row is not None:
            card.numerator, card.denominator = year_row.numerator, year_row.denominator
            card.numerator_hidden = masks.numerator_hidden(year_row)
            card.denominator_hidden = masks.percentage and masks.denominator_hidden(year_row)
            card.value = None if masks.value_hidden(year_row) else year_row.value
        card.value_text = (
            SUPPRESSED
            if year_row is not None and masks.value_hidden(year_row)
            else str(defn.no_value_text)
            if card.value is None and defn.no_value_text
            else format_value(card.value, defn.unit)
        )
        target = targets.get(defn.code)
        if target is not None:
            card.target, card.baseline, card.target_note = (
                target.target,
                target.baseline,
                target.note,
            )
            card.target_text = format_value(target.target, defn.unit)
            card.baseline_text = format_value(target.baseline, defn.unit)
        card.progress = calc.progress_percentage(
            value=card.value, target=card.target, higher_is_better=defn.direction == "higher"
        )
        card.months = [
            MonthPoint(f"{r.period_start:%m-%Y}", None, SUPPRESSED)
            if masks.value_hidden(r)
            else MonthPoint(f"{r.period_start:%m-%Y}", r.value, format_value(r.value, defn.unit))
            for r in months
        ]
        _forecast(
            card,
            defn=defn,
            year=year,
            today=today,
            months=months,
            last_year=last_year,
            masks=masks,
            last_masks=last_masks,
        )
        cards.append(card)
    return cards


# Detail ----------------------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    value_text: str
    numerator_text: str
    denominator_text: str
    dimension_value: str


@dataclass
class Detail:
    defn: IndicatorDefinition
    card: Card
    breakdowns: dict[str, list[BreakdownRow]]
    exact_counts: bool
    can_drill_down: bool


_DIMENSION_VALUE_LABELS = {
    "regime": {
        "pw": "Participatiewet",
        "ioaw": "IOAW",
        "ioaz": "IOAZ",
        "bbz_starter": "Bbz starters",
        "lks": "Loonkostensubsidie",
    },
    "kind": {"volledig": "Volledig", "gedeeltelijk": "Gedeeltelijk"},
    "sector": {"markt": "Marktsector", "overheid": "Overheid"},
    "result": {
        "beeindigd": "Uitkering beëindigd",
        "aangepast": "Uitkering aangepast",
        "ongewijzigd": "Ongewijzigd",
        "schuldregeling": "Schuldregeling",
        "stabilisatie": "Gestabiliseerd",
        "geen_regeling": "Geen regeling",
        "ingetrokken": "Ingetrokken",
    },
}


def dimension_value_label(dimension: str, value: str) -> str:
    return _DIMENSION_VALUE_LABELS.get(dimension, {}).get(value, value)


def indicator_detail(
    *,
    user: User,
    municipality: Municipality,
    code: str,
    year: int,
    today: dt.date | None = None,
) -> Detail:
    """The year figure with its breakdown by dimension, and when it was last computed (three
    queries)."""
    _check(user)
    if not is_registered(code):
        raise Http404
    defn = indicator_get(code)
    (card,) = dashboard_overview(
        user=user, municipality=municipality, year=year, today=today, codes=[code]
    )
    if card.year_row is not None:
        times = computed_times(municipality=municipality, year=year, codes=[code])
        card.computed_at = computed_at(card.year_row, times)
    exact = has_case_access(user)
    masks = card.masks
    rows = sorted(
        (r for r in card.table if r.period_kind == "year" and r.dimension != ""),
        key=lambda r: (r.dimension, r.dimension_value),
    )
    breakdowns: dict[str, list[BreakdownRow]] = {d: [] for d in defn.dimensions}
    for row in rows:
        breakdowns.setdefault(row.dimension, []).append(
            BreakdownRow(
                dimension_value=dimension_value_label(row.dimension, row.dimension_value),
                value_text=(
                    SUPPRESSED if masks.value_hidden(row) else format_value(row.value, defn.unit)
                ),
                numerator_text=_count_text(row.numerator, hidden=masks.numerator_hidden(row)),
                denominator_text=_count_text(
                    row.denominator, hidden=masks.percentage and masks.denominator_hidden(row)
                ),
            )
        )
    return Detail(
        defn=defn,
        card=card,
        breakdowns={str(DIMENSIONS[k]): v for k, v in breakdowns.items() if v},
        exact_counts=exact,
        can_drill_down=has_case_access(user) and not defn.manual,
    )


def indicator_residents(
    *, user: User, municipality: Municipality, code: str, year: int, today: dt.date | None = None
) -> QuerySet[Resident]:
    """The residents counted in the numerator of the year figure, limited to those ``user``
    may see. Lists dossiers (no aggregation); only for roles with case access."""
    _check(user)
    if not has_case_access(user):
        raise PermissionDenied
    if not is_registered(code) or indicator_get(code).manual:
        raise Http404
    defn = indicator_get(code)
    # the definition names the grant its residents need (the fraud indicators: caseload.view_fraud)
    if defn.required_permission and not user.has_perm(defn.required_permission):
        raise PermissionDenied
    today = today or clock.today()
    from .engine import residents_sql, statement_params

    sql = residents_sql(defn)
    params = statement_params(
        municipality_id=municipality.pk,
        today=today,
        periods=[calc.Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")],
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    return (
        Resident.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("team")
        .order_by("last_name", "first_name", "id")
    )


# Export and API --------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "code",
    "label",
    "period",
    "dimension",
    "value",
    "numerator",
    "denominator",
    "target",
    "computed_at",
]


def _period_label(row: IndicatorValue) -> str:
    return calc.Period(row.period_start, row.period_end, row.period_kind).label


#: the column headers of the CSV and XLSX files, for people (the API keeps the keys above)
EXPORT_HEADERS = {
    "code": "code",
    "label": "indicator",
    "period": "periode",
    "dimension": "uitsplitsing",
    "value": "waarde",
    "numerator": "teller",
    "denominator": "noemer",
    "target": "streefwaarde_jaar",
    "computed_at": "berekend_op",
}


def _plain_number(value: Decimal) -> Decimal:
    """A stored figure as a person writes it: 206 rather than 206,0000 (counts and targets),
    12,4378 as it is, 12,5 rather than 12,5000 (the walk of 3 December: counts came out with
    four decimals in the CSV, targets with two)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def export_file_row(row: dict) -> list:
    """One row of the CSV and XLSX files: the columns of :data:`EXPORT_COLUMNS`, with the
    breakdown and its value named in Dutch as on the detail page (``wijk=Centrum``,
    ``regeling=Participatiewet``; the API keeps ``district=Centrum``, ``regime=pw``), the
    moment of computing in the municipality's time, without a zone (a spreadsheet has none),
    numbers without trailing zeros, and "x" for a hidden value as for its teller."""
    cells = []
    hidden = SUPPRESSED in (row["numerator"], row["denominator"])
    for key in EXPORT_COLUMNS:
        value = row[key]
        if key == "value" and value is None and hidden:
            value = SUPPRESSED  # "x" where the figure is hidden, as in teller and noemer
        elif isinstance(value, Decimal):
            value = _plain_number(value)
        if key == "dimension" and value:
            # the value in the detail page's words too ("regeling=Bbz starters", not
            # "regeling=bbz_starter": the walk of 4 December could not match the two)
            dimension, _sep, dimension_value = value.partition("=")
            label = dimension_value_label(dimension, dimension_value)
            value = f"{DIMENSIONS.get(dimension, dimension)}={label}"
        elif key == "computed_at" and value is not None:
            value = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
        cells.append(value)
    return cells


def records_note(*, municipality: Municipality, year: int) -> str | None:
    """What the page says when ``year`` lies (partly) before the municipality's
    ``records_from``: the figures from the dossiers start there, so an earlier period has no
    value rather than a zero (the independent recomputation of 3 December)."""
    start = municipality.records_from
    if start is None or start <= dt.date(year, 1, 1):
        return None
    when = dmy(start)
    if start.year > year:
        return _(
            "Geen gegevens over %(year)s: dit systeem heeft de dossiers van %(name)s vanaf "
            "%(when)s. Cijfers uit de dossiers staan hier pas vanaf die dag; handmatig "
            "ingevoerde cijfers (CBS) wel."
        ) % {"year": year, "name": municipality.name, "when": when}
    return _(
        "Dit systeem heeft de dossiers van %(name)s vanaf %(when)s: de maanden daarvoor en de "
        "jaarwaarde van %(year)s hebben geen cijfers uit de dossiers."
    ) % {"year": year, "name": municipality.name, "when": when}


def export_rows(*, user: User, municipality: Municipality, year: int) -> list[dict]:
    """All stored values of ``year`` (every period and dimension) with the year's target.
    Three queries. For aggregate-only roles the cells hidden by small-number suppression (small
    counts and the cells they could be recomputed from, ``table_masks``) read "x" and their
    values are empty."""
    _check(user)
    exact = has_case_access(user)
    targets = dict(
        Target.objects.filter(municipality=municipality, year=year).values_list("code", "target")
    )
    times = computed_times(municipality=municipality, year=year)
    rows = (
        IndicatorValue.objects.filter(
            municipality=municipality,
            period_start__gte=dt.date(year, 1, 1),
            period_start__lte=dt.date(year, 12, 31),
        )
        .order_by("code", "period_kind", "period_start", "dimension", "dimension_value")
        .iterator(chunk_size=2000)
    )
    out: list[dict] = []
    table: list[IndicatorValue] = []

    def flush() -> None:
        if not table:
            return
        defn = indicator_get(table[0].code)
        masks = table_masks(defn=defn, rows=table, exact=exact)
        for row in table:
            dimension = f"{row.dimension}={row.dimension_value}" if row.dimension else ""
            out.append(
                {
                    "code": row.code,
                    "label": str(defn.label),
                    "period": _period_label(row),
                    "dimension": dimension,
                    "value": None if masks.value_hidden(row) else row.value,
                    "numerator": SUPPRESSED if masks.numerator_hidden(row) else row.numerator,
                    "denominator": (
                        SUPPRESSED
                        if masks.percentage and masks.denominator_hidden(row)
                        else row.denominator
                    ),
                    "target": targets.get(row.code),
                    "computed_at": computed_at(row, times),
                }
            )
        table.clear()

    for row in rows:
        if not is_registered(row.code):
            continue
        if table and table[0].code != row.code:
            flush()
        table.append(row)
    flush()
    return out
