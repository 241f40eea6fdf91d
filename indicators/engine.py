# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""Turns a registered definition into the one INSERT ... SELECT that fills its values.

The statement computes every requested period and every dimension breakdown in one pass
(``GROUPING SETS``) and writes the rows with the value derived in SQL; nothing is looped over in
Python. Only :func:`indicators.services.indicator_values_fill` executes it.
"""

from __future__ import annotations

from .registry import IndicatorDefinition, shared_relation_get

_PERIODS = """
periods AS MATERIALIZED (
    SELECT s.period_kind, s.period_start, s.period_end,
           LEAST(s.period_end, %(today)s::date) AS ref_date,
           my.population_18_plus AS pop_18_plus, my.population_15_64 AS pop_15_64
      FROM unnest(%(kinds)s::text[], %(starts)s::date[], %(ends)s::date[])
           AS s(period_kind, period_start, period_end)
      LEFT JOIN caseload_municipalityyear my
        ON my.municipality_id = %(municipality_id)s
       AND my.year = extract(year FROM s.period_start)
)"""


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
    return f"""
WITH {_with(defn)},
facts AS ({defn.sql})
SELECT DISTINCT resident_id FROM facts WHERE num_key IS NOT NULL AND resident_id IS NOT NULL
"""


def _quote(name: str) -> str:
    return f'"{name}"'


def fill_sql(defn: IndicatorDefinition, materialised: frozenset[str] = frozenset()) -> str:
    """The INSERT ... SELECT of ``defn``; shared relations in ``materialised`` are read from the
    TEMP TABLEs :func:`shared_relation_create_sql` built, the others computed as CTEs."""
    base = ("p.period_kind", "p.period_start", "p.period_end")
    dims = defn.dimensions
    if dims:
        sets = ", ".join(
            [f"({', '.join(base)})"] + [f"({', '.join(base)}, f.{_quote(d)})" for d in dims]
        )
        group_by = f"GROUPING SETS ({sets})"
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
    else:
        group_by = ", ".join(base)
        dimension = "''"
        dimension_value = "''"
    denominator = defn.denominator_sql or "NULL"
    return f"""
WITH {_with(defn, materialised)},
facts AS ({defn.sql}),
agg AS (
    SELECT p.period_kind, p.period_start, p.period_end,
           {dimension} AS dimension, {dimension_value} AS dimension_value,
           ({defn.numerator_sql})::numeric AS numerator, ({denominator})::numeric AS denominator
      FROM periods p
      LEFT JOIN facts f ON f.period_start = p.period_start AND f.period_end = p.period_end
     GROUP BY {group_by}
)
INSERT INTO indicators_indicatorvalue
    (municipality_id, code, period_kind, period_start, period_end, dimension, dimension_value,
     value, numerator, denominator, computed_at, definition_version)
SELECT %(municipality_id)s, %(code)s, period_kind, period_start, period_end, dimension,
       dimension_value,
       CASE WHEN denominator IS NULL THEN numerator
            WHEN denominator = 0 THEN NULL
            ELSE round(%(scale)s * numerator / denominator, 4) END,
       numerator, denominator, %(now)s, %(version)s
  FROM agg
 WHERE numerator IS NOT NULL AND (dimension = '' OR dimension_value IS NOT NULL)
"""
