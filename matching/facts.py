# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""The candidate facts table and the stored match scores: derived tables, written set-based.

``matching_candidatefacts`` holds one narrow row per profile with every fact the candidate list
scores (municipality, running benefit, current group, education, barriers of the latest
completed intake, doelgroepregister, hours, travel range, the PC4 position, the sought and
experience ISCO codes as arrays). :func:`candidate_facts_refresh` rewrites the rows of one
municipality, a set of residents or the region in one ``INSERT ... ON CONFLICT`` (a row whose
facts did not change is not written) and one ``DELETE`` (profiles gone or moved away). Who calls
it (docs/matching.md, "De kandidatenfeiten"):

* the matching services that change a profile, for that resident, inside their transaction;
* the case-change listener (``caseload.services.case_change_listener_register``), after commit
  and debounced through Celery per municipality (``matching.tasks.case_changed``; a
  municipality's refresh takes 0.2-0.6 s at 40,000 households, too slow inside every write);
* beat every 15 minutes for the region (the safety net for a lost wake-up), and the nightly job
  (``matching.tasks.matching_nightly_refresh_task``) for the region, then the stored scores;
* ``seed_matching_demo`` after seeding.

Consent is not a fact here: the candidate list joins it live, so a withdrawal acts at once.

:func:`stored_matches_refresh` scores every open vacancy against the facts in one pass
(each vacancy's top :data:`STORED_TOP` by the candidate list's order) and keeps per vacancy the
number of candidates in its ISCO sub-major group and how many of the top 10 are new since the
refresh before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from .models import ConsentScope

logger = logging.getLogger(__name__)

#: candidates kept per open vacancy by the nightly refresh
STORED_TOP = 100

_BARRIER_COUNT = (
    "(i.has_debts::int + i.has_language_barrier::int + i.has_childcare_barrier::int"
    " + i.has_health_barrier::int + i.has_housing_barrier::int)"
)

_COLUMNS = (
    "resident_id",
    "municipality_id",
    "running",
    "grp",
    "education_level",
    "barriers",
    "in_doelgroepregister",
    "hours_available",
    "travel_range_km",
    "x_km",
    "y_km",
    "sought",
    "sought3",
    "sought2",
    "experience",
    "experience3",
    "experience2",
    "experience_years",
)

#: the facts of the profiles whose resident is in ``scope`` (a condition on ``r``)
_FACTS_SELECT = f"""
    WITH scope_r AS MATERIALIZED (
        SELECT r.id, r.household_id, r.municipality_id, r.education_level,
               r.in_doelgroepregister
          FROM caseload_resident r
         WHERE {{scope}}
    ),
    barrier AS (
        SELECT DISTINCT ON (i.resident_id) i.resident_id, {_BARRIER_COUNT} AS barriers
          FROM intake_intake i
         WHERE i.status = 'afgerond' AND i.resident_id IN (SELECT id FROM scope_r)
         ORDER BY i.resident_id, i.completed_at DESC, i.id DESC
    ),
    sought AS (
        SELECT s.profile_id, array_agg(o.code ORDER BY o.code) AS codes
          FROM matching_soughtoccupation s
          JOIN employers_occupation o ON o.id = s.occupation_id
          JOIN matching_profile p ON p.id = s.profile_id
         WHERE p.resident_id IN (SELECT id FROM scope_r)
         GROUP BY s.profile_id
    ),
    exper AS (
        SELECT x.profile_id, array_agg(o.code ORDER BY o.code) AS codes,
               array_agg(x.years ORDER BY o.code) AS years
          FROM matching_workexperience x
          JOIN employers_occupation o ON o.id = x.occupation_id
          JOIN matching_profile p ON p.id = x.profile_id
         WHERE p.resident_id IN (SELECT id FROM scope_r)
         GROUP BY x.profile_id
    )
    SELECT p.id AS profile_id, r.id AS resident_id, r.municipality_id,
           EXISTS (SELECT 1 FROM caseload_benefit b
                    WHERE b.household_id = r.household_id AND b.end_date IS NULL) AS running,
           ga."group" AS grp, r.education_level, bar.barriers, r.in_doelgroepregister,
           p.hours_available, p.travel_range_km, c.x_km, c.y_km,
           coalesce(so.codes, ARRAY[]::text[]) AS sought,
           coalesce(ARRAY(SELECT DISTINCT left(x, 3) FROM unnest(so.codes) x ORDER BY 1),
                    ARRAY[]::text[]) AS sought3,
           coalesce(ARRAY(SELECT DISTINCT left(x, 2) FROM unnest(so.codes) x ORDER BY 1),
                    ARRAY[]::text[]) AS sought2,
           coalesce(ex.codes, ARRAY[]::text[]) AS experience,
           coalesce(ARRAY(SELECT DISTINCT left(x, 3) FROM unnest(ex.codes) x ORDER BY 1),
                    ARRAY[]::text[]) AS experience3,
           coalesce(ARRAY(SELECT DISTINCT left(x, 2) FROM unnest(ex.codes) x ORDER BY 1),
                    ARRAY[]::text[]) AS experience2,
           coalesce(ex.years, ARRAY[]::numeric[]) AS experience_years,
           now() AS refreshed_at
      FROM matching_profile p
      JOIN scope_r r ON r.id = p.resident_id
      JOIN caseload_household h ON h.id = r.household_id
      LEFT JOIN caseload_groupassignment ga ON ga.resident_id = r.id AND ga.ended_on IS NULL
      LEFT JOIN matching_pc4centroid c ON c.pc4 = left(h.postcode, 4)
      LEFT JOIN barrier bar ON bar.resident_id = r.id
      LEFT JOIN sought so ON so.profile_id = p.id
      LEFT JOIN exper ex ON ex.profile_id = p.id
"""

_UPSERT = f"""
    INSERT INTO matching_candidatefacts AS t (profile_id, {", ".join(_COLUMNS)}, refreshed_at)
    {_FACTS_SELECT}
    ON CONFLICT (profile_id) DO UPDATE
       SET {", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)},
           refreshed_at = excluded.refreshed_at
     WHERE ({", ".join(f"t.{c}" for c in _COLUMNS)})
           IS DISTINCT FROM ({", ".join(f"excluded.{c}" for c in _COLUMNS)})
"""

#: rows of the scope whose profile is gone or whose resident is no longer in the scope
_DELETE = """
    DELETE FROM matching_candidatefacts f
     WHERE {fact_scope}
       AND NOT EXISTS (SELECT 1 FROM matching_profile p
                         JOIN caseload_resident r ON r.id = p.resident_id
                        WHERE p.id = f.profile_id AND {scope})
"""


@dataclass(frozen=True)
class FactsRefresh:
    written: int
    deleted: int


def candidate_facts_refresh(
    *, municipality_id: int | None = None, resident_ids: Iterable[int] | None = None
) -> FactsRefresh:
    """Rewrite the candidate facts of one municipality, of some residents, or (neither given) of
    the whole region: one upsert that skips unchanged rows and one delete. Atomic; safe to run
    twice and concurrently (the upsert locks only the rows it changes)."""
    params: dict[str, object] = {}
    if resident_ids is not None:
        params["ids"] = sorted(set(resident_ids))
        if not params["ids"]:
            return FactsRefresh(0, 0)
        scope = "r.id = ANY(%(ids)s::bigint[])"
        fact_scope = "f.resident_id = ANY(%(ids)s::bigint[])"
    elif municipality_id is not None:
        params["m"] = municipality_id
        scope = "r.municipality_id = %(m)s"
        fact_scope = "f.municipality_id = %(m)s"
    else:
        scope = fact_scope = "true"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(scope=scope), params)
        written = cursor.rowcount
        cursor.execute(_DELETE.format(scope=scope, fact_scope=fact_scope), params)
        deleted = cursor.rowcount
    return FactsRefresh(written, deleted)


def facts_select_sql(scope: str = "true") -> str:
    """The facts as the refresh would write them now (tests compare the table with it)."""
    return _FACTS_SELECT.format(scope=scope)


# --------------------------------------------------------------------------------------------
# Stored scores
# --------------------------------------------------------------------------------------------


def stored_matches_refresh(*, top: int = STORED_TOP) -> int:
    """Score every open vacancy against the candidate facts (running benefit, an active consent,
    the whole region) in one pass and keep each vacancy's top ``top`` (the candidate list's
    order: score, then resident), with per vacancy the number of candidates in its ISCO
    sub-major group (an occupation credit above 0) and how many of the new top 10 were not in
    the previous top 10 (NULL the first time). Returns the number of open vacancies."""
    from .ranking import facts_scored_sql

    scored = facts_scored_sql(
        vacancies="SELECT v.id FROM employers_vacancy v WHERE v.status = 'open'",
        per_vacancy_limit="%(top)s",
        many=True,
    )
    statements = [
        # the one scoring pass
        "DROP TABLE IF EXISTS matching_refresh_scored",
        f"""CREATE TEMP TABLE matching_refresh_scored ON COMMIT DROP AS
            SELECT vacancy_id, profile_id, resident_id, municipality_id, score,
                   rank_in_vacancy AS rank
              FROM ({scored}) s""",
        # candidates per ISCO sub-major group: one pass over the facts, not over the pairs
        f"""CREATE TEMP TABLE matching_refresh_counts ON COMMIT DROP AS
            WITH cand AS (
                SELECT f.profile_id, f.sought2 || f.experience2 AS groups
                  FROM matching_candidatefacts f
                 WHERE f.running AND EXISTS (
                       SELECT 1 FROM matching_consent c
                        WHERE c.resident_id = f.resident_id
                          AND c.scope = '{ConsentScope.PROPOSE}' AND c.withdrawn_at IS NULL)
            ),
            per_group AS (
                SELECT g, count(DISTINCT profile_id) AS n
                  FROM cand, unnest(groups) g GROUP BY g
            )
            SELECT v.id AS vacancy_id, coalesce(pg.n, 0) AS candidates
              FROM employers_vacancy v
              JOIN employers_occupation o ON o.id = v.occupation_id
              LEFT JOIN per_group pg ON pg.g = left(o.code, 2)
             WHERE v.status = 'open'""",
        """INSERT INTO matching_vacancymatchsummary AS t
                  (vacancy_id, candidates, new_in_top10, refreshed_at)
           SELECT c.vacancy_id, c.candidates,
                  CASE WHEN EXISTS (SELECT 1 FROM matching_storedmatch sm
                                     WHERE sm.vacancy_id = c.vacancy_id)
                  THEN (SELECT count(*) FROM matching_refresh_scored s
                         WHERE s.vacancy_id = c.vacancy_id AND s.rank <= 10
                           AND NOT EXISTS (
                               SELECT 1 FROM matching_storedmatch sm
                                WHERE sm.vacancy_id = s.vacancy_id AND sm.rank <= 10
                                  AND sm.resident_id = s.resident_id))
                  END,
                  now()
             FROM matching_refresh_counts c
           ON CONFLICT (vacancy_id) DO UPDATE
              SET candidates = excluded.candidates, new_in_top10 = excluded.new_in_top10,
                  refreshed_at = excluded.refreshed_at""",
        """DELETE FROM matching_vacancymatchsummary ms
            WHERE NOT EXISTS (SELECT 1 FROM matching_refresh_counts c
                               WHERE c.vacancy_id = ms.vacancy_id)""",
        "DELETE FROM matching_storedmatch",
        """INSERT INTO matching_storedmatch
                  (vacancy_id, profile_id, resident_id, municipality_id, score, rank,
                   refreshed_at)
           SELECT vacancy_id, profile_id, resident_id, municipality_id, score, rank, now()
             FROM matching_refresh_scored""",
        "SELECT count(*) FROM matching_refresh_counts",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"top": top} if "%(" in statement else None)
        (vacancies,) = cursor.fetchone()
        cursor.execute("DROP TABLE matching_refresh_scored, matching_refresh_counts")
    return int(vacancies)
