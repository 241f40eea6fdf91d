"""Issue 12, finding 8: small-number suppression that cannot be undone by subtraction.

Every published table is *solved* for its hidden cells: the additive constraints of the table
(a total and its breakdown by a dimension, the year and its months) with the published cells as
known values and the hidden ones as unknowns. The test fails when any unknown is fixed to one
value. The solver here is independent of ``indicators.suppression``: dense exact elimination over
the rationals (``fractions.Fraction``). A hidden cell is determined by the equations iff its unit
vector lies in the row space of the constraint matrix restricted to the unknowns. Non-negativity
adds nothing as long as every hidden cell is non-zero (asserted): the solution set then contains a
segment through the true values in every free direction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from indicators import selectors
from indicators.models import IndicatorValue
from indicators.registry import DIMENSIONS, Unit, indicator_get
from indicators.selectors import EXPORT_HEADERS
from tests import factories
from tests.indicators.conftest import World

D = dt.date

# --- the independent solver ----------------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    """``total == sum(parts)``."""

    total: object
    parts: tuple

    @property
    def cells(self) -> tuple:
        return (self.total, *self.parts)


def holding(values: dict, constraints) -> list:
    """The constraints that hold for ``values`` (all cells present)."""
    return [
        c
        for c in constraints
        if c.parts
        and all(values.get(k) is not None for k in c.cells)
        and sum(values[p] for p in c.parts) == values[c.total]
    ]


def suppress(values, constraints):
    from indicators.suppression import suppress

    return suppress(values, constraints)


def determined_unknowns(constraints, known: dict, unknowns: set) -> set:
    """The unknowns that ``total == sum(parts)`` fixes, given the known cells (dense Fraction
    Gauss-Jordan; cells neither known nor unknown are unknowns as well)."""
    cells = {k for c in constraints for k in (c.total, *c.parts)}
    free = sorted((cells - set(known)) | (unknowns & cells), key=repr)
    index = {k: i for i, k in enumerate(free)}
    matrix = []
    for c in constraints:
        row = [Fraction(0)] * len(free)
        for k, coef in ((c.total, 1), *((p, -1) for p in c.parts)):
            if k in index:
                row[index[k]] += coef
        if any(row):
            matrix.append(row)
    # reduced row echelon form
    pivots = []
    r = 0
    for col in range(len(free)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [v / lead for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                f = matrix[i][col]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append((r, col))
        r += 1
    out = set()
    for row_i, col in pivots:
        if sum(1 for v in matrix[row_i] if v != 0) == 1:
            out.add(free[col])
    return out & unknowns


def test_solver_finds_the_subtraction_of_the_finding():
    """The attack of the finding: total 7, Werk 6 published, Jongeren "<5" = 7 - 6."""
    c = [Constraint("total", ("werk", "jongeren"))]
    assert determined_unknowns(c, {"total": 7, "werk": 6}, {"jongeren"}) == {"jongeren"}
    assert determined_unknowns(c, {"total": 7}, {"werk", "jongeren"}) == set()


# --- the pure algorithm: table-driven --------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "hidden"),
    [
        ({"t": 0, "a": 0, "b": 0}, set()),  # zero names nobody: shown
        ({"t": 10, "a": 5, "b": 5}, set()),  # 5 is not small
        ({"t": 10, "a": 4, "b": 6}, {"a", "b"}),  # 4 is small, 6 would give it away
        ({"t": 7, "a": 1, "b": 2, "c": 4}, {"a", "b", "c"}),
        ({"t": 3, "a": 3, "b": 0}, {"t", "a"}),  # a small total hides its only non-zero part
        ({"t": 12, "a": 2, "b": 5, "c": 5}, {"a", "b"}),  # smallest complement, by key order
        ({"t": 10, "a": 8, "b": 1, "c": 1}, {"a", "b", "c"}),  # 1 + 1 = 10 - 8: both are 1
    ],
)
def test_suppress_one_constraint(values, hidden):
    constraints = [Constraint("t", tuple(k for k in values if k != "t"))]
    assert suppress(values, holding(values, constraints)) == hidden


def test_suppress_counts_a_hidden_total_line():
    """A table with row and column totals: hiding a row total makes the column of totals need a
    second hidden cell as well."""
    values = {
        ("r1", "c1"): 2, ("r1", "c2"): 10, ("r1", "t"): 12,
        ("r2", "c1"): 8, ("r2", "c2"): 9, ("r2", "t"): 17,
        ("t", "c1"): 10, ("t", "c2"): 19, ("t", "t"): 29,
    }  # fmt: skip
    constraints = _grid_constraints(["r1", "r2"], ["c1", "c2"])
    hidden = suppress(values, constraints)
    assert ("r1", "c1") in hidden
    _assert_safe(values, constraints, hidden)


def test_suppress_breaks_a_bridge_between_two_cycles():
    """Every row and column with 0 or 2+ hidden cells is not enough: a cell joining two hidden
    cycles is still total minus the rest (found by the check, then protected)."""
    rows, cols = ["r1", "r2", "r3", "r4"], ["c1", "c2", "c3", "c4"]
    small = {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}
    small |= {("r3", "c3"), ("r3", "c4"), ("r4", "c3"), ("r4", "c4"), ("r2", "c3")}
    values = {(r, c): (2 if (r, c) in small else 20) for r in rows for c in cols}
    _add_margins(values, rows, cols)
    constraints = _grid_constraints(rows, cols)
    _assert_safe(values, constraints, suppress(values, constraints))


# --- the pure algorithm: generated tables ------------------------------------------------------


def _grid_constraints(rows, cols):
    out = [Constraint((r, "t"), tuple((r, c) for c in cols)) for r in [*rows, "t"]]
    out += [Constraint(("t", c), tuple((r, c) for r in rows)) for c in [*cols, "t"]]
    return out


def _add_margins(values, rows, cols):
    for r in rows:
        values[(r, "t")] = sum(values[(r, c)] for c in cols)
    for c in cols:
        values[("t", c)] = sum(values[(r, c)] for r in rows)
    values[("t", "t")] = sum(values[(r, "t")] for r in rows)


def _assert_safe(values, constraints, hidden, threshold=5):
    assert {k for k, v in values.items() if 0 < v < threshold} <= hidden
    assert all(values[k] > 0 for k in hidden)
    known = {k: v for k, v in values.items() if k not in hidden}
    assert determined_unknowns(constraints, known, set(hidden)) == set()


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n_rows: st.integers(1, 5).flatmap(
            lambda n_cols: st.lists(
                small_counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols
            ).map(lambda cells: (n_rows, n_cols, cells))
        )
    )
)
def test_generated_two_way_tables_with_margins(table):
    n_rows, n_cols, cells = table
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    values = {(r, c): cells[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    _add_margins(values, rows, cols)
    constraints = holding(values, _grid_constraints(rows, cols))
    _assert_safe(values, constraints, suppress(values, constraints))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=0, max_size=9),
        min_size=12,
        max_size=12,
    )
)
def test_generated_indicator_shaped_tables(months):
    """Like an indicator's year table: 12 months and the year, each a total with a breakdown by
    two dimensions (each item has one value of each), the year the sum of its months."""
    values: dict = {}
    for m, items in enumerate(months, start=1):
        values[(m, "", "")] = len(items)
        for d, pos in (("team", 0), ("regime", 1)):
            for v in range(4):
                values[(m, d, v)] = sum(1 for it in items if it[pos] == v)
    for d, v in {(d, v) for (_, d, v) in list(values)}:
        values[("y", d, v)] = sum(values[(m, d, v)] for m in range(1, 13))
    constraints = [
        Constraint((p, "", ""), tuple((p, d, v) for v in range(4)))
        for p in [*range(1, 13), "y"]
        for d in ("team", "regime")
    ]
    constraints += [
        Constraint(("y", d, v), tuple((m, d, v) for m in range(1, 13)))
        for d, v in {(d, v) for (_, d, v) in values}
    ]
    constraints = holding(values, constraints)
    _assert_safe(values, constraints, suppress(values, constraints))


# --- the published tables of the application -------------------------------------------------------


@pytest.fixture
def small_world(db):
    """Two teams, two districts and two regimes with a handful of residents each: most cells of
    every table are small, some are not."""
    municipality = factories.MunicipalityFactory()
    werk = factories.TeamFactory(municipality=municipality, name="Werk")
    jongeren = factories.TeamFactory(municipality=municipality, name="Jongeren")
    noord = factories.DistrictFactory(municipality=municipality, name="Noord")
    zuid = factories.DistrictFactory(municipality=municipality, name="Zuid")
    world = World(municipality, werk, factories.UserFactory(team=werk))
    plan = [
        # team, district, regime, outflow months (2025)
        *[(werk, noord, "pw", [1 + i % 6]) for i in range(9)],
        *[(werk, zuid, "pw", [3]) for _ in range(2)],
        (werk, zuid, "ioaw", []),
        (jongeren, noord, "pw", [3]),
        *[(jongeren, zuid, "pw", []) for _ in range(3)],
    ]
    for team, district, regime, outflows in plan:
        resident, _ = world.on_benefit(
            start=D(2024, 1, 1), regime=regime, team=team, district=district
        )
        for month in outflows:
            world.outflow(resident, D(2025, month, 10))
    world.fill(year=2024)
    world.fill(year=2025)
    return world


def _login(client, **traits):
    user = factories.UserFactory(**traits)
    client.force_login(user)
    return user


def _exact_tables(municipality, year=2025):
    """code -> {cell: (numerator, denominator)}; cell = (period label, dimension, value)."""
    out: dict[str, dict] = {}
    for row in IndicatorValue.objects.filter(
        municipality=municipality, period_start__year=year
    ).order_by("code"):
        defn = indicator_get(row.code)
        if defn.manual or defn.unit not in (Unit.COUNT, Unit.PERCENTAGE, Unit.PER_10K):
            continue
        label = str(year) if row.period_kind == "year" else f"{row.period_start:%Y-%m}"
        cell = (label, row.dimension, row.dimension_value)
        out.setdefault(row.code, {})[cell] = (row.numerator, row.denominator)
    return out


def _constraints(cells):
    """Built here, independently of the application: per period the total and each breakdown;
    per series the year and its months."""
    periods = {c[0] for c in cells}
    dims = {c[1] for c in cells if c[1]}
    out = []
    for p in periods:
        for d in dims:
            parts = tuple(c for c in cells if c[0] == p and c[1] == d)
            if parts:
                out.append(Constraint((p, "", ""), parts))
    for series in {(c[1], c[2]) for c in cells}:
        years = [c for c in cells if (c[1], c[2]) == series and len(c[0]) == 4]
        months = tuple(
            c for c in cells if (c[1], c[2]) == series and len(c[0]) == 7 and "K" not in c[0]
        )
        for y in years:
            if months:
                out.append(Constraint(y, months))
    return out


def _raw(text):
    """A value of an export (CSV text with a decimal comma, XLSX cell or JSON number)."""
    if text is None or text in ("", "x", "<5"):
        return None
    return Decimal(str(text).replace(",", "."))


def _number(text):
    """A value as a page shows it (Dutch notation: 1.234 and 12,5%)."""
    if text is None or text in ("", "x", "-", "<5", "&lt;5"):
        return None
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    text = str(text).replace(".", "").replace(",", ".").rstrip("%")
    return Decimal(text)


def _assert_table_safe(exact: dict, published: dict, unit: str):
    """``published``: cell -> (value, numerator, denominator) as shown (None when hidden or not
    shown). Solves the numerator table, and for percentages the denominator table too."""
    percentage = unit == Unit.PERCENTAGE
    numerators = {c: n for c, (n, _) in exact.items()}
    denominators = {c: d for c, (_, d) in exact.items()}
    known_num, known_den = {}, {}
    for cell, (value, num, den) in published.items():
        exact_num, exact_den = exact[cell]
        if num is not None:
            assert num == exact_num, cell
            known_num[cell] = num
        if value is not None and unit == Unit.COUNT:
            assert value == exact_num, cell
        if den is not None:
            known_den[cell] = den
        # a value is its count, or with its denominator gives the count (and a percentage with
        # its count gives the denominator)
        if value is not None and unit == Unit.COUNT:
            known_num[cell] = exact_num
        if value is not None and den is not None and unit != Unit.COUNT and den:
            known_num[cell] = exact_num
        if value is not None and num is not None and percentage and value:
            known_den[cell] = exact_den
    for cell, n in numerators.items():
        if n is not None and 0 < n < 5:
            assert cell not in known_num, f"small count {n} published at {cell}"
    tables = [(numerators, known_num)]
    if percentage:
        for cell, d in denominators.items():
            if d is not None and 0 < d < 5:
                assert cell not in known_den, f"small denominator {d} published at {cell}"
        tables.append((denominators, known_den))
    for values, known in tables:
        constraints = holding(values, _constraints(list(values)))
        unknowns = {c for c in values if c not in known and values[c]}
        hidden_zero = {c for c in values if c not in known and values[c] == 0}
        # a hidden zero is harmless, but the argument for non-negativity needs none
        unknowns -= hidden_zero
        known = {**known, **dict.fromkeys(hidden_zero, 0)}
        assert determined_unknowns(constraints, known, unknowns) == set()


#: the CSV/XLSX headers (Dutch, for people) and breakdown names back to the API's keys
_FILE_KEYS = {header: key for key, header in EXPORT_HEADERS.items()}
_DIMENSION_KEYS = {str(label): key for key, label in DIMENSIONS.items()}


#: a breakdown's value as the files name it (the detail page's words) back to the stored code
_VALUE_KEYS = {
    (dimension, str(label)): code
    for dimension, labels in selectors._DIMENSION_VALUE_LABELS.items()
    for code, label in labels.items()
}


def _from_file(row: dict) -> dict:
    row = {_FILE_KEYS.get(k, k): v for k, v in row.items()}
    dimension, sep, value = (row.get("dimension") or "").partition("=")
    if sep:
        key = _DIMENSION_KEYS.get(dimension, dimension)
        row["dimension"] = f"{key}={_VALUE_KEYS.get((key, value), value)}"
    return row


def _published(rows) -> dict[str, dict]:
    published: dict[str, dict] = {}
    for r in (_from_file(r) for r in rows):
        dim, _, val = (r["dimension"] or "").partition("=")
        published.setdefault(r["code"], {})[(str(r["period"]), dim, val)] = (
            _raw(r["value"]),
            _raw(r["numerator"]),
            _raw(r["denominator"]),
        )
    return published


def _check_export(rows, municipality, *, pages: dict | None = None):
    """Solve every table of the export; ``pages``: what a page shows besides (code -> cell ->
    (value, numerator, denominator)), merged in as known: a page may show nothing the export
    hides, and together they must not determine a hidden cell either."""
    exact = _exact_tables(municipality)
    published = _published(rows)
    for code, cells in (pages or {}).items():
        for cell, shown in cells.items():
            merged = published.setdefault(code, {}).get(cell, (None, None, None))
            published[code][cell] = tuple(
                a if a is not None else b for a, b in zip(merged, shown, strict=True)
            )
    checked = 0
    for code, cells in exact.items():
        defn = indicator_get(code)
        try:
            _assert_table_safe(cells, published.get(code, {}), defn.unit)
        except AssertionError as exc:
            raise AssertionError(f"{code}: {exc}") from exc
        checked += 1
    assert checked >= 10


def test_finding_8_csv_export_cannot_be_solved(client, small_world):
    """Issue 12, finding 8: no hidden cell of the manager's CSV can be recomputed."""
    _login(client, manager=True)
    response = client.get(
        f"/indicatoren/export.csv?jaar=2025&gemeente={small_world.municipality.pk}"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    _check_export(rows, small_world.municipality)


def test_finding_8_xlsx_export_cannot_be_solved(client, small_world):
    """Issue 12, finding 8: no hidden cell of the manager's XLSX can be recomputed."""
    _login(client, manager=True)
    response = client.get(
        f"/indicatoren/export.xlsx?jaar=2025&gemeente={small_world.municipality.pk}"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    _check_export(rows, small_world.municipality)


def test_finding_8_api_cannot_be_solved(client, small_world):
    """Issue 12, finding 8: no hidden cell of the API's values can be recomputed."""
    _login(client, manager=True)
    data = client.get(
        f"/api/v1/indicators/values/?year=2025&municipality={small_world.municipality.pk}"
    ).json()
    _check_export(data["results"], small_world.municipality)
    # the walk of 3 December: a hidden cell was value null beside numerator "x" (a string
    # where every other numerator is a number); now null and one flag (a percentage may hide
    # only its denominator, as the complementary cell of another)
    hidden = [r for r in data["results"] if r["suppressed"]]
    bad = [
        r
        for r in hidden
        if r["value"] is not None or (r["numerator"] is not None and r["denominator"] is not None)
    ]
    assert hidden and not bad, bad[:3]
    assert any(r["numerator"] is None for r in hidden)
    shown = [r for r in data["results"] if not r["suppressed"]]
    assert shown and all(Decimal(r["numerator"]) >= 0 for r in shown)
    assert "x" not in {r["numerator"] for r in data["results"]} | {
        r["denominator"] for r in data["results"]
    }


_SECTION = re.compile(
    r'<section class="app-indicator-card" aria-labelledby="h-([^"]+)">(.*?)</section>', re.S
)
_YEAR_FIGURE = re.compile(r'<dd class="app-indicator-value">([^<]*)</dd>')
_MONTH_ROW = re.compile(
    r'<th scope="row" class="utrecht-table__cell">(\d\d)-(\d{4})</th><td class="utrecht-table__cell">([^<]*)</td>'
)


def _page_cells(html: str):
    """(value text of the year figure, {month label: value text})"""
    year = _YEAR_FIGURE.search(html).group(1)
    months = {f"{y}-{m}": text for m, y, text in _MONTH_ROW.findall(html)}
    return year, months


def _manager_csv(client, municipality):
    response = client.get(f"/indicatoren/export.csv?jaar=2025&gemeente={municipality.pk}")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_finding_8_dashboard_cannot_be_solved(client, small_world):
    """Issue 12, finding 8: the dashboard shows no municipality-level monthly figure of 1-4 and
    no hidden figure can be recomputed from what it shows (together with the export)."""
    _login(client, manager=True)
    body = client.get(f"/indicatoren/?jaar=2025&gemeente={small_world.municipality.pk}").content
    sections = dict(_SECTION.findall(body.decode()))
    pages: dict[str, dict] = {}
    for code, html in sections.items():
        if indicator_get(code).unit != Unit.COUNT:
            continue
        year, months = _page_cells(html)
        cells = {("2025", "", ""): (_number(year), None, None)}
        cells |= {(m, "", ""): (_number(t), None, None) for m, t in months.items()}
        pages[code] = cells
    assert len(pages) >= 5
    _check_export(
        _manager_csv(client, small_world.municipality), small_world.municipality, pages=pages
    )


def test_finding_8_detail_pages_cannot_be_solved(client, small_world):
    """Issue 12, finding 8: each detail page (year figure, months, breakdowns) for a manager."""
    _login(client, manager=True)
    exact = _exact_tables(small_world.municipality)
    labels = {str(v): k for k, v in DIMENSIONS.items()}
    pages: dict[str, dict] = {}
    for code, cells in exact.items():
        defn = indicator_get(code)
        body = client.get(
            f"/indicatoren/{code}/?jaar=2025&gemeente={small_world.municipality.pk}"
        ).content.decode()
        year, months = _page_cells(body)
        published = {}
        if defn.unit == Unit.COUNT:
            published[("2025", "", "")] = (_number(year), None, None)
            published |= {(m, "", ""): (_number(t), None, None) for m, t in months.items()}
        for caption, table in re.findall(
            r'<caption class="utrecht-table__caption">Naar ([^<]+)</caption>(.*?)</table>',
            body,
            re.S,
        ):
            dimension = labels[caption]
            by_label = {
                selectors.dimension_value_label(dimension, c[2]): c[2]
                for c in cells
                if c[1] == dimension
            }
            for label, value, num, den in re.findall(
                r'<th scope="row" class="utrecht-table__cell">([^<]*)</th>\s*'
                r'<td class="utrecht-table__cell">([^<]*)</td>\s*'
                r'<td class="utrecht-table__cell">([^<]*)</td>\s*'
                r'<td class="utrecht-table__cell">([^<]*)</td>',
                table,
            ):
                cell = ("2025", dimension, by_label[label])
                published[cell] = (
                    _number(value) if defn.unit != Unit.COUNT else None,
                    _number(num),
                    _number(den) if defn.unit != Unit.COUNT else None,
                )
        pages[code] = published
    assert len(pages) >= 10
    _check_export(
        _manager_csv(client, small_world.municipality), small_world.municipality, pages=pages
    )


def test_case_access_still_sees_exact_counts(client, small_world):
    """Roles with ``indicators.view_residents`` (teamleider) see every figure, as before."""
    _login(client, teamleider=True, team=small_world.team)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/indicatoren/export.csv?jaar=2025").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows and not any(r["teller"] == "x" for r in rows)


pytestmark = pytest.mark.django_db
