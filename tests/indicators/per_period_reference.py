# ruff: noqa: S608, E501
"""The per-period form of the indicators the engine now computes from interval facts
(``intervals=True``): one fact row per counted thing and period, as they were written before the
conversion (commit 21afcbe). Kept as the oracle of ``test_interval_facts.py``: each converted
definition must store exactly the rows of its per-period form."""

#: the shared relation 'group_at_ref' as it was registered then
_GROUP_AT_REF = """
    SELECT DISTINCT ON (p.period_start, p.period_end, ga.resident_id)
           p.period_start, p.period_end, ga.resident_id, ga."group"
      FROM periods p
      JOIN caseload_groupassignment ga
        ON ga.decided_on <= p.ref_date AND (ga.ended_on IS NULL OR ga.ended_on > p.ref_date)
     ORDER BY p.period_start, p.period_end, ga.resident_id, ga.decided_on DESC, ga.id DESC
    """

#: the shared relation 'open_benefits' as it was registered then
_OPEN_BENEFITS = """
    WITH benefit AS MATERIALIZED (
        -- the dimensions joined once per benefit (not once per period and benefit), only for
        -- the benefits that can be open on one of the reference dates
        SELECT b.id, b.household_id, b.applicant_id, b.regime, b.start_date, b.end_date,
               t.name AS team, coalesce(d.name, 'onbekend') AS district
          FROM caseload_benefit b
          JOIN caseload_household h ON h.id = b.household_id
          JOIN caseload_resident r ON r.id = b.applicant_id
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = h.district_id
         WHERE h.municipality_id = %(municipality_id)s
           AND b.start_date <= (SELECT max(ref_date) FROM periods)
           AND (b.end_date IS NULL OR b.end_date > (SELECT min(ref_date) FROM periods))
    )
    SELECT p.period_kind, p.period_start, p.period_end, p.ref_date, b.id AS benefit_id,
           b.household_id, b.applicant_id AS resident_id, b.regime, b.team, b.district
      FROM periods p
      JOIN benefit b
        ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date > p.ref_date)
    """


def _with(*relations: str) -> str:
    return "\n    WITH " + ",\n".join(relations) + "\n"


REFERENCE_SQL = {
    "outflow.to_work": """
    SELECT p.period_start, p.period_end, r.id AS resident_id, o.id AS num_key, t.name AS team, coalesce(d.name, 'onbekend') AS district,
           b.regime AS regime, o.kind AS kind
      FROM periods p
      JOIN caseload_outflowevent o
        ON o.occurred_on BETWEEN p.period_start AND p.ref_date AND o.reason = 'werk'
      JOIN caseload_benefit b ON b.id = o.benefit_id
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = o.resident_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s AND
    NOT (o.kind = 'volledig' AND EXISTS (
        SELECT 1 FROM caseload_benefit nb
         WHERE nb.household_id = b.household_id AND nb.id <> o.benefit_id
           AND nb.regime <> 'lks'
           AND nb.start_date >= o.occurred_on
           AND nb.start_date <= o.occurred_on + %(return_window)s
    ))

""",
    "outflow.pct_caseload": """
    WITH benefit AS MATERIALIZED (
        SELECT b.id, b.applicant_id, b.regime, b.start_date, b.end_date, t.name AS team, coalesce(d.name, 'onbekend') AS district
          FROM caseload_benefit b
          JOIN caseload_household h ON h.id = b.household_id
          JOIN caseload_resident r ON r.id = b.applicant_id
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = h.district_id
         WHERE h.municipality_id = %(municipality_id)s
           AND b.start_date <= (SELECT max(ref_date) FROM periods)
           AND (b.end_date IS NULL OR b.end_date >= (SELECT min(period_start) FROM periods))
    )
    SELECT p.period_start, p.period_end, b.applicant_id AS resident_id,
           CASE WHEN b.end_date BETWEEN p.period_start AND p.ref_date THEN b.id END AS num_key,
           b.id AS den_key, b.team, b.district, b.regime
      FROM periods p
      JOIN benefit b
        ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date >= p.period_start)
    """,
    "caseload.size": _with(
        f"open_benefits AS ({_OPEN_BENEFITS})", f"group_at_ref AS ({_GROUP_AT_REF})"
    )
    + """
    SELECT ob.period_start, ob.period_end, ob.resident_id, ob.benefit_id AS num_key, ob.team,
           ob.district, ob.regime, coalesce('Groep ' || g."group", 'geen groep') AS "group"
      FROM open_benefits ob

    LEFT JOIN group_at_ref g
      ON g.period_start = ob.period_start AND g.period_end = ob.period_end
     AND g.resident_id = ob.resident_id

    """,
    "caseload.parttime_share": _with(f"open_benefits AS ({_OPEN_BENEFITS})")
    + """
    SELECT ob.period_start, ob.period_end, ob.resident_id,
           CASE WHEN bp.id IS NOT NULL THEN ob.benefit_id END AS num_key,
           ob.benefit_id AS den_key, ob.team, ob.district, ob.regime
      FROM open_benefits ob
      LEFT JOIN caseload_benefitpayment bp
        ON bp.benefit_id = ob.benefit_id AND bp.month = date_trunc('month', ob.ref_date)::date
       AND bp.income_offset > 0
    """,
    "caseload.parttime_count": _with(f"open_benefits AS ({_OPEN_BENEFITS})")
    + """
    SELECT ob.period_start, ob.period_end, ob.resident_id, ob.benefit_id AS num_key, ob.team,
           ob.district, ob.regime
      FROM open_benefits ob
      JOIN caseload_benefitpayment bp
        ON bp.benefit_id = ob.benefit_id AND bp.month = date_trunc('month', ob.ref_date)::date
       AND bp.income_offset > 0
    """,
    "group3.participation": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_trajectory tr
                 JOIN caseload_instrument i ON i.id = tr.instrument_id
                WHERE tr.resident_id = r.id AND i.is_participation
                  AND tr.started_on <= p.ref_date
                  AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
           ) THEN r.id END AS num_key,
           r.id AS den_key, t.name AS team, coalesce(d.name, 'onbekend') AS district
      FROM periods p
      JOIN caseload_groupassignment ga
        ON ga."group" = 3 AND ga.decided_on <= p.ref_date
       AND (ga.ended_on IS NULL OR ga.ended_on > p.ref_date)
      JOIN caseload_resident r ON r.id = ga.resident_id

    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id

     WHERE r.municipality_id = %(municipality_id)s
    """,
    "contact.in_beeld": _with(
        f"open_benefits AS ({_OPEN_BENEFITS})", f"group_at_ref AS ({_GROUP_AT_REF})"
    )
    + """
    SELECT ob.period_start, ob.period_end, ob.resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_contactmoment c
                WHERE c.resident_id = ob.resident_id AND c.occurred_on <= ob.ref_date
                  AND c.occurred_on > (ob.ref_date - interval '12 months')
           ) THEN ob.benefit_id END AS num_key,
           ob.benefit_id AS den_key, ob.team, ob.district, coalesce('Groep ' || g."group", 'geen groep') AS "group"
      FROM open_benefits ob

    LEFT JOIN group_at_ref g
      ON g.period_start = ob.period_start AND g.period_end = ob.period_end
     AND g.resident_id = ob.resident_id

    """,
    "prevention.inflow_per_application": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN a.outcome = 'toegekend' THEN a.id END AS num_key,
           a.id AS den_key, t.name AS team, coalesce(d.name, 'onbekend') AS district, a.regime AS regime
      FROM periods p
      JOIN caseload_application a
        ON a.decided_on BETWEEN p.period_start AND p.ref_date AND a.risk_profile = 'verhoogd'
      JOIN caseload_resident r ON r.id = a.resident_id

    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id

     WHERE r.municipality_id = %(municipality_id)s
    """,
    "prevention.prevented_vs_inflow": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN a.outcome = 'voorkomen' THEN a.id END AS num_key,
           CASE WHEN a.outcome = 'toegekend' THEN a.id END AS den_key, t.name AS team
      FROM periods p
      JOIN caseload_application a
        ON a.decided_on BETWEEN p.period_start AND p.ref_date
       AND a.outcome IN ('voorkomen', 'toegekend')
      JOIN caseload_resident r ON r.id = a.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
    """,
    "enforcement.fraud_effect": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN fi.result IN ('beeindigd', 'aangepast') THEN fi.id END AS num_key,
           fi.id AS den_key, t.name AS team, fi.result AS result
      FROM periods p
      JOIN caseload_fraudinvestigation fi ON fi.ended_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = fi.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
    """,
    "statushouders.with_plan": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_trajectory tr
                WHERE tr.resident_id = r.id AND tr.started_on <= p.ref_date
           ) THEN r.id END AS num_key,
           r.id AS den_key, t.name AS team, coalesce(d.name, 'onbekend') AS district
      FROM periods p
      JOIN caseload_resident r ON r.is_status_holder

    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id

     WHERE r.municipality_id = %(municipality_id)s
       AND EXISTS (
           SELECT 1 FROM caseload_benefit b
            WHERE b.household_id = r.household_id AND b.start_date <= p.ref_date
              AND (b.end_date IS NULL OR b.end_date > p.ref_date)
       )
    """,
    "amersfoort.inflow": """
    SELECT p.period_start, p.period_end, r.id AS resident_id, b.id AS num_key, t.name AS team, coalesce(d.name, 'onbekend') AS district,
           b.regime AS regime
      FROM periods p
      JOIN caseload_benefit b ON b.start_date BETWEEN p.period_start AND p.ref_date
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s
       AND NOT EXISTS (
           SELECT 1 FROM caseload_benefit pb
            WHERE pb.household_id = b.household_id AND pb.id <> b.id
              AND pb.regime <> 'lks'
              AND pb.end_date IS NOT NULL
              AND pb.end_date <= b.start_date
              AND pb.end_date >= b.start_date - %(return_window)s
       )
    """,
    "amersfoort.outflow_to_work_pct": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN b.end_reason IN ('11', '13') THEN b.id END AS num_key,
           b.id AS den_key, t.name AS team, b.regime AS regime
      FROM periods p
      JOIN caseload_benefit b ON b.end_date BETWEEN p.period_start AND p.ref_date
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE h.municipality_id = %(municipality_id)s
    """,
    "amersfoort.debt_applications": """
    SELECT p.period_start, p.period_end, r.id AS resident_id, dc.id AS num_key, t.name AS team, coalesce(d.name, 'onbekend') AS district
      FROM periods p
      JOIN caseload_debtcase dc ON dc.applied_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = dc.resident_id

    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id

     WHERE r.municipality_id = %(municipality_id)s
    """,
    "amersfoort.debt_settled": """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN dc.result = 'schuldregeling' THEN dc.id END AS num_key,
           dc.id AS den_key, t.name AS team, dc.result AS result
      FROM periods p
      JOIN caseload_debtcase dc ON dc.closed_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = dc.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
    """,
    "bbv.bijstand_per_10k": _with(f"open_benefits AS ({_OPEN_BENEFITS})")
    + """
    SELECT ob.period_start, ob.period_end, m.id AS resident_id, m.id AS num_key, ob.district
      FROM open_benefits ob
      JOIN caseload_resident m ON m.household_id = ob.household_id
       AND m.birth_date <= (ob.ref_date - interval '18 years')
     WHERE ob.regime = 'pw'
    """,
    "bbv.reintegration_per_10k": """
    SELECT p.period_start, p.period_end, r.id AS resident_id, tr.id AS num_key, i.name AS instrument
      FROM periods p
      JOIN caseload_trajectory tr
        ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
      JOIN caseload_instrument i ON i.id = tr.instrument_id AND i.srg_type <> ''
      JOIN caseload_resident r ON r.id = tr.resident_id
       AND r.birth_date <= (p.ref_date - interval '15 years')
       AND r.birth_date > (p.ref_date - interval '65 years')
     WHERE r.municipality_id = %(municipality_id)s
    """,
    "bbv.kinderen_in_uitkeringsgezinnen": _with(f"open_benefits AS ({_OPEN_BENEFITS})")
    + """
    SELECT ob.period_start, ob.period_end, m.id AS resident_id, m.id AS num_key, ob.district
      FROM open_benefits ob
      JOIN caseload_resident m ON m.household_id = ob.household_id
       AND m.birth_date <= ob.ref_date
       AND m.birth_date > (ob.ref_date - interval '18 years')
     WHERE ob.regime IN ('pw', 'ioaw', 'ioaz', 'bbz_starter')
       -- version 4: the partner, or an applicant of a benefit of the household that started
       -- while they were under 18, is not a child
       AND m.household_role <> 'partner'
       AND NOT EXISTS (
           SELECT 1 FROM caseload_benefit ab
            WHERE ab.applicant_id = m.id AND ab.household_id = m.household_id
              AND ab.regime <> 'lks'
              AND m.birth_date > (ab.start_date - interval '18 years')
       )
    UNION ALL
    -- version 2: a household without a child registered as a member during any of its
    -- bijstand-type benefits counts its recorded number of children (a key per child)
    SELECT ob.period_start, ob.period_end,
           (SELECT min(r.id) FROM caseload_resident r WHERE r.household_id = ob.household_id),
           -(ob.household_id::bigint * 100000 + child.n), ob.district
      FROM open_benefits ob
      JOIN caseload_household h ON h.id = ob.household_id AND h.children_count > 0
      CROSS JOIN generate_series(1, h.children_count) AS child(n)
     WHERE ob.regime IN ('pw', 'ioaw', 'ioaz', 'bbz_starter')
       AND NOT EXISTS (
           SELECT 1 FROM caseload_resident cm
             JOIN caseload_benefit cb ON cb.household_id = cm.household_id
            WHERE cm.household_id = ob.household_id
              AND cb.regime IN ('pw', 'ioaw', 'ioaz', 'bbz_starter')
              AND cm.birth_date < coalesce(cb.end_date, 'infinity'::date)
              AND cm.birth_date > (cb.start_date - interval '18 years')
              AND cm.household_role <> 'partner'
              AND NOT EXISTS (
                  SELECT 1 FROM caseload_benefit ab
                   WHERE ab.applicant_id = cm.id AND ab.household_id = cm.household_id
                     AND ab.regime <> 'lks'
                     AND cm.birth_date > (ab.start_date - interval '18 years')
              )
       )
    """,
    "enforcement.handhaving_ended_share": """
    SELECT p.period_start, p.period_end, b.applicant_id AS resident_id,
           CASE WHEN b.end_reason = '31' OR EXISTS (
               SELECT 1 FROM caseload_fraudinvestigation fi
                 JOIN caseload_resident m ON m.id = fi.resident_id
                WHERE m.household_id = b.household_id AND fi.result = 'beeindigd'
                  AND fi.started_on <= b.end_date AND fi.ended_on >= b.start_date
           ) THEN b.id END AS num_key,
           b.id AS den_key, t.name AS team, coalesce(d.name, 'onbekend') AS district,
           b.regime AS regime
      FROM periods p
      JOIN caseload_benefit b ON b.end_date BETWEEN p.period_start AND p.ref_date
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s
    """,
}


#: the trajectories open on each period's reference date, with their resident's team and
#: district (the per-period facts of the trajectory stocks before their interval facts)
_OPEN_TRAJECTORIES = """
      FROM periods p
      JOIN caseload_trajectory tr
        ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
      JOIN caseload_instrument i ON i.id = tr.instrument_id
      JOIN caseload_resident r ON r.id = tr.resident_id
      JOIN caseload_household h ON h.id = r.household_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE r.municipality_id = %(municipality_id)s
"""
_TEAM_DISTRICT = "t.name AS team, coalesce(d.name, 'onbekend') AS district"


def _instrument_persons(where: str) -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key, {_TEAM_DISTRICT}
      {_OPEN_TRAJECTORIES} AND {where}
    """


REFERENCE_SQL["support.nieuw_beschut_persons"] = _instrument_persons("i.code = 'nieuw_beschut'")
REFERENCE_SQL["support.loonkostensubsidie_persons"] = _instrument_persons(
    "i.code = 'loonkostensubsidie'"
)
REFERENCE_SQL["participation.werkervaringsplaatsen"] = _instrument_persons(
    "i.code = 'werkervaringsplaats'"
)
REFERENCE_SQL["participation.dagbesteding"] = _instrument_persons("i.code = 'dagbesteding'")

#: the matching's profile share as it was before it became interval facts (2beb07e, issue 17)
REFERENCE_SQL["matching.profile_complete_share"] = """
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS den_key,
           CASE WHEN mp.completed_on <= p.ref_date THEN r.id END AS num_key,
           t.name AS team, coalesce(d.name, 'onbekend') AS district
      FROM caseload_benefit b
      JOIN periods p
        ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date > p.ref_date)
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_household h ON h.id = r.household_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
      LEFT JOIN matching_profile mp ON mp.resident_id = r.id
     WHERE h.municipality_id = %(municipality_id)s
       AND b.start_date <= (SELECT max(ref_date) FROM periods)
       AND (b.end_date IS NULL OR b.end_date > (SELECT min(period_start) FROM periods))
"""

#: the Amersfoort figure per 1,000 is the BBV count per 10,000 on another scale (one query)
REFERENCE_SQL["amersfoort.bijstand_per_1000"] = REFERENCE_SQL["bbv.bijstand_per_10k"]

#: support.working_with_support before its interval facts (4 December; as of 7bc8089)
REFERENCE_SQL["support.working_with_support"] = f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key, {_TEAM_DISTRICT},
           i.name AS instrument
      {_OPEN_TRAJECTORIES} AND i.is_working_with_support AND i.category <> 'wsw'
    """

#: the quota and the Wsw counts before their interval facts (4 December; as of 7bc8089)
REFERENCE_SQL["beschut.quota"] = _instrument_persons("i.srg_type = 'beschut'")
REFERENCE_SQL["wsw.detachering"] = _instrument_persons("i.code = 'wsw_detachering'")
REFERENCE_SQL["wsw.begeleid_werken"] = _instrument_persons("i.code = 'wsw_begeleid_werken'")

#: banenafspraak.jobs before its interval facts (4 December; as of 7bc8089): each open job
REFERENCE_SQL["banenafspraak.jobs"] = f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, tr.id AS num_key,
           tr.banenafspraak_sector AS sector, {_TEAM_DISTRICT}
      {_OPEN_TRAJECTORIES} AND tr.banenafspraak_sector <> ''
       AND tr.started_on >= DATE '2015-01-01'
    """
