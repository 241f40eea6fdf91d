"""Small-number suppression of a published table, with complementary (secondary) suppression.

Pure functions, no ORM. A *table* is a mapping from a cell key to a count and a list of additive
constraints ``total = part + part + ...`` that hold between its cells (a total and its breakdown
by a dimension, the year and its months). Publishing some cells and hiding others must not let a
reader recompute a hidden cell from the published ones with these constraints.

1. **Primary suppression**: counts from 1 up to ``threshold - 1`` (1-4 with the default 5) are
   hidden. Zero is published: it names nobody.
2. **Complementary suppression**: while a constraint has exactly one hidden cell (it would be its
   total minus the other cells), or only hidden cells of 1 (zero is never hidden, so a reader
   knows each hidden cell is at least 1), hide the smallest published non-zero cell of that
   constraint (a total counts as a cell like the others).
3. **Check**: a hidden cell is *determined* when the constraints, with the published cells as
   known values, fix it to one value (exact elimination: the unit vector of the cell lies in the
   row space of the constraints restricted to the hidden cells). For each determined cell the
   smallest published non-zero cell of a constraint it is in (else of its connected part of the
   table) is hidden too, and steps 2-3 repeat until no hidden cell is determined.

Because every hidden cell is non-zero, a hidden cell that the equations leave free can also be
moved a little in both directions without making another hidden cell negative: no hidden cell is
determined by the equations together with non-negativity either.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import gcd

Key = Hashable
Number = int | Decimal

DEFAULT_THRESHOLD = 5

#: raised with every change to the rules below: cached masks (``dashboard_cache.masks_keys``)
#: computed under older rules are then never served
SUPPRESSION_VERSION = 1


@dataclass(frozen=True)
class Constraint:
    """``total == sum(parts)``."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def is_small(value: Number | None, *, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """The primary rule: a count of 1 up to ``threshold - 1`` (zero and ``None`` are shown)."""
    return value is not None and 0 < value < threshold


def holding(
    values: Mapping[Key, Number | None], candidates: Iterable[Constraint]
) -> list[Constraint]:
    """The candidate constraints that hold exactly for ``values`` (a reader who knows the
    definitions may use them); cells that are not in the table count as absent (0)."""
    out = []
    for c in candidates:
        total = values.get(c.total)
        if total is None or not c.parts:
            continue
        parts = [values.get(p) for p in c.parts]
        if any(p is None for p in parts):
            continue
        if sum(parts) == total:  # type: ignore[arg-type]
            out.append(c)
    return out


def _smallest(
    keys: Iterable[Key],
    values: Mapping[Key, Number | None],
    hidden: set[Key],
    order: dict,
    known: frozenset[Key] = frozenset(),
) -> Key | None:
    best = None
    for k in keys:
        v = values.get(k)
        if k in hidden or k in known or v is None or v <= 0:
            continue
        if best is None or (v, order[k]) < (values[best], order[best]):
            best = k
    return best


def _complete(
    values: Mapping[Key, Number | None],
    constraints: Sequence[Constraint],
    hidden: set[Key],
    order: dict,
    known: frozenset[Key] = frozenset(),
) -> None:
    """Step 2: no constraint keeps exactly one hidden cell (a cell the reader knows from
    elsewhere does not count as hidden)."""
    changed = True
    while changed:
        changed = False
        for c in constraints:
            cells = c.cells
            inside = [k for k in cells if k in hidden and k not in known]
            # one hidden cell is the rest of the sum; hidden cells that are all 1 are known to a
            # reader who knows that zero is never hidden (their sum is then their number)
            if len(inside) == 1 or (inside and sum(values[k] for k in inside) <= len(inside)):
                extra = _smallest(cells, values, hidden, order, known)
                if extra is not None:
                    hidden.add(extra)
                    changed = True


def determined(
    constraints: Sequence[Constraint], hidden: Iterable[Key], *, order: dict | None = None
) -> set[Key]:
    """The hidden cells that the constraints fix, given every other cell (exact Gauss-Jordan
    elimination over the integers on the constraints restricted to the hidden cells)."""
    hidden = set(hidden)
    columns: dict[Key, int] = {}
    for c in constraints:
        for k in c.cells:
            if k in hidden and k not in columns:
                columns[k] = len(columns)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> row (fully reduced)
    for c in constraints:
        row: dict[int, int] = {}
        for k, coef in ((c.total, 1), *((p, -1) for p in c.parts)):
            if k in hidden:
                col = columns[k]
                row[col] = row.get(col, 0) + coef
                if row[col] == 0:
                    del row[col]
        for col in [col for col in row if col in pivots]:
            if col not in row:
                continue
            row = _eliminate(row, pivots[col], col)
        if not row:
            continue
        pivot = min(row)
        for other_col, other in list(pivots.items()):
            if pivot in other:
                pivots[other_col] = _eliminate(other, row, pivot)
        pivots[pivot] = row
    by_index = {i: k for k, i in columns.items()}
    return {by_index[col] for col, row in pivots.items() if len(row) == 1}


def _eliminate(row: dict[int, int], pivot_row: dict[int, int], col: int) -> dict[int, int]:
    """``row`` with column ``col`` cancelled by ``pivot_row`` (integer row operations, divided
    by the common factor)."""
    a, b = pivot_row[col], row[col]
    out: dict[int, int] = {}
    for k in set(row) | set(pivot_row):
        v = a * row.get(k, 0) - b * pivot_row.get(k, 0)
        if v:
            out[k] = v
    g = 0
    for v in out.values():
        g = gcd(g, v)
    if g > 1:
        out = {k: v // g for k, v in out.items()}
    return out


def _component(key: Key, constraints: Sequence[Constraint]) -> set[Key]:
    seen = {key}
    frontier = [key]
    while frontier:
        k = frontier.pop()
        for c in constraints:
            cells = c.cells
            if k in cells:
                for other in cells:
                    if other not in seen:
                        seen.add(other)
                        frontier.append(other)
    return seen


def suppress(
    values: Mapping[Key, Number | None],
    constraints: Sequence[Constraint],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    hidden_already: Iterable[Key] = (),
    known: Iterable[Key] = (),
) -> frozenset[Key]:
    """The cells of the table to hide: primary (small counts), ``hidden_already`` (cells another
    publication of the same figure hides, e.g. a municipality's own table under the region's)
    and complementary, such that no hidden cell is determined by ``constraints`` and the
    published cells. ``known``: cells this reader reads exactly on another page (a manager's own
    municipality under the region's table): hiding them here protects nothing, so they are
    never chosen as complementary cells and count as published in the check (the walk of
    3 December: the region 52 minus Groningen 24, Hilversum 14 and the reader's own 10 gave
    Amersfoort's hidden 4)."""
    known = frozenset(known)
    order = {k: i for i, k in enumerate(sorted(values, key=repr))}
    for c in constraints:
        for k in c.cells:
            order.setdefault(k, len(order))
    hidden = {k for k, v in values.items() if is_small(v, threshold=threshold)}
    hidden |= {k for k in hidden_already if k in values}
    if not hidden:
        return frozenset()
    while True:
        _complete(values, constraints, hidden, order, known)
        fixed = determined(constraints, hidden - known, order=order)
        if not fixed:
            return frozenset(hidden)
        for key in sorted(fixed, key=order.__getitem__):
            near = [k for c in constraints if key in c.cells for k in c.cells]
            extra = _smallest(near, values, hidden, order, known)
            if extra is None:
                extra = _smallest(_component(key, constraints), values, hidden, order, known)
            if extra is not None:
                hidden.add(extra)
                break
        else:  # pragma: no cover - a determined cell always has a published non-zero neighbour
            return frozenset(hidden)
