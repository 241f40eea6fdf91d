"""Reads of the region (issue 17): its municipalities' stored indicator values summed or weighted
(``region.calculations``), the comparison of its municipalities side by side, and the regional
BUIG overview. Aggregates only: every figure comes from the stored indicator values
(``indicators.IndicatorValue``, the year rows without dimension) or from the budget app's own
selectors; nothing here reads a case table or names a resident. Small counts (1 to 4) are hidden
with the indicator engine's suppression, including the complementary cells from which a hidden
municipality's count could be recomputed from the region's total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from budget import selectors as budget_selectors
from budget.calculations import VangnetResult
from caseload.models import Municipality, MunicipalityYear, Region, User
from caseload.selectors import municipality_for
from indicators.models import IndicatorValue
from indicators.permissions import IndicatorPermission
from indicators.registry import IndicatorDefinition, Unit, indicator_all
from indicators.selectors import TABLE_FIELDS, Masks, format_value, published_masks
from indicators.suppression import Constraint, suppress

from . import calculations as calc
from .permissions import RegionPermission

SUPPRESSED = "x"
#: units whose numerator is a count of people or things (suppressed when small); a sum of euros
#: names nobody
_COUNTED_UNITS = (Unit.COUNT, Unit.PERCENTAGE, Unit.PER_10K, Unit.PER_1000, Unit.FTE)
#: units for which a figure per 1,000 inwoners is the fair comparison between municipalities
_PER_INHABITANT_UNITS = (Unit.COUNT, Unit.FTE)


def _check(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def regions_for(*, user: User) -> list[Region]:
    """The regions a person may see: that of their own municipality (a manager or finance of
    one municipality), else every region of the installation (the regional role, beheer, a
    superuser). Checks no permission: the caller does."""
    if not (user.is_authenticated and user.is_active):
        return []
    qs = Region.objects.order_by("name", "pk")
    if not user.is_superuser and user.municipality_id is not None:
        qs = qs.filter(municipalities__id=user.municipality_id)
    elif not user.is_superuser and user.team_id is not None:
        qs = qs.filter(municipalities__teams__id=user.team_id)
    return list(qs.distinct())


def region_for(*, user: User, region_id: int | None = None) -> tuple[Region | None, list[Region]]:
    """The region a page shows (default: the first by name) and the ones to switch to; (None,
    []) when there is none to show yet; a region asked for that the person may not see (or that
    does not exist) is a 404."""
    choices = regions_for(user=user)
    if region_id is None:
        return (choices[0] if choices else None), choices
    for region in choices:
        if region.pk == region_id:
            return region, choices
    raise Http404


@dataclass
class Cell:
    """One figure: a municipality's or the region's."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    hidden: bool = False
    text: str = "-"
    per_1000: Decimal | None = None
    per_1000_text: str = ""


@dataclass
class Row:
    defn: IndicatorDefinition
    region: Cell
    municipalities: list[Cell]
    with_value: int  # municipalities with a stored value for the year
    aggregable: bool  # False for figures entered by hand (no sum or weight is known)
    per_inhabitant: bool  # the comparison shows a figure per 1,000 inwoners

    @property
    def complete(self) -> bool:
        return self.with_value == len(self.municipalities)

    @property
    def region_text(self) -> str:
        """The region's figure as the comparison shows it (page and download alike)."""
        if not self.aggregable:
            return str(_("niet op te tellen"))
        return self.region.text if self.complete else "-"

    @property
    def region_per_1000_text(self) -> str:
        """The region's figure per 1,000 inwoners where the comparison shows one, else ""."""
        if self.per_inhabitant and self.aggregable and self.complete:
            return self.region.per_1000_text
        return ""


@dataclass
class Inhabitants:
    municipality: Municipality
    population: int | None
    source: str


@dataclass
class RegionTable:
    region: Region
    year: int
    municipalities: list[Municipality]
    inhabitants: list[Inhabitants]
    rows: list[Row] = field(default_factory=list)

    @property
    def population(self) -> int | None:
        counts = [i.population for i in self.inhabitants]
        return sum(counts) if counts and None not in counts else None  # type: ignore[arg-type]


def _municipalities(region: Region) -> list[Municipality]:
    return list(Municipality.objects.filter(region=region).order_by("name", "pk"))


def _inhabitants(municipalities: list[Municipality], year: int) -> list[Inhabitants]:
    years = {
        y.municipality_id: y
        for y in MunicipalityYear.objects.filter(municipality__in=municipalities, year=year)
    }
    return [
        Inhabitants(
            municipality=m,
            population=years[m.pk].population if m.pk in years else None,
            source=years[m.pk].population_source if m.pk in years else "",
        )
        for m in municipalities
    ]


def _hidden(values: dict, parts: list, total: str, already: set, known: set) -> frozenset:
    present = {k: v for k, v in values.items() if v is not None}
    constraints = [Constraint(total=total, parts=tuple(parts))] if total in present else []
    return suppress(present, constraints, hidden_already=already, known=known)


def _row(
    defn: IndicatorDefinition,
    municipalities: list[Municipality],
    stored: dict[int, IndicatorValue],
    populations: dict[int, int | None],
    region_population: int | None,
    own_masks: dict[int, Masks],
    readable: set[int],
) -> Row:
    cells = []
    for m in municipalities:
        row = stored.get(m.pk)
        cells.append(
            Cell(numerator=row.numerator, denominator=row.denominator, value=row.value)
            if row is not None
            else Cell()
        )
    with_value = sum(1 for m in municipalities if m.pk in stored)
    aggregable = not defn.manual
    region = Cell()
    if aggregable and municipalities and with_value == len(municipalities):
        total = calc.aggregate(
            [(c.numerator, c.denominator) for c in cells if c.numerator is not None],
            scale=defn.scale,
        )
        if total is not None:
            region = Cell(
                numerator=total.numerator, denominator=total.denominator, value=total.value
            )
    per_inhabitant = aggregable and defn.unit in _PER_INHABITANT_UNITS
    # small-number suppression of the numerators (and of count denominators), with the region's
    # total as one more cell of the table: no hidden count can be recomputed from the others.
    # A municipality's figure hidden on its own pages (primary or complementary there) is hidden
    # here too, and counts as hidden when the region's complementary cells are chosen.
    hidden: set = set()
    if defn.unit in _COUNTED_UNITS:
        keys = [m.pk for m in municipalities]
        own_num = {
            pk
            for pk, row in stored.items()
            if pk in own_masks and own_masks[pk].numerator_hidden(row)
        }
        own_den = {
            pk
            for pk, row in stored.items()
            if pk in own_masks and own_masks[pk].denominator_hidden(row)
        }
        numerators: dict[int | str, Decimal | None] = {
            m.pk: c.numerator for m, c in zip(municipalities, cells, strict=True)
        }
        numerators["regio"] = region.numerator
        denominators: dict[int | str, Decimal | None] = {
            m.pk: c.denominator for m, c in zip(municipalities, cells, strict=True)
        }
        denominators["regio"] = region.denominator
        # the reader's own municipalities' figures that their own pages publish are known to
        # them: no complementary cell there (else the region's total gives the hidden one away)
        if defn.small_counts:  # a numerator that is no count (a difference) is not hidden
            hidden |= _hidden(numerators, keys, "regio", own_num, readable - own_num)
        if defn.unit == Unit.PERCENTAGE or not defn.small_counts:
            # a count denominator; with a numerator that is no count, the cells whose
            # denominator is small are hidden whole (as on the municipality's pages)
            hidden_den = own_den | (own_num if not defn.small_counts else set())
            hidden |= _hidden(denominators, keys, "regio", hidden_den, readable - hidden_den)
    for key, cell, population in [
        *[(m.pk, c, populations.get(m.pk)) for m, c in zip(municipalities, cells, strict=True)],
        ("regio", region, region_population),
    ]:
        cell.hidden = key in hidden
        if cell.hidden:
            cell.text = SUPPRESSED
            cell.per_1000_text = SUPPRESSED if per_inhabitant else ""
            continue
        cell.text = format_value(cell.value, defn.unit)
        if per_inhabitant:
            cell.per_1000 = calc.per_1000(cell.numerator, population)
            cell.per_1000_text = format_value(cell.per_1000, Unit.PER_1000)
    return Row(
        defn=defn,
        region=region,
        municipalities=cells,
        with_value=with_value,
        aggregable=aggregable,
        per_inhabitant=per_inhabitant,
    )


def _readable(user: User, municipalities: list[Municipality]) -> set[int]:
    """The municipalities of the table whose own indicator pages ``user`` reads (a manager's
    own municipality; every one for a manager or beheer without one)."""
    if not user.has_perm(IndicatorPermission.VIEW_DASHBOARDS):
        return set()
    try:
        current, choices = municipality_for(user=user)
    except Http404:
        return set()
    return {m.pk for m in [current, *choices]} & {m.pk for m in municipalities}


def _table(*, user: User, region: Region, year: int) -> RegionTable:
    municipalities = _municipalities(region)
    inhabitants = _inhabitants(municipalities, year)
    table = RegionTable(
        region=region, year=year, municipalities=municipalities, inhabitants=inhabitants
    )
    stored: dict[str, dict[int, IndicatorValue]] = {}
    for row in IndicatorValue.objects.filter(
        municipality__in=municipalities,
        period_kind="year",
        period_start=dt.date(year, 1, 1),
        dimension="",
    ).only("municipality_id", *TABLE_FIELDS):  # the masks read the cell's key too
        stored.setdefault(row.code, {})[row.municipality_id] = row
    populations = {i.municipality.pk: i.population for i in inhabitants}
    masks = published_masks(municipalities=municipalities, year=year)
    readable = _readable(user, municipalities)
    for defn in indicator_all():
        own = {pk: m for (code, pk), m in masks.items() if code == defn.code}
        table.rows.append(
            _row(
                defn,
                municipalities,
                stored.get(defn.code, {}),
                populations,
                table.population,
                own,
                readable,
            )
        )
    return table


def region_indicators(*, user: User, region: Region, year: int) -> RegionTable:
    """The region's figure of every indicator for ``year`` (sum, or the sum of numerators over
    the sum of denominators), from its municipalities' stored year values."""
    _check(user, RegionPermission.VIEW_REGION)
    return _table(user=user, region=region, year=year)


def region_comparison(*, user: User, region: Region, year: int) -> RegionTable:
    """The region's municipalities side by side (with the region's figure), per 1,000
    inhabitants where that is the fair measure (counts), with the inhabitants and their source."""
    _check(user, RegionPermission.VIEW_COMPARISON)
    return _table(user=user, region=region, year=year)


# The regional BUIG overview --------------------------------------------------------------------


@dataclass
class BudgetLine:
    municipality: Municipality
    budget: Decimal | None  # definitief, else the current allocation
    budget_is_definitief: bool
    besteding: Decimal
    baten: Decimal
    netto: Decimal  # realised: the months that are over (besteding - baten), as the budget page
    months_realised: int  # those months (on 3 December 11)
    forecast: Decimal | None  # netto lasten at year end (the overview's forecast)
    balance: Decimal | None  # budget - forecast (negative: tekort)
    vangnet: VangnetResult | None
    vangnet_note: str


@dataclass
class RegionBudget:
    region: Region
    year: int
    lines: list[BudgetLine]

    def _sum(self, name: str) -> Decimal | None:
        values = [getattr(line, name) for line in self.lines]
        if not values or any(v is None for v in values):
            return None
        return sum(values, Decimal(0))

    @property
    def budget(self) -> Decimal | None:
        return self._sum("budget")

    @property
    def besteding(self) -> Decimal | None:
        return self._sum("besteding")

    @property
    def baten(self) -> Decimal | None:
        return self._sum("baten")

    @property
    def netto(self) -> Decimal | None:
        return self._sum("netto")

    @property
    def forecast(self) -> Decimal | None:
        return self._sum("forecast")

    @property
    def months_realised(self) -> int | None:
        """The months realised in every municipality alike, else None (then each row says)."""
        months = {line.months_realised for line in self.lines}
        return months.pop() if len(months) == 1 else None

    @property
    def balance(self) -> Decimal | None:
        return self._sum("balance")

    @property
    def compensation(self) -> Decimal:
        """The vangnet compensations of the municipalities added up (each municipality applies
        on its own; the region has no vangnet of its own)."""
        return sum(
            (line.vangnet.compensation for line in self.lines if line.vangnet is not None),
            Decimal(0),
        )


def region_budget(*, user: User, region: Region, year: int) -> RegionBudget:
    """Per municipality of the region: its BUIG budget, spending, netto lasten, forecast and
    vangnet check, each from the budget app's own functions (the figures its pages show,
    through ``budget.selectors.buig_years_for``), and their sum. Needs the regional overview's
    permission (``region.view_budget``) only: it opens no budget page."""
    _check(user, RegionPermission.VIEW_REGION_BUDGET)
    lines = []
    for item in budget_selectors.buig_years_for(
        user=user,
        permission=RegionPermission.VIEW_REGION_BUDGET,
        municipalities=_municipalities(region),
        year=year,
    ):
        overview = item.overview
        budget = overview.budget_for_year
        forecast = overview.netto_forecast
        lines.append(
            BudgetLine(
                municipality=item.municipality,
                budget=budget,
                budget_is_definitief=overview.definitief is not None,
                # the months that are over, as the municipality's budget page counts them (the
                # running month's payments, paid in advance, are not realised yet)
                besteding=overview.figures.besteding_until(overview.months_realised),
                baten=overview.figures.baten_until(overview.months_realised),
                netto=overview.realised_netto,
                months_realised=overview.months_realised,
                forecast=forecast,
                balance=budget - forecast if budget is not None and forecast is not None else None,
                vangnet=item.vangnet,
                vangnet_note=item.vangnet_note,
            )
        )
    return RegionBudget(region=region, year=year, lines=lines)
