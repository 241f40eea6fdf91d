"""Reads for the budget pages, API and report. Every selector takes ``user`` and checks access.

Besteding comes from the stored month totals (``PaymentMonthTotal``, summed from
``caseload.BenefitPayment`` by ``services.payment_totals_refresh``), so no page aggregates the
payment table; baten from ``Receipt`` plus baten corrections; netto lasten = besteding - baten.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from caseload.models import (
    BenefitPayment,
    Municipality,
    MunicipalityYear,
    OutflowEvent,
    Regime,
    User,
)
from caseload.outflow_rule import outflow_to_work_events
from caseload.selectors import municipality_for  # the one rule (the views call it too)
from common import clock

from . import calculations as calc
from .calculations import (
    MONTH_FUTURE,
    MONTH_REALISED,
    MONTH_RUNNING,
    MONTH_STATUS_LABELS,
    MONTH_UNPAID,
)
from .models import (
    BudgetAllocation,
    BuigReport,
    JournalCorrection,
    LedgerImport,
    PaymentColumnMapping,
    PaymentImport,
    PaymentMonthTotal,
    Receipt,
    ReconciliationSignoff,
    SisaLabel,
    VangnetRule,
)
from .permissions import BudgetPermission

ZERO = Decimal("0")
MONTHS = range(1, 13)
FULL_TIME_HOURS = Decimal("36")


def _check(user: User) -> None:
    if not user.has_perm(BudgetPermission.VIEW_BUDGET):
        raise PermissionDenied


# Money per regime and month ---------------------------------------------------------------------


@dataclass
class MonthFigures:
    month: int
    besteding: Decimal = ZERO
    baten: Decimal = ZERO
    households: int = 0

    @property
    def netto(self) -> Decimal:
        return self.besteding - self.baten


@dataclass
class RegimeFigures:
    regime: str
    label: str
    months: list[MonthFigures]

    @property
    def besteding(self) -> Decimal:
        return sum((m.besteding for m in self.months), ZERO)

    @property
    def baten(self) -> Decimal:
        return sum((m.baten for m in self.months), ZERO)

    @property
    def netto(self) -> Decimal:
        return self.besteding - self.baten


@dataclass
class YearFigures:
    year: int
    regimes: list[RegimeFigures]
    households_per_month: list[int]
    payments_total: Decimal  # sum of the payment records (reconciliation)
    besteding_corrections: Decimal
    last_month: int  # last month with payments (0 if none)
    computed_at: dt.datetime | None = None  # when the month totals were summed (None: never)

    @property
    def besteding(self) -> Decimal:
        return sum((r.besteding for r in self.regimes), ZERO)

    @property
    def baten(self) -> Decimal:
        return sum((r.baten for r in self.regimes), ZERO)

    @property
    def netto(self) -> Decimal:
        return self.besteding - self.baten

    def netto_until(self, month: int) -> Decimal:
        return sum((m.netto for r in self.regimes for m in r.months if m.month <= month), ZERO)

    def besteding_until(self, month: int) -> Decimal:
        return sum((m.besteding for r in self.regimes for m in r.months if m.month <= month), ZERO)

    def baten_until(self, month: int) -> Decimal:
        return sum((m.baten for r in self.regimes for m in r.months if m.month <= month), ZERO)


def year_figures(
    *, user: User, municipality: Municipality, year: int, through: int = 12
) -> YearFigures:
    """Besteding, baten and households per regime and month (with ``through`` < 12 only the
    months up to it): three small queries over stored month totals (``PaymentMonthTotal``),
    receipts and corrections; never the payment table."""
    _check(user)
    return _year_figures(municipality=municipality, year=year, through=through)


def _year_figures(*, municipality: Municipality, year: int, through: int = 12) -> YearFigures:
    """The figures of ``year``; with ``through`` < 12 only the months 1 .. ``through`` (the BUIG
    report of a running year: the months that are over)."""
    months: dict[str, dt.date | int] = {"month__gte": dt.date(year, 1, 1)}
    if through < 12:
        months["month__lt"] = dt.date(year, max(through, 0) + 1, 1)
    else:
        months["month__year"] = year
    data: dict[str, dict[int, MonthFigures]] = {
        r: {m: MonthFigures(month=m) for m in MONTHS} for r in Regime.values
    }
    payments_total = ZERO
    households: dict[dt.date, int] = {}
    computed_at = None
    for regime, month, total, n, at in PaymentMonthTotal.objects.filter(
        municipality=municipality, **months
    ).values_list("regime", "month", "amount_paid", "households", "computed_at"):
        computed_at = at if computed_at is None else min(computed_at, at)
        if regime == "":
            households[month] = n
        elif regime in data:
            data[regime][month.month].besteding += total
            payments_total += total
    receipts = (
        Receipt.objects.filter(municipality=municipality, kind__in=Receipt.BATEN, **months)
        .values_list("regime", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for regime, month, total in receipts:
        data[regime][month.month].baten += total
    corrections = (
        JournalCorrection.objects.filter(municipality=municipality, **months)
        .values_list("regime", "month", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    besteding_corrections = ZERO
    for regime, month, kind, total in corrections:
        if kind == JournalCorrection.Kind.BESTEDING:
            data[regime][month.month].besteding += total
            besteding_corrections += total
        else:
            data[regime][month.month].baten += total
    per_month = [0] * 12
    for month, n in households.items():
        per_month[month.month - 1] = n
    labels = dict(Regime.choices)
    return YearFigures(
        year=year,
        regimes=[
            RegimeFigures(regime=r, label=str(labels[r]), months=list(data[r].values()))
            for r in Regime.values
        ],
        households_per_month=per_month,
        payments_total=payments_total,
        besteding_corrections=besteding_corrections,
        last_month=max((m.month for m in households), default=0),
        computed_at=computed_at,
    )


# Budget, forecast and gap -----------------------------------------------------------------------


def allocations(*, user: User, municipality: Municipality, year: int) -> list[BudgetAllocation]:
    _check(user)
    return _allocations(municipality=municipality, year=year)


def _allocations(*, municipality: Municipality, year: int) -> list[BudgetAllocation]:
    return list(
        BudgetAllocation.objects.filter(
            budget_year__municipality=municipality, budget_year__year=year
        ).order_by("decided_on", "id")
    )


def current_allocation(items: list[BudgetAllocation]) -> BudgetAllocation | None:
    """The latest allocation is current (by date, then entry order)."""
    return items[-1] if items else None


def definitief_budget(items: list[BudgetAllocation]) -> Decimal | None:
    for item in items:
        if item.moment == BudgetAllocation.Moment.DEFINITIEF:
            return item.amount
    return None


def average_cost(*, municipality: Municipality, year: int) -> Decimal | None:
    return (
        MunicipalityYear.objects.filter(municipality=municipality, year=year)
        .values_list("average_benefit_cost", flat=True)
        .first()
    )


@dataclass(frozen=True)
class AverageCost:
    """The average yearly cost of one benefit in a year, with where it comes from."""

    year: int
    amount: Decimal | None  # None: no figures for that year yet
    source: str
    has_year: bool  # a MunicipalityYear row exists (beheer can edit the amount)


def average_cost_get(*, user: User, municipality: Municipality, year: int) -> AverageCost:
    """The business case's average cost of ``year`` and its source (one query)."""
    _check(user)
    row = (
        MunicipalityYear.objects.filter(municipality=municipality, year=year)
        .values_list("average_benefit_cost", "average_benefit_cost_source")
        .first()
    )
    if row is None:
        return AverageCost(year=year, amount=None, source="", has_year=False)
    return AverageCost(year=year, amount=row[0], source=row[1], has_year=True)


@dataclass(frozen=True)
class Totals:
    besteding: Decimal = ZERO
    baten: Decimal = ZERO

    @property
    def netto(self) -> Decimal:
        return self.besteding - self.baten

    def __bool__(self) -> bool:
        return bool(self.besteding or self.baten)


@dataclass(frozen=True)
class MonthRow:
    """A month of a regime's table with its state (``MONTH_*``)."""

    figures: MonthFigures
    status: str

    @property
    def realised(self) -> bool:
        return self.status == MONTH_REALISED

    @property
    def label(self) -> str:
        return str(MONTH_STATUS_LABELS[self.status])


@dataclass(frozen=True)
class RegimeTable:
    """A regime's month table as the overview shows it: every month marked, the total of the
    realised months (as the headline) and what is booked for the other months apart."""

    regime: str
    label: str
    rows: list[MonthRow]

    def _total(self, realised: bool) -> Totals:
        rows = [r.figures for r in self.rows if r.realised == realised]
        return Totals(
            besteding=sum((m.besteding for m in rows), ZERO),
            baten=sum((m.baten for m in rows), ZERO),
        )

    @property
    def realised(self) -> Totals:
        return self._total(True)

    @property
    def not_realised(self) -> Totals:
        return self._total(False)


@dataclass
class Overview:
    year: int
    figures: YearFigures
    allocations: list[BudgetAllocation]
    current: BudgetAllocation | None
    average_cost: Decimal | None
    forecast_run_rate: Decimal | None
    forecast_caseload: Decimal | None
    budget_households: Decimal | None
    gap: list[dict] = field(default_factory=list)
    #: the months realised: over on the municipality's today (``calculations.months_over``)
    #: and paid; 12 only once the year is over and December is paid. On 3 December 11.
    months_realised: int = 0
    #: households in the latest paid month up to the running month: the current caseload
    households_now: int = 0
    #: the months over on the municipality's today (``calculations.months_over``)
    months_over: int = 0
    #: today's month when ``year`` is the running year, else 0
    running_month: int = 0

    def month_status(self, month: int) -> str:
        """``MONTH_REALISED`` up to ``months_realised``; a month over but without payments
        after it ``MONTH_UNPAID``; today's month ``MONTH_RUNNING``; later ones ``MONTH_FUTURE``."""
        if month <= self.months_realised:
            return MONTH_REALISED
        if month <= self.months_over:
            return MONTH_UNPAID
        return MONTH_RUNNING if month == self.running_month else MONTH_FUTURE

    @property
    def regime_tables(self) -> list[RegimeTable]:
        """The per-regime month tables, every month with its state."""
        return [
            RegimeTable(
                regime=r.regime,
                label=r.label,
                rows=[MonthRow(figures=m, status=self.month_status(m.month)) for m in r.months],
            )
            for r in self.figures.regimes
        ]

    @property
    def realised_totals(self) -> Totals:
        """Besteding and baten of the realised months (all regimes): the headline's."""
        last = self.months_realised
        return Totals(
            besteding=self.figures.besteding_until(last), baten=self.figures.baten_until(last)
        )

    @property
    def not_realised_totals(self) -> Totals:
        """Besteding and baten booked for months that are not realised."""
        realised = self.realised_totals
        return Totals(
            besteding=self.figures.besteding - realised.besteding,
            baten=self.figures.baten - realised.baten,
        )

    @property
    def realised_netto(self) -> Decimal:
        """The netto lasten of the realised months (what the forecasts project from)."""
        return self.figures.netto_until(self.months_realised)

    @property
    def not_yet_realised_netto(self) -> Decimal:
        """Netto lasten booked for months that are not over yet (the running month's payments,
        paid in advance): shown, but not counted as realised nor in the forecasts."""
        return self.figures.netto - self.realised_netto

    @property
    def months_remaining(self) -> int:
        """Months of the year not yet realised (what the caseload forecast adds)."""
        return 12 - max(0, min(self.months_realised, 12))

    @property
    def year_complete(self) -> bool:
        return self.months_realised == 12

    @property
    def forecast(self) -> Decimal | None:
        """The forecast used for the vangnet: caseload-based when the average cost is known."""
        return self.forecast_caseload if self.forecast_caseload is not None else None

    @property
    def netto_forecast(self) -> Decimal | None:
        """The netto lasten forecast for the year: caseload-based, else the run rate."""
        return self.forecast if self.forecast is not None else self.forecast_run_rate

    @property
    def definitief(self) -> Decimal | None:
        """The definitief budget of the year, None before it is decided."""
        return definitief_budget(self.allocations)

    @property
    def budget_for_year(self) -> Decimal | None:
        """The definitief budget, else the current allocation's amount (None without either)."""
        if self.definitief is not None:
            return self.definitief
        return self.current.amount if self.current is not None else None

    @property
    def balance_realised(self) -> Balance | None:
        """Budget (pro rata over the realised months) minus the netto lasten of those months;
        None without a budget or a realised month."""
        last = self.months_realised
        if self.current is None or not last:
            return None
        budget = calc.money(self.current.amount * last / 12)
        return Balance(budget=budget, netto=self.realised_netto, months=last)

    @property
    def balance_forecast(self) -> Balance | None:
        """Budget minus the netto lasten forecast for the whole year."""
        netto = self.netto_forecast
        if self.current is None or netto is None:
            return None
        return Balance(budget=self.current.amount, netto=netto, months=12)


@dataclass(frozen=True)
class Balance:
    """Budget minus netto lasten: positive is an overschot (less spent than budgeted), negative a
    tekort (DOMAIN.md: tekort = netto lasten - budget)."""

    budget: Decimal
    netto: Decimal
    months: int

    @property
    def amount(self) -> Decimal:
        return self.budget - self.netto

    @property
    def magnitude(self) -> Decimal:
        return abs(self.amount)

    @property
    def kind(self) -> str:
        if self.amount > 0:
            return "overschot"
        return "tekort" if self.amount < 0 else "sluitend"


def budget_overview(
    *, user: User, municipality: Municipality, year: int, today: dt.date | None = None
) -> Overview:
    _check(user)
    return _overview(municipality=municipality, year=year, today=today)


def _overview(*, municipality: Municipality, year: int, today: dt.date | None = None) -> Overview:
    """The year as the overview shows it on ``today`` (default: the municipality's today,
    ``common.clock``). Realised are the months that are over and paid; the running month's
    payments (bijstand is paid per month, often at its start) are shown but forecast, so on
    3 December the forecasts project December from January-November."""
    today = today or clock.today()
    figures = _year_figures(municipality=municipality, year=year)
    items = _allocations(municipality=municipality, year=year)
    current = current_allocation(items)
    cost = average_cost(municipality=municipality, year=year)
    last = min(figures.last_month, calc.months_over(year=year, today=today))
    realised = figures.netto_until(last)
    # the current caseload: the latest paid month, the running month included (its payments
    # show who is on benefit now); never a month after today's
    running = 12 if year < today.year else today.month if year == today.year else 0
    paid = [m for m in range(1, running + 1) if figures.households_per_month[m - 1]]
    households_now = figures.households_per_month[paid[-1] - 1] if paid else 0
    run_rate = caseload = None
    if cost is not None and (last or households_now):
        run_rate, caseload = calc.forecast_netto_lasten(
            realised=realised,
            months_realised=last,
            current_households=households_now,
            average_cost=cost,
        )
        if not last:  # no month over yet: no spending rhythm to project
            run_rate = None
    elif last:
        run_rate = calc.money(realised / last * 12)
    budget_households = (
        calc.budget_in_households(budget=current.amount, average_cost=cost)
        if current is not None and cost is not None
        else None
    )
    overview = Overview(
        year=year,
        figures=figures,
        allocations=items,
        current=current,
        average_cost=cost,
        forecast_run_rate=run_rate,
        forecast_caseload=caseload,
        budget_households=budget_households,
        months_realised=last,
        households_now=households_now,
        months_over=calc.months_over(year=year, today=today),
        running_month=today.month if year == today.year else 0,
    )
    # the chart's line of households: the realised months only; what the payments of a month
    # not realised (the running one) show apart, as 'households_booked' with its state
    for m in MONTHS:
        status = overview.month_status(m)
        n = figures.households_per_month[m - 1]
        overview.gap.append(
            {
                "month": m,
                "budget_households": budget_households,
                "households": n if status == MONTH_REALISED else None,
                "households_booked": n if status != MONTH_REALISED and n else None,
                "status": status,
            }
        )
    return overview


# Vangnet ----------------------------------------------------------------------------------------


def vangnet_rules() -> list[calc.VangnetRuleData]:
    return [
        calc.VangnetRuleData(
            year_from=r.year_from,
            year_to=r.year_to,
            entry_threshold=r.entry_threshold,
            multi_year_kind=r.multi_year_kind,
            multi_year_threshold=r.multi_year_threshold,
            multi_year_window=r.multi_year_window,
            multi_year_since=r.multi_year_since,
            band_lower=r.band_lower,
            band_upper=r.band_upper,
            band_rate=r.band_rate,
            above_rate=r.above_rate,
        )
        for r in VangnetRule.objects.order_by("year_from")
    ]


def vangnet_rule_table(*, user: User) -> list[VangnetRule]:
    _check(user)
    return list(VangnetRule.objects.order_by("year_from"))


def year_deficit(*, user: User, municipality: Municipality, year: int) -> Decimal | None:
    """Tekort of a closed year (netto lasten - definitief budget); None without definitief."""
    _check(user)
    return _year_deficit(municipality=municipality, year=year)


def _year_deficit(*, municipality: Municipality, year: int) -> Decimal | None:
    budget = definitief_budget(_allocations(municipality=municipality, year=year))
    if budget is None:
        return None
    return _year_figures(municipality=municipality, year=year).netto - budget


def vangnet_for_forecast(
    *, user: User, municipality: Municipality, overview: Overview
) -> tuple[calc.VangnetResult | None, str]:
    """The vangnet check on the forecast; (None, Dutch reason) when it cannot be computed."""
    _check(user)
    return _vangnet_for_forecast(municipality=municipality, overview=overview)


def _vangnet_for_forecast(
    *, municipality: Municipality, overview: Overview
) -> tuple[calc.VangnetResult | None, str]:
    year = overview.year
    budget = definitief_budget(overview.allocations)
    note = ""
    if budget is None:
        if overview.current is None:
            return None, "Er is nog geen budget voor dit jaar vastgelegd."
        budget = overview.current.amount
        note = "Nog geen definitief budget: gerekend met het huidige budget."
    netto = overview.netto_forecast
    if netto is None:
        return None, "Er zijn nog geen betalingen of gemiddelde kosten voor een prognose."
    rule = calc.vangnet_rule_for(vangnet_rules(), year)
    if rule is None:
        return None, f"Er is geen vangnetregel voor {year}."
    if rule.multi_year_kind == calc.MULTI_YEAR_SINCE:
        years = range(rule.multi_year_since or rule.year_from, year)
    else:
        years = range(year - rule.multi_year_window, year)
    previous: dict[int, Decimal] = {}
    for y in years:
        deficit = _year_deficit(municipality=municipality, year=y)
        if deficit is not None:
            previous[y] = deficit
    result = calc.vangnet_calculate(
        rule=rule, year=year, budget=budget, netto_lasten=netto, previous_deficits=previous
    )
    return result, note


@dataclass(frozen=True)
class MunicipalityYearBuig:
    """One municipality's BUIG year as its own overview shows it: the overview (budget,
    spending, forecast) and the vangnet check on the forecast."""

    municipality: Municipality
    overview: Overview
    vangnet: calc.VangnetResult | None
    vangnet_note: str


def buig_years_for(
    *, user: User, permission: str, municipalities: Sequence[Municipality], year: int
) -> list[MunicipalityYearBuig]:
    """The BUIG year of each of ``municipalities`` for a page outside the budget app that reaches
    these figures through a permission of its own (the regional BUIG overview:
    ``region.view_budget``), with the very functions the budget pages use. Checks ``permission``
    instead of ``budget.view_budget``, so holding it opens no budget page; the caller has
    already decided which municipalities the person may see (the person's region)."""
    if not user.has_perm(permission):
        raise PermissionDenied
    years = []
    for municipality in municipalities:
        overview = _overview(municipality=municipality, year=year)
        vangnet, note = _vangnet_for_forecast(municipality=municipality, overview=overview)
        years.append(
            MunicipalityYearBuig(
                municipality=municipality, overview=overview, vangnet=vangnet, vangnet_note=note
            )
        )
    return years


@dataclass
class VangnetInputs:
    """The figures of one year that the vangnet check runs on, each with where it comes from
    (shown beside the simulator and in the BUIG report). The same figures the overview uses:
    the definitief budget (else the current allocation), the netto lasten forecast of the
    overview (the realised netto lasten once the year is complete: all twelve months over and
    paid; on 3 December still the forecast) and the tekort
    of T-2 and T-1 (netto lasten - definitief budget of those years)."""

    year: int
    budget: Decimal | None
    budget_source: str
    netto_lasten: Decimal | None
    netto_lasten_source: str
    deficit_t_minus_2: Decimal | None
    deficit_t_minus_2_source: str
    deficit_t_minus_1: Decimal | None
    deficit_t_minus_1_source: str

    @property
    def complete(self) -> bool:
        return self.budget is not None and self.netto_lasten is not None


def _deficit_with_source(
    *, user: User, municipality: Municipality, year: int
) -> tuple[Decimal | None, str]:
    budget = definitief_budget(allocations(user=user, municipality=municipality, year=year))
    if budget is None:
        return None, _("Geen definitief budget %(year)s vastgelegd: als 0 gerekend.") % {
            "year": year
        }
    netto = year_figures(user=user, municipality=municipality, year=year).netto
    return netto - budget, _(
        "Netto lasten %(year)s %(netto)s min definitief budget %(budget)s (overzicht %(year)s)."
    ) % {"year": year, "netto": calc.fmt_eur(netto), "budget": calc.fmt_eur(budget)}


def vangnet_inputs(
    *, user: User, municipality: Municipality, year: int, overview: Overview | None = None
) -> VangnetInputs:
    """The selected year's own vangnet figures from the stored data, with their sources."""
    _check(user)
    if overview is None:
        overview = budget_overview(user=user, municipality=municipality, year=year)
    budget = definitief_budget(overview.allocations)
    if budget is not None:
        budget_source = _("Definitief budget %(year)s (overzicht, toekenningen).") % {"year": year}
    elif overview.current is not None:
        budget = overview.current.amount
        budget_source = _(
            "Nog geen definitief budget: het huidige budget (%(moment)s van %(date)s)."
        ) % {
            "moment": overview.current.get_moment_display(),
            "date": overview.current.decided_on.strftime("%d-%m-%Y"),
        }
    else:
        budget_source = _("Er is nog geen budget voor %(year)s vastgelegd.") % {"year": year}
    last = overview.months_realised
    netto: Decimal | None
    if overview.year_complete:
        netto = overview.realised_netto
        netto_source = _(
            "Gerealiseerde netto lasten %(year)s (besteding min baten, 12 maanden)."
        ) % {"year": year}
    elif overview.forecast is not None:
        netto = overview.forecast
        netto_source = _(
            "Prognose van het overzicht: gerealiseerd tot en met maand %(month)s, de rest "
            "huidig aantal huishoudens × gemiddelde kosten."
        ) % {"month": last}
        if not last:
            netto_source = _(
                "Prognose van het overzicht: nog geen maand voorbij, het hele jaar huidig aantal "
                "huishoudens × gemiddelde kosten."
            )
    elif overview.forecast_run_rate is not None:
        netto = overview.forecast_run_rate
        netto_source = _(
            "Prognose van het overzicht op basis van het uitgavenritme (%(months)s maanden)."
        ) % {"months": last}
    else:
        netto = None
        netto_source = _("Er zijn nog geen betalingen voor %(year)s.") % {"year": year}
    t2, t2_source = _deficit_with_source(user=user, municipality=municipality, year=year - 2)
    t1, t1_source = _deficit_with_source(user=user, municipality=municipality, year=year - 1)
    return VangnetInputs(
        year=year,
        budget=budget,
        budget_source=budget_source,
        netto_lasten=netto,
        netto_lasten_source=netto_source,
        deficit_t_minus_2=t2,
        deficit_t_minus_2_source=t2_source,
        deficit_t_minus_1=t1,
        deficit_t_minus_1_source=t1_source,
    )


def vangnet_for_inputs(inputs: VangnetInputs) -> tuple[calc.VangnetResult | None, str]:
    """``calculations.vangnet_calculate`` on a year's own figures; (None, Dutch reason) when a
    figure or the rule is missing."""
    if inputs.budget is None:
        return None, inputs.budget_source
    if inputs.netto_lasten is None:
        return None, inputs.netto_lasten_source
    rule = calc.vangnet_rule_for(vangnet_rules(), inputs.year)
    if rule is None:
        return None, _("Er is geen vangnetregel voor %(year)s.") % {"year": inputs.year}
    previous = {
        y: d
        for y, d in (
            (inputs.year - 2, inputs.deficit_t_minus_2),
            (inputs.year - 1, inputs.deficit_t_minus_1),
        )
        if d is not None
    }
    return (
        calc.vangnet_calculate(
            rule=rule,
            year=inputs.year,
            budget=inputs.budget,
            netto_lasten=inputs.netto_lasten,
            previous_deficits=previous,
        ),
        "",
    )


# Business case ----------------------------------------------------------------------------------


@dataclass
class RealisedOutflow:
    kind: str
    occurred_on: dt.date
    fraction: Decimal
    saving: Decimal


def realised_business_case(
    *, user: User, municipality: Municipality, year: int
) -> tuple[list[RealisedOutflow], calc.BusinessCase | None]:
    """The saving of this year's outflows to work, counted by the rule the indicator
    ``outflow.to_work`` uses (``caseload.outflow_rule``: a full outflow followed by a new benefit
    within the return window does not count). Full saves the average cost; partial saves the
    share of the monthly average cost offset by income in the month after (or, without a payment
    record, hours / 36). Partial outflows are grouped by that share in bands of ten percentage
    points; a band saves its outflows' shares together. Two queries; no BSN or name is
    returned."""
    _check(user)
    cost = average_cost(municipality=municipality, year=year)
    if cost is None:
        return [], None
    events = outflow_to_work_events(
        municipality_id=municipality.pk, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    partial = [e for e in events if e.kind == OutflowEvent.Kind.PARTIAL]
    offsets: dict[tuple[int, dt.date], Decimal] = {}
    if partial:
        months = {_next_month(e.occurred_on) for e in partial}
        offsets = {
            (b, m): o
            for b, m, o in BenefitPayment.objects.filter(
                benefit_id__in={e.benefit_id for e in partial}, month__in=months
            ).values_list("benefit_id", "month", "income_offset")
        }
    monthly = cost / 12
    rows: list[RealisedOutflow] = []
    for e in events:
        if e.kind == OutflowEvent.Kind.FULL:
            fraction = Decimal("1")
        else:
            offset = offsets.get((e.benefit_id, _next_month(e.occurred_on)))
            if offset:
                fraction = min(offset / monthly, Decimal("1"))
            else:
                fraction = min((e.hours_per_week or ZERO) / FULL_TIME_HOURS, Decimal("1"))
            fraction = fraction.quantize(Decimal("0.0001"))
        rows.append(
            RealisedOutflow(
                kind=e.kind,
                occurred_on=e.occurred_on,
                fraction=fraction,
                saving=calc.money(cost * fraction),
            )
        )
    return rows, calc.business_case_calculate(average_cost=cost, lines=_realised_lines(rows))


def _realised_lines(rows: list[RealisedOutflow]) -> list[calc.OutflowLine]:
    """Full outflows in one line; partial ones per band of ten percentage points of the
    benefit saved, each line's fraction the band's mean; the line is its count times the saving
    per resident at that mean, rounded to the cent as the table shows it, so it may differ from
    the sum of the band's outflows by less than a cent per outflow."""
    bands: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for row in rows:
        band = 10 if row.kind == OutflowEvent.Kind.FULL else min(int(row.fraction * 10), 9)
        bands[(row.kind, band)].append(row.fraction)
    labels = dict(OutflowEvent.Kind.choices)
    lines = []
    for (kind, band), fractions in sorted(
        bands.items(), key=lambda i: (i[0][0] != "volledig", -i[0][1])
    ):
        mean = sum(fractions, ZERO) / len(fractions)
        label = str(labels[kind])
        if kind != OutflowEvent.Kind.FULL:
            label = _("%(kind)s, %(low)s-%(high)s %% van de uitkering (gemiddeld %(mean)s)") % {
                "kind": label,
                "low": band * 10,
                "high": band * 10 + 10,
                "mean": calc.fmt_pct(mean),
            }
        lines.append(calc.OutflowLine(label, len(fractions), mean))
    return lines


def _next_month(day: dt.date) -> dt.date:
    return day.replace(day=1) + relativedelta(months=1)


# Imports and reports ----------------------------------------------------------------------------


def ledger_imports(*, user: User, municipality: Municipality) -> list[LedgerImport]:
    _check(user)
    return list(LedgerImport.objects.filter(municipality=municipality)[:20])


def _owned(user: User, municipality_id: int, bound_to: int | None) -> None:
    """An import or report by id is the user's only when its municipality is one the budget
    pages would show them (``municipality_for``, as ``budget.views._base``); else a 404, as for
    an id that does not exist (issue 17: finance bound to one municipality, a bound key)."""
    municipality_for(
        user=user, municipality_id=municipality_id, bound_to=bound_to, team_bound=False
    )


def ledger_import_get(*, user: User, import_id: int, bound_to: int | None = None) -> LedgerImport:
    _check(user)
    try:
        item = LedgerImport.objects.get(pk=import_id)
    except LedgerImport.DoesNotExist as exc:
        raise Http404 from exc
    _owned(user, item.municipality_id, bound_to)
    return item


def buig_reports(*, user: User, municipality: Municipality) -> list[BuigReport]:
    _check(user)
    return list(
        BuigReport.objects.filter(municipality=municipality).select_related("created_by")[:20]
    )


def buig_report_get(*, user: User, report_id: int, bound_to: int | None = None) -> BuigReport:
    _check(user)
    try:
        report = BuigReport.objects.select_related("municipality").get(pk=report_id)
    except BuigReport.DoesNotExist as exc:
        raise Http404 from exc
    _owned(user, report.municipality_id, bound_to)
    return report


def sisa_labels() -> dict[tuple[str, str], str]:
    return {(s.regime, s.kind): s.label for s in SisaLabel.objects.all()}


@dataclass(frozen=True)
class SisaLine:
    """The SiSa indicator a regime's besteding or baten is reported on in one year; without a
    code it is still to be set by functioneel beheer (never guessed)."""

    code: str
    label: str
    regime: str = ""
    kind: str = ""
    regime_label: str = ""

    @property
    def is_set(self) -> bool:
        return bool(self.code)


def sisa_lines(*, year: int) -> dict[tuple[str, str], SisaLine]:
    """Per (regime, kind) the SiSa indicator code and wording that apply to ``year`` (the row
    whose year range holds it; the latest start wins). One query."""
    labels = dict(Regime.choices)
    out: dict[tuple[str, str], SisaLine] = {}
    rows = (
        SisaLabel.objects.filter(year_from__lte=year)
        .exclude(year_to__lt=year)
        .order_by("regime", "kind", "year_from")
    )
    for row in rows:  # ascending year_from: the latest start overwrites
        out[(row.regime, row.kind)] = SisaLine(
            code=row.code,
            label=row.label,
            regime=row.regime,
            kind=row.kind,
            regime_label=str(labels.get(row.regime, row.regime)),
        )
    return out


def sisa_overview(*, user: User, year: int) -> list[SisaLine]:
    """The year's SiSa lines in regime order, besteding before baten (the reports page)."""
    _check(user)
    lines = sisa_lines(year=year)
    return [
        lines.get(
            (regime, kind),
            SisaLine(code="", label="", regime=regime, kind=kind, regime_label=str(label)),
        )
        for regime, label in Regime.choices
        for kind in ("besteding", "baten")
    ]


def payment_imports(*, user: User, municipality: Municipality) -> list[PaymentImport]:
    _check(user)
    return list(
        PaymentImport.objects.filter(municipality=municipality).select_related("created_by")[:20]
    )


def payment_import_get(*, user: User, import_id: int, bound_to: int | None = None) -> PaymentImport:
    _check(user)
    try:
        item = PaymentImport.objects.select_related("created_by").get(pk=import_id)
    except PaymentImport.DoesNotExist as exc:
        raise Http404 from exc
    _owned(user, item.municipality_id, bound_to)
    return item


def payment_column_mapping(*, user: User, municipality: Municipality) -> dict[str, str]:
    """The header name per column of the payments format (blank: the documented name)."""
    _check(user)
    saved = PaymentColumnMapping.objects.filter(municipality=municipality).first()
    return saved.as_mapping() if saved else {}


@dataclass
class ReconciliationRow:
    """One month and regime: the net paid by the payments feed against the benefit costs booked
    in the ledger, the difference and its status."""

    month: dt.date
    regime: str
    regime_label: str
    payments: Decimal
    ledger: Decimal
    signoff: ReconciliationSignoff | None = None
    #: the month is not over on today: its ledger may still follow (not an open difference)
    running: bool = False

    @property
    def difference(self) -> Decimal:
        return self.payments - self.ledger

    @property
    def status(self) -> str:
        if self.difference == 0:
            return "aangesloten"
        if self.signoff is None:
            return "lopend" if self.running else "verschil"
        return "afgetekend" if self.signoff.difference == self.difference else "herbeoordelen"

    @property
    def status_label(self) -> str:
        return str(RECONCILIATION_LABELS[self.status])


RECONCILIATION_LABELS = {
    "aangesloten": _lazy("Sluit aan"),
    "verschil": _lazy("Verschil, niet afgetekend"),
    "afgetekend": _lazy("Verschil afgetekend"),
    "herbeoordelen": _lazy("Verschil gewijzigd na aftekening"),
    "lopend": _lazy("Maand nog niet voorbij"),
}


def reconciliation(
    *, user: User, municipality: Municipality, year: int, today: dt.date | None = None
) -> list[ReconciliationRow]:
    """Per month and regime of ``year`` with a payment or a ledger line: the payments feed (net
    paid, the stored month totals) against the benefit costs booked in the ledger import
    (``Receipt`` of kind ``uitkering``), with the controller's sign-off. Three queries. A month
    that is not over on ``today`` (default the municipality's today) is shown but its
    difference is not open yet (status ``lopend``): its ledger follows when it is over."""
    _check(user)
    first_open = dt.date(year, 1, 1) + relativedelta(
        months=calc.months_over(year=year, today=today or clock.today())
    )
    paid = {
        (month, regime): total
        for month, regime, total in PaymentMonthTotal.objects.filter(
            municipality=municipality, month__year=year
        )
        .exclude(regime="")
        .values_list("month", "regime", "amount_paid")
    }
    booked = {
        (month, regime): total
        for month, regime, total in Receipt.objects.filter(
            municipality=municipality, month__year=year, kind=Receipt.Kind.BENEFIT_COSTS
        )
        .values_list("month", "regime")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    signoffs = {
        (s.month, s.regime): s
        for s in ReconciliationSignoff.objects.filter(
            municipality=municipality, month__year=year
        ).select_related("signed_by")
    }
    labels = dict(Regime.choices)
    return [
        ReconciliationRow(
            month=month,
            regime=regime,
            regime_label=str(labels.get(regime, regime)),
            payments=paid.get((month, regime), ZERO),
            ledger=booked.get((month, regime), ZERO),
            signoff=signoffs.get((month, regime)),
            running=month >= first_open,
        )
        for month, regime in sorted(set(paid) | set(booked))
    ]


@dataclass
class ReconciliationSummary:
    """The reconciliation status of a year in numbers (the BUIG report)."""

    months_regimes: int
    reconciled: int
    open: int
    open_difference: Decimal
    signed_off: int
    signed_off_difference: Decimal
    changed_after_signoff: int


def reconciliation_summary(rows: list[ReconciliationRow]) -> ReconciliationSummary:
    """Count the rows of :func:`reconciliation` by status: open = a difference not signed off
    or changed after its sign-off."""
    open_rows = [r for r in rows if r.status in ("verschil", "herbeoordelen")]
    signed = [r for r in rows if r.status == "afgetekend"]
    return ReconciliationSummary(
        months_regimes=len(rows),
        reconciled=sum(1 for r in rows if r.status == "aangesloten"),
        open=len(open_rows),
        open_difference=sum((r.difference for r in open_rows), ZERO),
        signed_off=len(signed),
        signed_off_difference=sum((r.difference for r in signed), ZERO),
        changed_after_signoff=sum(1 for r in rows if r.status == "herbeoordelen"),
    )
