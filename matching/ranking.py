# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""The match score, computed in PostgreSQL: one set-based statement per direction.

A *pair* is a vacancy and a resident's profile. :func:`rank` takes the SQL of the pairs to
score (the candidates of one vacancy, the open vacancies for one resident, or, for the
evaluation, every profile against a set of vacancies) and scores them all in one statement,
with one column per factor (a credit from 0 to 1) and the facts behind it for the reason
text. No per-pair Python loop: Python only formats the rows it gets back.

Factors and weights: ``matching.calculations`` (``WEIGHTS``, credits); the rules in words:
docs/matching.md. Consent: a pair is scored only when the resident has a consent "voorstellen
aan werkgevers" that is not withdrawn (``require_consent``; the consulent's own view of a
resident's vacancies can do without it, proposing cannot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from .calculations import (
    BARRIER_CREDIT,
    EDUCATION_RANK,
    EXPERIENCE_FACTOR,
    GROUP_CREDIT,
    NO_GROUP_CREDIT,
    OCCUPATION_CREDIT,
    UNKNOWN_DISTANCE_CREDIT,
    WEIGHTS,
)
from .models import ConsentScope


def _rank_case(column: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in EDUCATION_RANK.items())
    return f"(CASE {column} {whens} ELSE NULL END)"


def _occupation_credit(table: str, factor: float = 1.0) -> str:
    """Best credit per pair of the profile's occupations in ``table`` against the vacancy's
    code: one aggregate over the table joined to the pairs (a hash join, not a look-up per
    pair); ``years``: the experience in exactly the vacancy's occupation."""
    return f"""
        SELECT pv.vacancy_id, pv.profile_id,
               max(CASE WHEN o.code = pv.occ THEN {OCCUPATION_CREDIT[4] * factor}
                        WHEN left(o.code, 3) = left(pv.occ, 3) THEN {OCCUPATION_CREDIT[3] * factor}
                        WHEN left(o.code, 2) = left(pv.occ, 2) THEN {OCCUPATION_CREDIT[2] * factor}
                        ELSE 0 END) AS credit,
               {
        "max(CASE WHEN o.code = pv.occ THEN x.years END)"
        if "experience" in table
        else "NULL::numeric"
    } AS years
          FROM pv
          JOIN {table} x ON x.profile_id = pv.profile_id
          JOIN employers_occupation o ON o.id = x.occupation_id
         GROUP BY pv.vacancy_id, pv.profile_id
    """


_GROUP_CASE = (
    "(CASE pr.grp "
    + " ".join(f"WHEN {g} THEN {c}" for g, c in GROUP_CREDIT.items())
    + f" ELSE {NO_GROUP_CREDIT} END)"
)
_BARRIER_CASE = (
    "(CASE WHEN pr.barriers IS NULL THEN 0.5 "
    + " ".join(f"WHEN pr.barriers = {i} THEN {c}" for i, c in enumerate(BARRIER_CREDIT[:-1]))
    + f" ELSE {BARRIER_CREDIT[-1]} END)"
)

#: the latest completed intake of each resident (today's view: every completed intake)
_BARRIER_NOW = """
    barrier AS (  -- the latest completed intake of each resident
        SELECT DISTINCT ON (i.resident_id) i.resident_id,
               (i.has_debts::int + i.has_language_barrier::int + i.has_childcare_barrier::int
                + i.has_health_barrier::int + i.has_housing_barrier::int) AS barriers
          FROM intake_intake i
         WHERE i.status = 'afgerond'
         ORDER BY i.resident_id, i.completed_at DESC, i.id DESC
    ),"""

#: point in time (the evaluation of past placements): the intake completed by each pair's as_of
_BARRIER_AS_OF = """
    barrier AS (  -- per pair: the latest intake completed on or before the pair's as_of
        SELECT DISTINCT ON (pv.vacancy_id, pv.profile_id) pv.vacancy_id, pv.profile_id,
               (i.has_debts::int + i.has_language_barrier::int + i.has_childcare_barrier::int
                + i.has_health_barrier::int + i.has_housing_barrier::int) AS barriers
          FROM pv
          JOIN matching_profile p ON p.id = pv.profile_id
          JOIN intake_intake i ON i.resident_id = p.resident_id
         WHERE i.status = 'afgerond' AND i.completed_at::date <= pv.as_of
         ORDER BY pv.vacancy_id, pv.profile_id, i.completed_at DESC, i.id DESC
    ),"""

_GROUP_NOW = (
    "LEFT JOIN caseload_groupassignment ga ON ga.resident_id = r.id AND ga.ended_on IS NULL"
)
#: the group decided on or before the pair's as_of and not ended by then
_GROUP_AS_OF = """LEFT JOIN LATERAL (
          SELECT g."group" FROM caseload_groupassignment g
           WHERE g.resident_id = r.id AND g.decided_on <= pv.as_of
             AND (g.ended_on IS NULL OR g.ended_on > pv.as_of)
           ORDER BY g.decided_on DESC, g.id DESC LIMIT 1
      ) ga ON true"""

#: the pairs with the vacancy's facts; then per-pair and per-resident facts as aggregates joined
#: in bulk (``pairs`` holds vacancy_id, profile_id)
_PAIR_CTES_TEMPLATE = f"""
    pv AS MATERIALIZED (
        SELECT pa.vacancy_id, pa.profile_id, o.code AS occ, v.hours_per_week AS v_hours,
               v.education_level AS v_edu, v.banenafspraak, left(v.postcode, 4) AS v_pc4,
               {{as_of}} AS as_of
          FROM pairs pa
          JOIN employers_vacancy v ON v.id = pa.vacancy_id
          JOIN employers_occupation o ON o.id = v.occupation_id
    ),
    occ_sought AS ({_occupation_credit("matching_soughtoccupation")}),
    occ_experience AS ({_occupation_credit("matching_workexperience", EXPERIENCE_FACTOR)}),
{{barrier}}
    consent AS (
        SELECT DISTINCT c.resident_id FROM matching_consent c
         WHERE c.scope = '{ConsentScope.PROPOSE}' AND c.withdrawn_at IS NULL
    ),
    proposed AS (
        SELECT DISTINCT mp.vacancy_id, mp.resident_id FROM matching_proposal mp
         WHERE mp.vacancy_id IN (SELECT DISTINCT vacancy_id FROM pv)
    )
"""

_FACTS = """
    SELECT pv.vacancy_id, p.id AS profile_id, r.id AS resident_id, r.municipality_id,
           pv.occ, pv.v_hours, pv.v_edu, pv.banenafspraak, p.hours_available,
           p.travel_range_km, p.completed_on, r.education_level AS r_edu,
           r.in_doelgroepregister, ga."group" AS grp, b.barriers,
           sqrt(power(vc.x_km - rc.x_km, 2) + power(vc.y_km - rc.y_km, 2)) AS distance_km,
           c.resident_id IS NOT NULL AS consented,
           pp.resident_id IS NOT NULL AS proposed,
           coalesce(os.credit, 0) AS occ_sought,
           coalesce(oe.credit, 0) AS occ_experience,
           oe.years AS experience_years
      FROM pv
      JOIN matching_profile p ON p.id = pv.profile_id
      JOIN caseload_resident r ON r.id = p.resident_id
      JOIN caseload_household h ON h.id = r.household_id
      {group_join}
      LEFT JOIN matching_pc4centroid vc ON vc.pc4 = pv.v_pc4
      LEFT JOIN matching_pc4centroid rc ON rc.pc4 = left(h.postcode, 4)
      LEFT JOIN occ_sought os ON os.vacancy_id = pv.vacancy_id AND os.profile_id = pv.profile_id
      LEFT JOIN occ_experience oe
        ON oe.vacancy_id = pv.vacancy_id AND oe.profile_id = pv.profile_id
      {barrier_join}
      LEFT JOIN consent c ON c.resident_id = r.id
      LEFT JOIN proposed pp ON pp.vacancy_id = pv.vacancy_id AND pp.resident_id = r.id
"""

_SCORED = f"""
    SELECT pr.*,
           CASE WHEN pr.hours_available IS NULL THEN 0.5
                ELSE least(pr.hours_available, pr.v_hours)
                     / greatest(pr.hours_available, pr.v_hours) END AS c_hours,
           CASE WHEN pr.distance_km IS NULL OR pr.travel_range_km IS NULL
                     THEN {UNKNOWN_DISTANCE_CREDIT}
                ELSE greatest(0.0, 1.0 - pr.distance_km / greatest(pr.travel_range_km, 1))
                END AS c_distance,
           CASE WHEN pr.v_edu = '' THEN 1.0
                WHEN {_rank_case("pr.r_edu")} IS NULL THEN 0.3
                WHEN {_rank_case("pr.r_edu")} >= {_rank_case("pr.v_edu")} THEN 1.0
                WHEN {_rank_case("pr.r_edu")} = {_rank_case("pr.v_edu")} - 1 THEN 0.5
                ELSE 0.0 END AS c_education,
           {_GROUP_CASE} AS c_group,
           {_BARRIER_CASE} AS c_barriers
      FROM facts pr
"""

_TOTAL = " + ".join(
    f"{w} * {col}"
    for w, col in (
        (WEIGHTS["occupation"], "c_occupation"),
        (WEIGHTS["hours"], "c_hours"),
        (WEIGHTS["distance"], "c_distance"),
        (WEIGHTS["education"], "c_education"),
        (WEIGHTS["group"], "c_group"),
        (WEIGHTS["barriers"], "c_barriers"),
    )
)


@dataclass
class Match:
    vacancy_id: int
    profile_id: int
    resident_id: int
    score: Decimal
    credits: dict[str, float]
    facts: dict[str, Any] = field(default_factory=dict)
    rank: int = 0

    @property
    def consented(self) -> bool:
        return bool(self.facts.get("consented"))

    @property
    def proposed(self) -> bool:
        return bool(self.facts.get("proposed"))


def rank_sql(
    pairs_sql: str,
    *,
    where: str = "",
    order_by: str,
    limit: bool = True,
    point_in_time: bool = False,
) -> str:
    """The one statement: pairs -> facts -> credits -> total, ranked per ``order_by``.

    ``point_in_time``: the pairs carry a column ``as_of`` (a date) and the resident's group and
    latest completed intake are read as they stood on that day (the evaluation of historical
    placements: a placed resident's group has since ended); otherwise as they stand now.
    """
    if point_in_time:
        ctes = _PAIR_CTES_TEMPLATE.format(as_of="pa.as_of", barrier=_BARRIER_AS_OF)
        facts = _FACTS.format(
            group_join=_GROUP_AS_OF,
            barrier_join="LEFT JOIN barrier b"
            " ON b.vacancy_id = pv.vacancy_id AND b.profile_id = pv.profile_id",
        )
    else:
        ctes = _PAIR_CTES_TEMPLATE.format(as_of="current_date", barrier=_BARRIER_NOW)
        facts = _FACTS.format(
            group_join=_GROUP_NOW, barrier_join="LEFT JOIN barrier b ON b.resident_id = r.id"
        )
    return f"""
        WITH pairs AS ({pairs_sql}),
        {ctes},
        facts AS ({facts}),
        scored AS ({_SCORED}),
        total AS (
            SELECT s.*, greatest(s.occ_sought, s.occ_experience) AS c_occupation
              FROM scored s
        )
        SELECT t.*, round(({_TOTAL})::numeric, 1) AS score,
               row_number() OVER (PARTITION BY t.vacancy_id
                                  ORDER BY ({_TOTAL}) DESC, t.resident_id) AS rank_in_vacancy
          FROM total t
         WHERE true {where}
         ORDER BY {order_by}
         {"LIMIT %(limit)s" if limit else ""}
    """


#: a pair within the resident's own travel range; an unknown position or range counts as within
#: (the credit then is the neutral 0,5, and nobody is hidden for a fact nobody recorded)
WITHIN_RANGE = (
    "(t.distance_km IS NULL OR t.travel_range_km IS NULL OR t.distance_km <= t.travel_range_km)"
)

_CREDIT_COLUMNS = ("c_occupation", "c_hours", "c_distance", "c_education", "c_group", "c_barriers")


def rank(
    pairs_sql: str,
    params: dict[str, Any],
    *,
    require_consent: bool = True,
    only_group_12: bool = False,
    only_banenafspraak: bool = False,
    only_banenafspraak_vacancies: bool = False,
    only_within_range: bool = False,
    order_by: str = "score DESC, t.resident_id",
    limit: int | None = 50,
    point_in_time: bool = False,
) -> list[Match]:
    """Score the pairs of ``pairs_sql`` (columns vacancy_id, profile_id) in one statement."""
    where = ""
    if require_consent:
        where += " AND t.consented"
    if only_group_12:
        where += " AND t.grp IN (1, 2)"
    if only_banenafspraak:
        where += " AND t.in_doelgroepregister"
    if only_banenafspraak_vacancies:
        where += " AND t.banenafspraak"
    if only_within_range:
        where += f" AND {WITHIN_RANGE}"
    sql = rank_sql(
        pairs_sql,
        where=where,
        order_by=order_by,
        limit=limit is not None,
        point_in_time=point_in_time,
    )
    params = {**params, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    out = []
    for i, row in enumerate(rows, start=1):
        credits = {c[2:]: float(row[c]) for c in _CREDIT_COLUMNS}
        out.append(
            Match(
                vacancy_id=row["vacancy_id"],
                profile_id=row["profile_id"],
                resident_id=row["resident_id"],
                score=row["score"],
                credits=credits,
                facts=row,
                rank=i,
            )
        )
    return out


#: the candidates of one vacancy: every profile of a resident with a running benefit in the
#: municipalities in scope (NULL: the whole region)
CANDIDATE_PAIRS = """
    SELECT %(vacancy_id)s::bigint AS vacancy_id, p.id AS profile_id
      FROM matching_profile p
      JOIN caseload_resident r ON r.id = p.resident_id
     WHERE (%(municipality_ids)s::bigint[] IS NULL
            OR r.municipality_id = ANY(%(municipality_ids)s::bigint[]))
       AND EXISTS (SELECT 1 FROM caseload_benefit b
                    WHERE b.household_id = r.household_id AND b.end_date IS NULL)
"""

#: the same, only residents with an active consent: the account manager's list (the consent is
#: checked again by ``rank``; filtering here keeps the residents without one out of the scoring)
CANDIDATE_PAIRS_CONSENTED = (
    CANDIDATE_PAIRS
    + f"""
       AND EXISTS (SELECT 1 FROM matching_consent c
                    WHERE c.resident_id = r.id AND c.scope = '{ConsentScope.PROPOSE}'
                      AND c.withdrawn_at IS NULL)
"""
)

#: the open vacancies for one resident, in the municipalities in scope (NULL: the region)
VACANCY_PAIRS = """
    SELECT v.id AS vacancy_id, p.id AS profile_id
      FROM matching_profile p
      JOIN employers_vacancy v ON v.status = 'open'
      JOIN employers_employer e ON e.id = v.employer_id
     WHERE p.resident_id = %(resident_id)s
       AND (%(municipality_ids)s::bigint[] IS NULL
            OR e.municipality_id = ANY(%(municipality_ids)s::bigint[]))
"""


def _nl(value: Any, digits: int | None = None) -> str:
    """A number the Dutch way: 2,5 (no trailing zeros), or with ``digits`` decimals."""
    number = float(value)
    text = f"{number:.{digits}f}" if digits is not None else f"{number:g}"
    return text.replace(".", ",")


def reasons(match: Match) -> dict[str, str]:
    """Dutch reason per factor, from the facts the statement returned (no query)."""
    f = match.facts
    out: dict[str, str] = {}
    if float(f["occ_sought"]) >= 1.0:
        out["occupation"] = "zoekt dit beroep"
    elif float(f["occ_experience"]) >= EXPERIENCE_FACTOR - 1e-9 and f.get("experience_years"):
        out["occupation"] = f"{_nl(f['experience_years'])} jaar ervaring in dit beroep"
    elif match.credits["occupation"] >= 0.75 * EXPERIENCE_FACTOR - 1e-9:
        out["occupation"] = "verwant beroep (zelfde ISCO-subgroep)"
    elif match.credits["occupation"] > 0:
        out["occupation"] = "verwant beroep (zelfde ISCO-beroepenklasse)"
    else:
        out["occupation"] = "ander beroep"
    if f["hours_available"] is None:
        out["hours"] = "beschikbare uren onbekend"
    else:
        out["hours"] = (
            f"beschikbaar {_nl(f['hours_available'])} uur, vacature {_nl(f['v_hours'])} uur"
        )
    if f["distance_km"] is None:
        out["distance"] = "afstand onbekend"
    elif f["travel_range_km"] is None:
        out["distance"] = f"{_nl(f['distance_km'], 1)} km; reisafstand onbekend"
    else:
        out["distance"] = (
            f"{_nl(f['distance_km'], 1)} km (wil tot {f['travel_range_km']} km reizen)"
        )
        if f["distance_km"] > f["travel_range_km"]:
            out["distance"] += ": buiten de reisafstand"
    if not f["v_edu"]:
        out["education"] = "geen opleidingseis"
    elif match.credits["education"] >= 1:
        out["education"] = "voldoet aan het opleidingsniveau"
    elif match.credits["education"] > 0.3:
        out["education"] = "één niveau onder de eis"
    elif not f["r_edu"]:
        out["education"] = "opleidingsniveau onbekend"
    else:
        out["education"] = "onder het gevraagde niveau"
    out["group"] = f"groep {f['grp']}" if f["grp"] else "nog niet ingedeeld"
    if f["barriers"] is None:
        out["barriers"] = "geen afgeronde intake"
    elif f["barriers"] == 0:
        out["barriers"] = "geen drempels uit de intake"
    else:
        out["barriers"] = f"{f['barriers']} drempel(s) uit de intake"
    return out


# --------------------------------------------------------------------------------------------
# From the candidate facts (matching.facts): the account manager's list and the stored scores
# --------------------------------------------------------------------------------------------


def _occupation_from_arrays(factor: float, prefix: str) -> str:
    """The best credit of the facts' ISCO codes (``f.<prefix>``, ``<prefix>3``, ``<prefix>2``)
    against the vacancy's code: the same values as :func:`_occupation_credit`'s maximum."""
    return f"""(CASE WHEN v.occ = ANY(f.{prefix}) THEN {OCCUPATION_CREDIT[4] * factor}
                     WHEN v.occ3 = ANY(f.{prefix}3) THEN {OCCUPATION_CREDIT[3] * factor}
                     WHEN v.occ2 = ANY(f.{prefix}2) THEN {OCCUPATION_CREDIT[2] * factor}
                     ELSE 0 END)"""


#: one candidate's facts against one vacancy ``v`` (a row of ``vac``), with the column names of
#: the live statement's ``facts`` so that ``_SCORED`` computes the credits unchanged
_FACTS_PAIR = f"""
    SELECT v.vacancy_id, f.profile_id, f.resident_id, f.municipality_id,
           v.occ, v.v_hours, v.v_edu, v.banenafspraak, f.hours_available, f.travel_range_km,
           f.education_level AS r_edu, f.in_doelgroepregister, f.grp, f.barriers,
           sqrt(power(v.vx - f.x_km, 2) + power(v.vy - f.y_km, 2)) AS distance_km,
           true AS consented,
           {_occupation_from_arrays(1.0, "sought")} AS occ_sought,
           {_occupation_from_arrays(EXPERIENCE_FACTOR, "experience")} AS occ_experience,
           f.experience AS f_experience, f.experience_years AS f_experience_years
      FROM cand f
"""


def facts_scored_sql(
    *,
    vacancies: str,
    per_vacancy_limit: str,
    where: str = "",
    pair_where: str = "",
    many: bool = False,
) -> str:
    """Score the candidate facts against every vacancy of ``vacancies`` (SQL of vacancy ids)
    and keep each vacancy's first ``per_vacancy_limit`` in the candidate list's order (score,
    then resident): a top-N heap per vacancy, no sort of all pairs. ``where``: conditions on
    the facts ``f`` (municipalities, filters); ``pair_where``: on the scored pair ``t`` (the
    travel range, which needs the vacancy's position). Candidates: a running benefit and an active
    consent, joined live. Columns as :func:`rank_sql`'s (the reasons read the same keys).
    ``many``: many vacancies (the nightly refresh): the candidates are read once into a
    materialised CTE; for one vacancy they are scanned in place (no copy of 26,000 wide rows,
    about half the time at 40,000 households)."""
    scored = _SCORED.replace("FROM facts pr", f"FROM ({_FACTS_PAIR}) pr")
    return f"""
        WITH vac AS MATERIALIZED (
            SELECT v.id AS vacancy_id, o.code AS occ, left(o.code, 3) AS occ3,
                   left(o.code, 2) AS occ2, v.hours_per_week AS v_hours,
                   v.education_level AS v_edu, v.banenafspraak, vc.x_km AS vx, vc.y_km AS vy
              FROM employers_vacancy v
              JOIN employers_occupation o ON o.id = v.occupation_id
              LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode, 4)
             WHERE v.id IN ({vacancies})
        ),
        cand AS {"" if many else "NOT "}MATERIALIZED (
            SELECT f.* FROM matching_candidatefacts f
             WHERE f.running {where}
               AND EXISTS (SELECT 1 FROM matching_consent c
                            WHERE c.resident_id = f.resident_id
                              AND c.scope = '{ConsentScope.PROPOSE}'
                              AND c.withdrawn_at IS NULL)
        ),
        top AS (
            SELECT t.* FROM vac v
            CROSS JOIN LATERAL (
                SELECT t.*, round(({_TOTAL})::numeric, 1) AS score
                  FROM (SELECT s.*, greatest(s.occ_sought, s.occ_experience) AS c_occupation
                          FROM ({scored}) s) t
                 WHERE true {pair_where}
                 ORDER BY round(({_TOTAL})::numeric, 1) DESC, t.resident_id
                 LIMIT {per_vacancy_limit}
            ) t
        )
        SELECT t.*,
               (SELECT max(u.y) FROM unnest(t.f_experience, t.f_experience_years) u(c, y)
                 WHERE u.c = t.occ) AS experience_years,
               EXISTS (SELECT 1 FROM matching_proposal mp
                        WHERE mp.vacancy_id = t.vacancy_id
                          AND mp.resident_id = t.resident_id) AS proposed,
               row_number() OVER (PARTITION BY t.vacancy_id
                                  ORDER BY t.score DESC, t.resident_id) AS rank_in_vacancy
          FROM top t
    """


def rank_from_facts(
    *,
    vacancy_id: int,
    municipality_ids: list[int] | None,
    only_group_12: bool = False,
    only_banenafspraak: bool = False,
    only_within_range: bool = False,
    limit: int = 50,
) -> list[Match]:
    """The account manager's candidate list of one vacancy from the candidate facts: the same
    scores, order and reasons as ``rank(CANDIDATE_PAIRS_CONSENTED, ...)`` on the same facts
    (tests/matching/test_candidate_facts.py), as one scan of the facts with a top-N heap."""
    where = ""
    if municipality_ids is not None:
        where += " AND f.municipality_id = ANY(%(municipality_ids)s::bigint[])"
    if only_group_12:
        where += " AND f.grp IN (1, 2)"
    if only_banenafspraak:
        where += " AND f.in_doelgroepregister"
    sql = facts_scored_sql(
        vacancies="%(vacancy_id)s",
        per_vacancy_limit="%(limit)s",
        where=where,
        pair_where=f" AND {WITHIN_RANGE}" if only_within_range else "",
    )
    sql += " ORDER BY rank_in_vacancy"
    params = {"vacancy_id": vacancy_id, "municipality_ids": municipality_ids, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [
        Match(
            vacancy_id=row["vacancy_id"],
            profile_id=row["profile_id"],
            resident_id=row["resident_id"],
            score=row["score"],
            credits={c[2:]: float(row[c]) for c in _CREDIT_COLUMNS},
            facts=row,
            rank=row["rank_in_vacancy"],
        )
        for row in rows
    ]
