# ruff: noqa: S608 - islands() composes SQL from fragments in code; all values are bound parameters
"""The registry of indicator definitions.

An indicator is a code unit registered with :func:`indicator_register`: a stable dotted code, a
Dutch label and definition, its unit, direction, period kinds and dimensions, and one set-based
SQL query (the *facts*) that the engine wraps to compute numerator and denominator per period and
per dimension value. Registering the same code twice, or a definition that does not add up, is a
configuration error raised at import time.

The facts query
---------------
``sql`` is the body of a CTE named ``facts``. It can read the CTE ``periods`` (columns
``period_start``, ``period_end``, ``ref_date`` = the period end, or today for a running period,
``pop_18_plus``, ``pop_15_64``, ``pop_0_17``) and the parameters ``%(municipality_id)s``, ``%(today)s`` and
``%(return_window)s`` (days; see ``OUTFLOW_RETURN_WINDOW_DAYS``). It returns one row per counted
thing and period with the columns ``period_start``, ``period_end``, ``num_key`` (counted in the
numerator when not NULL), ``den_key`` (counted in the denominator when not NULL) and one text
column per dimension. The engine aggregates with ``count(DISTINCT ...)`` over ``GROUPING SETS``
so one statement gives the total and every dimension breakdown for every period at once.

Shared relations
----------------
Several facts queries start from the same expensive set, e.g. "the benefits running in the
periods, with their team and district". Such a set is registered once with :func:`shared_relation_register` (a name and the SQL
of a query over ``periods`` and the same parameters), and a definition that reads it declares
``uses=("benefit_dims", ...)`` and refers to it by name in its facts query. The engine provides
the relation: as a CTE in the definition's own statement (a fill of one indicator, the
drill-down), or, when a fill computes several indicators that use it for the same periods, as a
``TEMP TABLE ... ON COMMIT DROP`` built once in the fill's transaction and read by all of them.
Either way the figures are the same.

Interval facts (stock indicators)
---------------------------------
A stock ("how many on the reference date") counted per period makes one fact row per item and
period: at 40,000 households 40,000 open benefits x 13 periods a year, which dominated the
recompute. A definition with ``intervals=True`` instead returns one row per item and *span of
time* in which it counts: ``valid_from`` (first day it counts), ``valid_to`` (first day it no
longer counts; NULL when open-ended), the weights ``num`` and ``den`` it adds to the numerator
and denominator while it counts, ``resident_id`` and the dimension columns. The rows must not
overlap for the same counted thing (merge them first), as the engine adds weights instead of
counting distinct keys (:func:`islands` merges them). A row whose dimension column is NULL counts in the total and the other
dimensions' breakdowns but in no value of that dimension (a correction row: a person holding
two instruments at once adds 1 to each instrument and -1 without one, so that the total counts
them once; ``support.working_with_support``). The engine places the spans on the sorted distinct reference dates of
the periods (``width_bucket``), sums +weight at the first and -weight after the last date a
span covers per dimension value (``GROUPING SETS``), and takes the running sum over the dates:
the work grows with the number of items, not items x periods. A period's value is the one at its
reference date, so a month, quarter and year ending on the same day share it. The denominator
of an interval definition is ``COUNT_DEN`` (the ``den`` weights), a population
(``POP_18_PLUS``, ``POP_15_64``) or None; a dimension value gets a row where it has weight
(numerator or ``COUNT_DEN`` denominator) above zero, as a per-period count gives a row only for
values with facts.

A flow "in the period" (e.g. the benefits that ran at some time in the period) fits the same
scheme per period kind: with ``per_period_kind=True`` the facts carry a ``period_kind`` column,
each row counts only for periods of that kind, and its span ends at the start of the period
after the one it last touched (a benefit that ran until 3 May counts for May, and for the year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Unit:
    COUNT = "count"
    PERCENTAGE = "percentage"
    FTE = "fte"
    EURO = "euro"
    PER_10K = "per_10k"
    PER_1000 = "per_1000"
    #: an average duration in days (no count of residents: not suppressed, never per inhabitant)
    DAYS = "days"

    LABELS = {
        COUNT: _("aantal"),
        PERCENTAGE: _("procent"),
        FTE: _("fte"),
        EURO: _("euro"),
        PER_10K: _("per 10.000 inwoners"),
        PER_1000: _("per 1.000 inwoners"),
        DAYS: _("dagen"),
    }


class Direction:
    HIGHER = "higher"
    LOWER = "lower"

    LABELS = {HIGHER: _("hoger is beter"), LOWER: _("lager is beter")}


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    LABELS = {MONTH: _("maand"), QUARTER: _("kwartaal"), YEAR: _("jaar (tot en met vandaag)")}
    ALL = (MONTH, QUARTER, YEAR)


#: Dimensions a facts query may return, with their Dutch names.
DIMENSIONS = {
    "team": _("team"),
    "district": _("wijk"),
    "regime": _("regeling"),
    "group": _("groep"),
    "instrument": _("instrument"),
    "kind": _("soort uitstroom"),
    "result": _("resultaat"),
    "sector": _("sector"),
}

# Aggregates the engine puts around the facts; a definition picks one per side.
COUNT_NUM = "count(DISTINCT f.num_key)"
COUNT_DEN = "count(DISTINCT f.den_key)"
#: the same counts for facts that have at most one row per key and period (the definition makes
#: them so itself, e.g. one row per resident and period with DISTINCT ON, and one value per
#: dimension for each key): a plain count, which PostgreSQL computes for every grouping set in
#: one hash instead of sorting the facts for each DISTINCT (issue 19:
#: ``amersfoort.ladder_climbing`` sorted and grouped 733,000 facts at 40,000 households)
COUNT_UNIQUE_NUM = "count(f.num_key)"
COUNT_UNIQUE_DEN = "count(f.den_key)"
SUM_NUM = "sum(f.num_key)"
POP_18_PLUS = "coalesce(max(p.pop_18_plus), 0)"
POP_15_64 = "coalesce(max(p.pop_15_64), 0)"
POP_0_17 = "coalesce(max(p.pop_0_17), 0)"


def islands(source: str, key: str) -> str:
    """Merge overlapping or touching spans ``[lo, hi)`` (``hi`` NULL: open) of ``source`` per
    ``key`` (one column or several, comma-separated) into disjoint islands (columns ``key``,
    ``lo``, ``hi``; ``hi`` 'infinity' when open), so that counting them adds each thing once.

    (Reading each island off its last row with two more windows instead of the GROUP BY was
    measured on 4 December: faster for the 1.4 million benefit islands of
    ``matching.profile_complete_share`` at 400,000 households, 5-25 % slower for the trajectory
    and benefit islands of the other 14 indicators that merge spans; ``docs/benchmarks/scale.md``,
    twelfth follow-up.)"""
    return f"""
    SELECT {key}, min(lo) AS lo, max(hi) AS hi
      FROM (
          SELECT {key}, lo, hi,
                 count(*) FILTER (WHERE starts) OVER (
                     PARTITION BY {key} ORDER BY lo, hi ROWS UNBOUNDED PRECEDING
                 ) AS island
            FROM (
                SELECT {key}, lo, hi,
                       lo > coalesce(max(hi) OVER (
                           PARTITION BY {key} ORDER BY lo, hi
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                       ), '-infinity'::date) AS starts
                  FROM (SELECT {key}, lo, coalesce(hi, 'infinity'::date) AS hi
                          FROM ({source}) AS src) AS spans
            ) AS marked
      ) AS numbered
     GROUP BY {key}, island
    """


#: the denominators an interval definition can have, as the engine computes them per period
#: (``s`` the running sums at the period's reference date, ``p`` the period)
INTERVAL_DENOMINATORS = {
    COUNT_DEN: "s.den",
    POP_18_PLUS: "coalesce(p.pop_18_plus, 0)",
    POP_15_64: "coalesce(p.pop_15_64, 0)",
    POP_0_17: "coalesce(p.pop_0_17, 0)",
    None: None,
}


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    label: str
    definition: str  # plain Dutch, shown on the detail page
    unit: str
    direction: str
    sql: str
    period_kinds: tuple[str, ...] = (PeriodKind.MONTH, PeriodKind.YEAR)
    dimensions: tuple[str, ...] = ()
    #: a flow (counted over the period, months add up to the year) or a stock (at period end)
    is_flow: bool = False
    numerator_sql: str = COUNT_NUM
    #: None: a count without denominator
    denominator_sql: str | None = None
    version: int = 1
    source: str = ""  # where the figures come from
    manual: bool = False  # values entered by hand (ManualValue), not from the case tables
    order: int = 100
    #: forecast the year end from the run rate (a count or share that grows over the year);
    #: otherwise from the trend of the monthly level
    run_rate_forecast: bool | None = None
    #: the figure of a period is over what happened in the whole period: neither a level on the
    #: reference date nor a sum of the months (e.g. "of those measured in the period, the share
    #: who climbed"): a year figure grows out of its months in no simple way, so its forecast is
    #: the figure so far, not a projection of the months
    period_window: bool = False
    #: shared relations (see :func:`shared_relation_register`) the facts query reads by name
    uses: tuple[str, ...] = ()
    #: the facts are spans of time (``valid_from``, ``valid_to``, ``num``, ``den``), see the
    #: module doc; for stock indicators
    intervals: bool = False
    #: interval facts with a ``period_kind`` column that count only for periods of that kind:
    #: flows "in the period", whose spans are rounded to the kind's period boundaries
    per_period_kind: bool = False
    #: the permission (``"app_label.codename"``, a member of an app's permission enum) needed to
    #: see the residents behind the figure, on top of ``indicators.view_residents``; e.g. the
    #: fraud indicators need the field grant ``caseload.view_fraud``. The figures themselves are
    #: aggregates and need only ``indicators.view_dashboards``.
    required_permission: str = ""
    #: what the dashboard shows for a period without a value instead of "-" (e.g. "geen
    #: landelijk cijfer" when the national series has no figure for it)
    no_value_text: str = ""
    #: the numerator counts residents, so small values are hidden for aggregate-only roles
    #: (``indicators.suppression``); False for a numerator that is no count (e.g. a difference
    #: near 0 or below it): then a figure is hidden whole when its denominator is a small count
    small_counts: bool = True

    @property
    def is_period_average(self) -> bool:
        """The figure is an average over the period (fte: the hours of the period's days): a
        year figure is the average of its days, not the level in December."""
        return self.unit == Unit.FTE

    @property
    def forecast_from_first_month(self) -> bool:
        """A count of those present at any time in the period (``is_flow`` with
        ``run_rate_forecast=False``, e.g. the people supported in the period): its months do
        not add up to the year, whose figure is January's plus those who came later. Its
        forecast is January's figure plus the later ones at their pace to December
        (``calculations.forecast_running_total``); the recomputation of 3 December found these
        projected by the run rate, against the flag."""
        return self.is_flow and self.run_rate_forecast is False and self.denominator_sql is None

    @property
    def forecast_by_run_rate(self) -> bool:
        if self.run_rate_forecast is not None:
            return self.run_rate_forecast
        return self.is_flow and self.unit == Unit.COUNT

    @property
    def unit_label(self) -> str:
        return str(Unit.LABELS[self.unit])

    @property
    def direction_label(self) -> str:
        return str(Direction.LABELS[self.direction])

    @property
    def scale(self) -> int:
        """Multiplier from numerator/denominator to the value."""
        return {Unit.PERCENTAGE: 100, Unit.PER_10K: 10_000, Unit.PER_1000: 1_000}.get(self.unit, 1)


_registry: dict[str, IndicatorDefinition] = {}
_relations: dict[str, str] = {}


class RegistryError(ValueError):
    pass


_PERMISSION = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def _check(defn: IndicatorDefinition) -> None:
    parts = defn.code.split(".")
    if len(parts) < 2 or not all(
        p and p.replace("_", "a").isalnum() and p.islower() for p in parts
    ):
        raise RegistryError(f"indicator code {defn.code!r} is not a lowercase dotted code")
    if defn.code in _registry:
        raise RegistryError(f"indicator {defn.code!r} registered twice")
    if defn.unit not in Unit.LABELS:
        raise RegistryError(f"indicator {defn.code!r}: unknown unit {defn.unit!r}")
    if defn.direction not in Direction.LABELS:
        raise RegistryError(f"indicator {defn.code!r}: unknown direction {defn.direction!r}")
    if not defn.period_kinds or any(k not in PeriodKind.ALL for k in defn.period_kinds):
        raise RegistryError(f"indicator {defn.code!r}: bad period kinds {defn.period_kinds!r}")
    unknown = set(defn.dimensions) - set(DIMENSIONS)
    if unknown:
        raise RegistryError(f"indicator {defn.code!r}: unknown dimensions {sorted(unknown)}")
    if defn.unit in (Unit.PERCENTAGE, Unit.PER_10K, Unit.PER_1000) and defn.denominator_sql is None:
        raise RegistryError(f"indicator {defn.code!r}: a {defn.unit} needs a denominator")
    if defn.required_permission and not _PERMISSION.fullmatch(str(defn.required_permission)):
        raise RegistryError(
            f"indicator {defn.code!r}: required_permission {defn.required_permission!r} is not "
            "an 'app_label.codename'"
        )
    if defn.per_period_kind and not defn.intervals:
        raise RegistryError(f"indicator {defn.code!r}: per_period_kind needs intervals")
    if defn.intervals:
        columns = ("valid_from", "valid_to", "num", "den", "resident_id", *defn.dimensions)
        if defn.per_period_kind:
            columns += ("period_kind",)
        if defn.numerator_sql != COUNT_NUM or defn.denominator_sql not in INTERVAL_DENOMINATORS:
            raise RegistryError(
                f"indicator {defn.code!r}: an interval definition sums its weights; its "
                "denominator is COUNT_DEN, a population or None"
            )
    else:
        columns = ("period_start", "period_end", "num_key", *defn.dimensions)
        if defn.denominator_sql in (COUNT_DEN, COUNT_UNIQUE_DEN) and "den_key" not in defn.sql:
            raise RegistryError(f"indicator {defn.code!r}: facts query lacks column 'den_key'")
    for column in columns:
        if column not in defn.sql:
            raise RegistryError(f"indicator {defn.code!r}: facts query lacks column {column!r}")
    if ";" in defn.sql:
        raise RegistryError(f"indicator {defn.code!r}: one statement only")
    for name in defn.uses:
        if name not in _relations:
            raise RegistryError(f"indicator {defn.code!r}: unknown shared relation {name!r}")
        if name not in defn.sql:
            raise RegistryError(f"indicator {defn.code!r}: uses {name!r} but does not read it")


def shared_relation_register(name: str, sql: str) -> None:
    """Register a shared relation: ``sql`` is one SELECT over ``periods`` (see the module doc).

    Its rows must not depend on which indicator reads it; it is computed once per fill
    transaction (or inlined as a CTE) for the periods being filled.
    """
    if not name.replace("_", "a").isalnum() or not name.islower():
        raise RegistryError(f"shared relation {name!r} is not a lowercase identifier")
    if name in _relations:
        raise RegistryError(f"shared relation {name!r} registered twice")
    if ";" in sql:
        raise RegistryError(f"shared relation {name!r}: one statement only")
    _relations[name] = sql


def shared_relation_get(name: str) -> str:
    return _relations[name]


def indicator_register(
    **attrs,
) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register an indicator; the decorated function returns its facts SQL.

    The docstring-free function body keeps the SQL next to its code::

        @indicator_register(code="caseload.size", label=..., unit=Unit.COUNT, ...)
        def caseload_size() -> str:
            return "SELECT ..."
    """

    def decorator(fn: Callable[[], str]) -> Callable[[], str]:
        defn = IndicatorDefinition(sql=fn(), **attrs)
        _check(defn)
        _registry[defn.code] = defn
        return fn

    return decorator


def indicator_get(code: str) -> IndicatorDefinition:
    try:
        return _registry[code]
    except KeyError as exc:
        raise KeyError(f"unknown indicator {code!r}") from exc


def indicator_codes() -> list[str]:
    return [d.code for d in indicator_all()]


def indicator_all() -> list[IndicatorDefinition]:
    return sorted(_registry.values(), key=lambda d: (d.order, d.code))


def is_registered(code: str) -> bool:
    return code in _registry


def indicator_unregister(code: str) -> None:
    """Remove a definition (tests that register throwaway indicators clean up with this)."""
    _registry.pop(code, None)


def shared_relation_unregister(name: str) -> None:
    """Remove a shared relation (tests that register throwaway ones clean up with this)."""
    _relations.pop(name, None)
