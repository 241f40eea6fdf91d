# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""Turns a registered definition into the one INSERT ... SELECT that fills its values (writing
only the rows that changed, :func:`fill_sql`).

The statement computes every requested period and every dimension breakdown in one pass
(``GROUPING SETS``) and writes the rows with the value derived in SQL; nothing is looped over in
Python. Only :func:`indicators.services.indicator_values_fill` executes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from common import clock

from .calculations import Period
from .registry import COUNT_DEN, INTERVAL_DENOMINATORS, IndicatorDefinition, shared_relation_get

_PERIODS = """
periods AS MATERIALIZED (
    SELECT s.period_kind, s.period_start, s.period_end,
           LEAST(s.period_end, %(today)s::date) AS ref_date,
           my.population_18_plus AS pop_18_plus, my.population_15_64 AS pop_15_64,
           my.population - my.population_18_plus AS pop_0_17
      FROM unnest(%(kinds)s::text[], %(starts)s::date[], %(ends)s::date[])
           AS s(period_kind, period_start, period_end)
      LEFT JOIN caseload_municipalityyear my
        ON my.municipality_id = %(municipality_id)s
       AND my.year = extract(year FROM s.period_start)
)"""


def _array(values: list[str]) -> str:
    """A PostgreSQL array literal of plain values (ISO dates, period kinds), bound as one text
    parameter and cast in the statement (``::date[]``): the driver renders a list of dates
    element by element for every statement, 0.33 ms for the two date arrays of 143 periods
    (4 December), and a fill sends them three times per indicator."""
    if any(not value.replace("-", "").isalnum() or value.upper() == "NULL" for value in values):
        raise ValueError("array values must be plain words or dates")
    return "{" + ",".join(values) + "}"


def period_arrays(periods: list[Period]) -> dict[str, str]:
    """The parameters of the ``periods`` CTE: one array per column (text, cast in the SQL)."""
    return {
        "kinds": _array([p.kind for p in periods]),
        "starts": _array([p.start.isoformat() for p in periods]),
        "ends": _array([p.end.isoformat() for p in periods]),
    }


def statement_params(
    *, municipality_id: int, today: dt.date, periods: list[Period], now: dt.datetime | None = None
) -> dict[str, Any]:
    """The parameters of a fill statement (``engine.fill_sql``) but the definition's own
    (:func:`definition_params`): the municipality, the clock and the periods' arrays."""
    return {
        "municipality_id": municipality_id,
        "today": today,
        "now": now or clock.now(),
        "return_window": settings.OUTFLOW_RETURN_WINDOW_DAYS,
        **period_arrays(periods),
    }


def definition_params(*defns: IndicatorDefinition) -> dict[str, Any]:
    """The parameters of a fill statement that name the definitions it stores values for: one,
    or several with the same facts (:func:`same_facts`), each with its own code, version and
    scale."""
    return {
        "codes": [d.code for d in defns],
        "versions": [d.version for d in defns],
        "scales": [d.scale for d in defns],
    }


def same_facts(defn: IndicatorDefinition) -> tuple:
    """What a fill statement computes before it applies a definition's scale: two definitions
    with the same key (``amersfoort.bijstand_per_1000`` is ``bbv.bijstand_per_10k`` per 1,000
    instead of per 10,000) are filled by one statement that computes their figures once."""
    return (
        defn.sql,
        defn.intervals,
        defn.per_period_kind,
        defn.dimensions,
        defn.numerator_sql,
        defn.denominator_sql,
        defn.uses,
        defn.period_kinds,
    )


def _with(defn: IndicatorDefinition, materialised: frozenset[str] = frozenset()) -> str:
    """``periods``, then the shared relations the definition uses that are not TEMP TABLEs."""
    ctes = [_PERIODS]
    ctes += [
        f"{name} AS ({shared_relation_get(name)})" for name in defn.uses if name not in materialised
    ]
    return ",\n".join(ctes)


def shared_relation_create_sql(name: str) -> list[str]:
    """Statements that build shared relation ``name`` as a TEMP TABLE for the fill transaction
    (same parameters as :func:`fill_sql`); the definitions' statements then read the table."""
    return [
        f"DROP TABLE IF EXISTS pg_temp.{name}",
        f"CREATE TEMP TABLE {name} ON COMMIT DROP AS"
        f" WITH {_PERIODS} SELECT * FROM ({shared_relation_get(name)}) AS relation",
        f"ANALYZE pg_temp.{name}",
    ]


def residents_sql(defn: IndicatorDefinition) -> str:
    """The residents behind the numerator (for the drill-down of roles with case access)."""
    if defn.intervals:
        same_kind = "AND f.period_kind = p.period_kind" if defn.per_period_kind else ""
        return f"""
WITH {_with(defn)},
facts AS ({defn.sql})
SELECT DISTINCT f.resident_id
  FROM facts f
  JOIN periods p
    ON f.valid_from <= p.ref_date AND coalesce(f.valid_to, 'infinity'::date) > p.ref_date
   {same_kind}
 WHERE f.num > 0 AND f.resident_id IS NOT NULL
"""
    return f"""
WITH {_with(defn)},
facts AS ({defn.sql})
SELECT DISTINCT resident_id FROM facts WHERE num_key IS NOT NULL AND resident_id IS NOT NULL
"""


def _quote(name: str) -> str:
    return f'"{name}"'


def _grouping(base: tuple[str, ...], dims: tuple[str, ...]) -> tuple[str, str, str]:
    """GROUP BY clause and the ``dimension`` / ``dimension_value`` expressions: the total over
    ``base`` and one grouping set per dimension."""
    if not dims:
        return ", ".join(base), "''", "''"
    sets = ", ".join(
        [f"({', '.join(base)})"] + [f"({', '.join(base)}, f.{_quote(d)})" for d in dims]
    )
    dimension = (
        "CASE "
        + " ".join(f"WHEN GROUPING(f.{_quote(d)}) = 0 THEN '{d}'" for d in dims)
        + " ELSE '' END"
    )
    dimension_value = (
        "CASE "
        + " ".join(f"WHEN GROUPING(f.{_quote(d)}) = 0 THEN f.{_quote(d)}::text" for d in dims)
        + " ELSE '' END"
    )
    return f"GROUPING SETS ({sets})", dimension, dimension_value


def _agg_per_period(defn: IndicatorDefinition) -> str:
    """``agg`` for facts with one row per counted thing and period: count per period."""
    group_by, dimension, dimension_value = _grouping(
        ("p.period_kind", "p.period_start", "p.period_end"), defn.dimensions
    )
    denominator = defn.denominator_sql or "NULL"
    return f"""
agg AS (
    SELECT p.period_kind, p.period_start, p.period_end,
           {dimension} AS dimension, {dimension_value} AS dimension_value,
           ({defn.numerator_sql})::numeric AS numerator, ({denominator})::numeric AS denominator
      FROM periods p
      LEFT JOIN facts f ON f.period_start = p.period_start AND f.period_end = p.period_end
     GROUP BY {group_by}
)"""


#: ``slot`` = kind number x _SLOT + position of the reference date (fewer dates than this)
_SLOT = 100_000


def _agg_intervals(defn: IndicatorDefinition) -> str:
    """``agg`` for interval facts (see :mod:`indicators.registry`): each span adds its weights
    at the first reference date it covers and takes them off after the last; the running sum
    over the sorted reference dates is the value on each date. With ``per_period_kind`` each
    period kind has its own dates and facts (column ``period_kind``)."""
    dims = defn.dimensions
    # (a constant kind stays out of the grouping: the planner then hashes the grouping sets).
    # With a kind per fact, the kind's number and the date's position are one integer key
    # (``slot``): the planner estimates the groups of one unknown column as at most 200 per
    # dimension value, a bound that does not grow with the data, so the grouping sets stay
    # hashed at every size; with two key columns it estimated them from the row count (706,486
    # for 2,831 at 40,000 households) and sorted the deltas instead (issue 19)
    base = ("f.slot",) if defn.per_period_kind else ("f.idx",)
    group_by, dimension, dimension_value = _grouping(base, dims)
    columns = "".join(f", f.{_quote(d)}" for d in dims)
    den = "f.den" if defn.denominator_sql == COUNT_DEN else "0"
    denominator = INTERVAL_DENOMINATORS[defn.denominator_sql] or "NULL"
    # a dimension value gets a row where it has facts: weight on either side
    present = "(s.num > 0 OR s.den > 0)" if defn.denominator_sql == COUNT_DEN else "s.num > 0"
    period_kind, fact_kind = (
        ("p.period_kind", "f.period_kind") if defn.per_period_kind else ("''", "''")
    )
    if defn.per_period_kind:
        key, first, after_last = (
            "slot",
            f"f.kind_no * {_SLOT} + f.i0",
            f"f.kind_no * {_SLOT} + f.i1 + 1",
        )
        change_key = f"max(f.ref_kind) AS ref_kind, mod(f.slot, {_SLOT}) AS idx"
    else:
        key, first, after_last = "idx", "f.i0", "f.i1 + 1"
        change_key = "'' AS ref_kind, f.idx"
    return f"""
refs AS MATERIALIZED (
    SELECT ref_kind, array_agg(ref_date ORDER BY ref_date) AS dates, count(*)::int AS ref_n,
           row_number() OVER (ORDER BY ref_kind)::int AS kind_no
      FROM (SELECT DISTINCT {period_kind} AS ref_kind, p.ref_date FROM periods p) AS d
     GROUP BY ref_kind
),
spans AS (
    -- positions (1-based) in refs.dates of the first and the last reference date in the span
    SELECT f.*, r.ref_kind, r.ref_n, r.kind_no, width_bucket(f.valid_from - 1, r.dates) + 1 AS i0,
           width_bucket(coalesce(f.valid_to, 'infinity'::date) - 1, r.dates) AS i1
      FROM facts f JOIN refs r ON r.ref_kind = {fact_kind}
),
deltas AS (
    SELECT f.ref_kind, {first} AS {key}, f.num, {den} AS den{columns}
      FROM spans f WHERE f.i1 >= f.i0
    UNION ALL
    SELECT f.ref_kind, {after_last}, -f.num, -{den}{columns}
      FROM spans f WHERE f.i1 >= f.i0 AND f.i1 < f.ref_n
),
changes AS (
    SELECT {change_key}, {dimension} AS dimension,
           {dimension_value} AS dimension_value, sum(f.num) AS num, sum(f.den) AS den
      FROM deltas f
     GROUP BY {group_by}
),
keys AS (
    SELECT ref_kind, '' AS dimension, '' AS dimension_value FROM refs
    UNION
    SELECT ref_kind, dimension, dimension_value FROM changes
     WHERE dimension <> '' AND dimension_value IS NOT NULL
),
series AS (
    -- every key on every position: a zero row per key and position added to the changes and
    -- summed per position (a hash aggregate, linear in keys x positions + changes; a LEFT JOIN
    -- of the changes on the four columns was planned as a merge join on the kind alone, which
    -- compares every position with every change of the kind: 3.3 million comparisons for the
    -- smallest municipality of the regional bench, issue 17), then the running sum
    SELECT d.ref_kind, d.dimension, d.dimension_value, d.idx,
           sum(d.num) OVER w AS num, sum(d.den) OVER w AS den
      FROM (
        SELECT u.ref_kind, u.dimension, u.dimension_value, u.idx,
               sum(u.num) AS num, sum(u.den) AS den
          FROM (
            SELECT c.ref_kind, c.dimension, c.dimension_value, c.idx, c.num, c.den
              FROM changes c
             WHERE c.dimension = '' OR c.dimension_value IS NOT NULL
            UNION ALL
            SELECT k.ref_kind, k.dimension, k.dimension_value, i.idx, 0, 0
              FROM keys k
              JOIN refs r ON r.ref_kind = k.ref_kind
             CROSS JOIN generate_series(1, r.ref_n) AS i(idx)
          ) AS u
         GROUP BY u.ref_kind, u.dimension, u.dimension_value, u.idx
      ) AS d
    WINDOW w AS (PARTITION BY d.ref_kind, d.dimension, d.dimension_value ORDER BY d.idx)
),
agg AS (
    SELECT p.period_kind, p.period_start, p.period_end, s.dimension, s.dimension_value,
           s.num::numeric AS numerator, ({denominator})::numeric AS denominator
      FROM periods p
      JOIN refs r ON r.ref_kind = {period_kind}
      JOIN series s ON s.ref_kind = r.ref_kind AND s.idx = array_position(r.dates, p.ref_date)
     WHERE s.dimension = '' OR {present}
)"""


def fill_sql(defn: IndicatorDefinition, materialised: frozenset[str] = frozenset()) -> str:
    """The statement that brings the stored values of ``defn`` for the periods being filled up
    to date; shared relations in ``materialised`` are read from the TEMP TABLEs
    :func:`shared_relation_create_sql` built, the others computed as CTEs. The definitions it
    stores values for are those of the parameters (:func:`definition_params`): ``defn``, or
    ``defn`` and others with the :func:`same_facts`, whose figures it computes once and scales
    for each.

    It writes only what changed (issue 17, the regional recompute): a figure computed the same
    as stored is left alone, a new one inserted, a changed one updated in place, and a stored
    row the computation no longer gives (a dimension value without facts now, a figure that
    has become empty) deleted. A full recompute mostly finds the figures it stored the night
    before: deleting and inserting every row cost 12-13 microseconds a row (the heap, four
    index entries and the foreign key check at commit), comparing it 4, and the regional bench
    stores 777,000 rows. The stored rows of the periods are read once (by the unique index)
    and matched to the computed ones in one hashed full join (``diff``): what is new or differs
    goes to the insert, what is no longer computed to the delete, by id. Only those rows reach
    ``ON CONFLICT``: letting it compare every computed row locked each unchanged one (a WAL
    record per row); the join took the regional bench's fills from 42.7 to 40.7 seconds added
    up (4 December; with ``NOT EXISTS`` for the delete, an earlier form, the planner compared
    every stored row with every computed one). The values are cast to the column's
    ``numeric(18, 4)`` before they are compared, so a value stored is a value computed the same.
    The delete and the insert touch disjoint keys, so their order within the statement does not
    matter; the advisory lock of the fill keeps a second fill of the same indicator out, so the
    rows ``diff`` found changed are those ``ON CONFLICT`` updates (the comparison is made once,
    there).
    The statement returns the number of rows it wrote (inserted, updated or deleted).
    """
    agg = _agg_intervals(defn) if defn.intervals else _agg_per_period(defn)
    return f"""
WITH {_with(defn, materialised)},
facts AS ({defn.sql}),{agg},
computed AS MATERIALIZED (
    SELECT t.code, t.version, a.period_kind, a.period_start, a.period_end, a.dimension,
           a.dimension_value,
           (CASE WHEN a.denominator IS NULL THEN a.numerator
                 WHEN a.denominator = 0 THEN NULL
                 ELSE round(t.scale * a.numerator / a.denominator, 4)
            END)::numeric(18, 4) AS value,
           a.numerator::numeric(18, 4) AS numerator, a.denominator::numeric(18, 4) AS denominator
      FROM agg a
     CROSS JOIN unnest(%(codes)s::text[], %(versions)s::int[], %(scales)s::numeric[])
           AS t(code, version, scale)
     WHERE a.numerator IS NOT NULL AND (a.dimension = '' OR a.dimension_value IS NOT NULL)
),
stored AS MATERIALIZED (
    SELECT v.id, v.code, v.period_kind, v.period_start, v.period_end, v.dimension,
           v.dimension_value, v.value, v.numerator, v.denominator, v.definition_version
      FROM unnest(%(starts)s::date[], %(ends)s::date[]) AS s(period_start, period_end)
      JOIN indicators_indicatorvalue v
        ON v.municipality_id = %(municipality_id)s AND v.code = ANY(%(codes)s::text[])
       AND v.period_start = s.period_start AND v.period_end = s.period_end
),
diff AS MATERIALIZED (
    -- the computed rows that are new or differ from the stored one, and the stored rows no
    -- longer computed (``c.period_start`` NULL)
    SELECT c.code, c.version, c.period_kind, c.period_start, c.period_end, c.dimension,
           c.dimension_value, c.value, c.numerator, c.denominator, st.id AS stored_id
      FROM computed c
      FULL JOIN stored st
        ON st.code = c.code AND st.period_start = c.period_start
       AND st.period_end = c.period_end AND st.dimension = c.dimension
       AND st.dimension_value = c.dimension_value
     WHERE c.period_start IS NULL OR st.id IS NULL
        OR (st.period_kind, st.value, st.numerator, st.denominator, st.definition_version)
           IS DISTINCT FROM (c.period_kind, c.value, c.numerator, c.denominator, c.version)
),
gone AS (
    DELETE FROM indicators_indicatorvalue v
     USING diff d
     WHERE d.period_start IS NULL AND v.id = d.stored_id
     RETURNING 1
),
written AS (
    INSERT INTO indicators_indicatorvalue AS v
        (municipality_id, code, period_kind, period_start, period_end, dimension, dimension_value,
         value, numerator, denominator, changed_at, definition_version)
    SELECT %(municipality_id)s, code, period_kind, period_start, period_end, dimension,
           dimension_value, value, numerator, denominator, %(now)s, version
      FROM diff
     WHERE period_start IS NOT NULL
        ON CONFLICT (municipality_id, code, period_start, period_end, dimension, dimension_value)
        DO UPDATE SET period_kind = EXCLUDED.period_kind, value = EXCLUDED.value,
                      numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
                      changed_at = EXCLUDED.changed_at,
                      definition_version = EXCLUDED.definition_version
        RETURNING 1
)
SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM written)
"""
