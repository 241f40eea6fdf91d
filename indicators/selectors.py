"""Reads for the dashboards, exports and API.

Pages read the stored ``IndicatorValue`` rows only (a fixed, small number of queries per page);
nothing here aggregates the case tables. The one exception is the drill-down to the residents
behind a figure, which lists (never counts) dossiers and is only open to roles with case access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseload.models import Municipality, Resident, User
from caseload.permissions import CaseloadPermission
from common.permissions import user_has_permission

from . import calculations as calc
from . import definitions  # noqa: F401 - registers the preloaded indicators
from .models import IndicatorValue, Target
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

SMALL_COUNT = 5


def can_view_dashboards(user: User) -> bool:
    return user_has_permission(user, IndicatorPermission.VIEW_DASHBOARDS)


def can_edit_targets(user: User) -> bool:
    return user_has_permission(user, IndicatorPermission.EDIT_TARGETS)


def has_case_access(user: User) -> bool:
    """Roles that may open dossiers see exact small counts and the drill-down."""
    return user_has_permission(user, IndicatorPermission.VIEW_RESIDENTS)


#: drill-down into these indicator families shows who had a fraud investigation (field grant)
FRAUD_INDICATOR_PREFIXES = ("enforcement.",)


def _check(user: User) -> None:
    if not can_view_dashboards(user):
        raise PermissionDenied


def municipality_for(
    *, user: User, municipality_id: int | None = None
) -> tuple[Municipality, list[Municipality]]:
    """The municipality a dashboard shows, and the ones the user may switch to (one query).

    Staff in a team see their team's municipality; staff without a team (manager, finance,
    beheer) work for every municipality of the deployment and pick one (default: the first).
    """
    if user.team_id is not None and not user.is_superuser:
        return Municipality.objects.get(teams__id=user.team_id), []
    choices = list(Municipality.objects.order_by("name", "pk"))
    if not choices:
        raise Http404
    if municipality_id is None:
        return choices[0], choices
    for municipality in choices:
        if municipality.pk == municipality_id:
            return municipality, choices
    raise Http404


# Formatting ------------------------------------------------------------------------------------


def format_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == Unit.PERCENTAGE:
        return f"{value:.1f}%".replace(".", ",")
    if unit == Unit.PER_10K:
        return f"{value:.1f}".replace(".", ",")
    if value == value.to_integral_value():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.2f}".replace(".", ",")


def _count_text(count: Decimal | None, *, exact: bool) -> str:
    if count is None:
        return ""
    if not exact and 0 < count < SMALL_COUNT:
        return f"<{SMALL_COUNT}"
    return format_value(count, Unit.COUNT)


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
    status: str = calc.NO_TARGET
    months: list[MonthPoint] = field(default_factory=list)

    @property
    def numerator_text(self) -> str:
        return format_value(self.numerator, Unit.COUNT)

    @property
    def denominator_text(self) -> str:
        return format_value(self.denominator, Unit.COUNT)

    @property
    def status_label(self) -> str:
        return calc.STATUS_LABELS[self.status]

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


def _forecast(
    card: Card,
    *,
    defn: IndicatorDefinition,
    year: int,
    today: dt.date,
    months: list[IndicatorValue],
    last_year: list[IndicatorValue],
) -> None:
    if year < today.year:
        card.forecast, card.forecast_method = card.value, "gerealiseerd"
    elif year > today.year or not months:
        return
    elif defn.forecast_by_run_rate:
        seasonal = [r.numerator for r in last_year] if len(last_year) == 12 else None
        elapsed = len(months)
        ytd = card.numerator if card.numerator is not None else Decimal(0)
        projected = calc.forecast_flow(
            year_to_date=ytd, months_elapsed=elapsed, last_year_monthly=seasonal
        )
        if projected is not None and defn.denominator_sql and card.denominator:
            projected = projected * defn.scale / card.denominator
        card.forecast = projected
        card.forecast_method = (
            "tempo tot nu, met het seizoenspatroon van vorig jaar"
            if seasonal
            else "tempo tot nu (run rate)"
        )
    else:
        values = [r.value for r in months if r.value is not None]
        seasonal_values = [r.value for r in last_year if r.value is not None]
        seasonal = seasonal_values if len(seasonal_values) == 12 else None
        card.forecast = calc.forecast_stock(monthly=values, last_year_monthly=seasonal)
        card.forecast_method = (
            "laatste stand plus het verloop van vorig jaar tot december"
            if seasonal
            else "trend van de maanden tot nu"
        )
    card.status = calc.forecast_status(
        forecast=card.forecast,
        target=card.target,
        higher_is_better=defn.direction == Direction.HIGHER,
    )
    card.forecast_text = format_value(card.forecast, defn.unit)


def dashboard_overview(
    *, user: User, municipality: Municipality, year: int, today: dt.date | None = None
) -> list[Card]:
    """One card per indicator: the year figure (year-to-date), target, progress, monthly trend,
    forecast and status. Two queries, whatever the number of indicators."""
    _check(user)
    today = today or timezone.localdate()
    rows = IndicatorValue.objects.filter(
        municipality=municipality,
        period_start__gte=dt.date(year - 1, 1, 1),
        period_start__lte=dt.date(year, 12, 31),
        period_kind__in=["month", "year"],
        dimension="",
    ).order_by("code", "period_start")
    targets = {t.code: t for t in Target.objects.filter(municipality=municipality, year=year)}
    by_code: dict[str, list[IndicatorValue]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    cards = []
    for defn in indicator_all():
        card = Card(defn=defn)
        code_rows = by_code.get(defn.code, [])
        months = [r for r in code_rows if r.period_kind == "month" and r.period_start.year == year]
        last_year = [
            r for r in code_rows if r.period_kind == "month" and r.period_start.year == year - 1
        ]
        year_row = next(
            (r for r in code_rows if r.period_kind == "year" and r.period_start.year == year), None
        )
        if year_row is not None:
            card.value = year_row.value
            card.numerator, card.denominator = year_row.numerator, year_row.denominator
            card.computed_at = year_row.computed_at
        card.value_text = format_value(card.value, defn.unit)
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
            MonthPoint(f"{r.period_start:%m-%Y}", r.value, format_value(r.value, defn.unit))
            for r in months
        ]
        _forecast(card, defn=defn, year=year, today=today, months=months, last_year=last_year)
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
    """The year figure with its breakdown by dimension (three queries)."""
    _check(user)
    if not is_registered(code):
        raise Http404
    defn = indicator_get(code)
    card = next(
        c
        for c in dashboard_overview(user=user, municipality=municipality, year=year, today=today)
        if c.defn.code == code
    )
    exact = has_case_access(user)
    rows = IndicatorValue.objects.filter(
        municipality=municipality,
        code=code,
        period_kind="year",
        period_start=dt.date(year, 1, 1),
    ).exclude(dimension="")
    breakdowns: dict[str, list[BreakdownRow]] = {d: [] for d in defn.dimensions}
    for row in rows.order_by("dimension", "dimension_value"):
        count_like = defn.unit == Unit.COUNT
        suppressed = not exact and 0 < row.numerator < SMALL_COUNT
        breakdowns.setdefault(row.dimension, []).append(
            BreakdownRow(
                dimension_value=dimension_value_label(row.dimension, row.dimension_value),
                value_text=(
                    f"<{SMALL_COUNT}"
                    if suppressed and count_like
                    else "-"
                    if suppressed
                    else format_value(row.value, defn.unit)
                ),
                numerator_text=_count_text(row.numerator, exact=exact),
                denominator_text=(
                    _count_text(row.denominator, exact=exact)
                    if defn.unit == Unit.PERCENTAGE
                    else format_value(row.denominator, Unit.COUNT)
                    if row.denominator is not None
                    else ""
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
    if code.startswith(FRAUD_INDICATOR_PREFIXES) and not user_has_permission(
        user, CaseloadPermission.VIEW_FRAUD
    ):
        raise PermissionDenied
    defn = indicator_get(code)
    today = today or timezone.localdate()
    from django.conf import settings

    from .engine import residents_sql

    sql = residents_sql(defn)
    params = {
        "municipality_id": municipality.pk,
        "today": today,
        "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
        "kinds": ["year"],
        "starts": [dt.date(year, 1, 1)],
        "ends": [dt.date(year, 12, 31)],
    }
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


def export_rows(*, user: User, municipality: Municipality, year: int) -> list[dict]:
    """All stored values of ``year`` (every period and dimension) with the year's target.
    Two queries. Small dimension counts are hidden ("<5") for aggregate-only roles."""
    _check(user)
    exact = has_case_access(user)
    targets = dict(
        Target.objects.filter(municipality=municipality, year=year).values_list("code", "target")
    )
    rows = (
        IndicatorValue.objects.filter(
            municipality=municipality,
            period_start__gte=dt.date(year, 1, 1),
            period_start__lte=dt.date(year, 12, 31),
        )
        .order_by("code", "period_kind", "period_start", "dimension", "dimension_value")
        .iterator(chunk_size=2000)
    )
    out = []
    for row in rows:
        if not is_registered(row.code):
            continue
        defn = indicator_get(row.code)
        small = (
            not exact
            and row.dimension != ""
            and defn.unit in (Unit.COUNT, Unit.PERCENTAGE)
            and (
                0 < row.numerator < SMALL_COUNT
                or (row.denominator is not None and 0 < row.denominator < SMALL_COUNT)
            )
        )
        dimension = f"{row.dimension}={row.dimension_value}" if row.dimension else ""
        out.append(
            {
                "code": row.code,
                "label": str(defn.label),
                "period": _period_label(row),
                "dimension": dimension,
                "value": None if small else row.value,
                "numerator": f"<{SMALL_COUNT}" if small else row.numerator,
                "denominator": (
                    f"<{SMALL_COUNT}"
                    if small and row.denominator is not None and row.denominator < SMALL_COUNT
                    else row.denominator
                ),
                "target": targets.get(row.code),
                "computed_at": row.computed_at,
            }
        )
    return out
