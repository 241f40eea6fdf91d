# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""The matching's indicators (issue 18), registered with the indicator engine at start-up
(``MatchingConfig.ready``). Each is one set-based facts statement (``indicators.registry``);
each code has an entry in docs/indicators.md.

* ``matching.profile_complete_share``: the share of the caseload (applicants of a running
  benefit) whose digital profile is complete (``matching.calculations.profile_missing``; the date
  it became complete is ``Profile.completed_on``). Target 100 %; Hilversum's 71 % (end 2018) is a
  seed figure.
* ``matching.proposals``, ``matching.placements``: proposals and placements in the period.
* ``matching.vacancies_filled``, ``matching.time_to_fill``: vacancies closed as filled in the
  period, and their average days from opening to closing.
* ``matching.durable_placements``: of the placements whose 6-month follow-up falls in the period
  and is known, the share still off benefit (``OutflowEvent.still_off_benefit_6m``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from indicators.registry import (
    COUNT_DEN,
    SUM_NUM,
    Direction,
    Unit,
    indicator_register,
    islands,
)

_FIRST_START = "(SELECT min(period_start) FROM periods)"
_LAST_REF = "(SELECT max(ref_date) FROM periods)"
_DIMS = "t.name AS team, coalesce(d.name, 'onbekend') AS district"
_RESIDENT_DIMS = """
    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id
"""


@indicator_register(
    code="matching.profile_complete_share",
    label=_("Inwoners met een volledig digitaal profiel"),
    definition=_(
        "Aandeel van de aanvragers van een lopende uitkering op de peildatum met een volledig "
        "digitaal profiel (gezocht beroep, werkervaring of 'geen werkervaring', rijbewijs, "
        "reisafstand en beschikbare uren ingevuld). Het profiel telt vanaf de datum waarop het "
        "volledig werd."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    denominator_sql=COUNT_DEN,
    source="Digitale profielen (matching) en uitkeringen",
    intervals=True,
    order=300,
)
def profile_complete_share() -> str:
    # the denominator: the applicant while one of their benefits runs (a benefit does not run on
    # its end date), their benefits merged into disjoint spans so that overlapping benefits count
    # once; the numerator: the same spans from the day the profile became complete. Interval
    # facts (one row per applicant and span) instead of one row per period and benefit: the
    # facts grow with the applicants, not with applicants x periods (issue 17; the former
    # per-period form is the oracle in tests/indicators/test_municipality_first.py).
    # Issue 19 (12.6x from 40,000 to 400,000 households, measured side by side): the benefits
    # are read by their copied municipality (the applicant's household is the benefit's:
    # benefit_open refuses any other, and neither a resident nor a household moves; the
    # final join still keeps the applicant's municipality) instead of a semi-join with every
    # resident and household; the spans come from the engine's islands(). Same stored rows at
    # both sizes (docs/benchmarks/scale.md, twelfth follow-up).
    return f"""
    WITH applicant AS (
        SELECT b.applicant_id, b.start_date AS lo, b.end_date AS hi
          FROM caseload_benefit b
         WHERE b.start_date <= {_LAST_REF}
           AND (b.end_date IS NULL OR b.end_date > {_FIRST_START})
           AND b.rls_municipality_id = %(municipality_id)s
    ),
    span AS ({islands("SELECT applicant_id, lo, hi FROM applicant", "applicant_id")})
    SELECT r.id AS resident_id, s.lo AS valid_from, s.hi AS valid_to, 0 AS num, 1 AS den,
           {_DIMS}
      FROM span s
      JOIN caseload_resident r ON r.id = s.applicant_id
      {_RESIDENT_DIMS}
     WHERE h.municipality_id = %(municipality_id)s
    UNION ALL
    SELECT r.id, GREATEST(s.lo, mp.completed_on), s.hi, 1, 0, {_DIMS}
      FROM span s
      JOIN matching_profile mp ON mp.resident_id = s.applicant_id AND mp.completed_on < s.hi
      JOIN caseload_resident r ON r.id = s.applicant_id
      {_RESIDENT_DIMS}
     WHERE h.municipality_id = %(municipality_id)s
    """


@indicator_register(
    code="matching.proposals",
    label=_("Voordrachten bij werkgevers"),
    definition=_("Aantal voordrachten van inwoners bij een vacature in de periode."),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    source="Voordrachten (matching)",
    order=301,
)
def proposals() -> str:
    return f"""
    SELECT p.period_start, p.period_end, mp.id AS num_key, r.id AS resident_id, {_DIMS}
      FROM matching_proposal mp
      JOIN periods p ON mp.proposed_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = mp.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
       AND mp.proposed_on BETWEEN {_FIRST_START} AND {_LAST_REF}
    """


@indicator_register(
    code="matching.placements",
    label=_("Plaatsingen via de werkgeversdienstverlening"),
    definition=_(
        "Aantal plaatsingen (na een aangenomen voordracht) met startdatum in de periode. Elke "
        "plaatsing is ook een uitstroom naar werk."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    source="Plaatsingen (matching)",
    order=302,
)
def placements() -> str:
    return f"""
    SELECT p.period_start, p.period_end, pl.id AS num_key, r.id AS resident_id, {_DIMS}
      FROM matching_placement pl
      JOIN periods p ON pl.start_date BETWEEN p.period_start AND p.ref_date
      JOIN matching_proposal mp ON mp.id = pl.proposal_id
      JOIN caseload_resident r ON r.id = mp.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
       AND pl.start_date BETWEEN {_FIRST_START} AND {_LAST_REF}
    """


_FILLED = f"""
      FROM employers_vacancy v
      JOIN employers_employer e ON e.id = v.employer_id
      JOIN periods p ON v.closed_on BETWEEN p.period_start AND p.ref_date
     WHERE e.municipality_id = %(municipality_id)s
       AND v.status = 'vervuld'
       AND v.closed_on BETWEEN {_FIRST_START} AND {_LAST_REF}
"""


@indicator_register(
    code="matching.vacancies_filled",
    label=_("Vervulde vacatures"),
    definition=_(
        "Aantal vacatures van werkgevers in de gemeente dat in de periode als vervuld is "
        "gesloten (met of zonder plaatsing via de werkgeversdienstverlening)."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    is_flow=True,
    source="Vacatures (werkgeversdienstverlening)",
    order=303,
)
def vacancies_filled() -> str:
    return f"""
    SELECT p.period_start, p.period_end, v.id AS num_key, NULL::bigint AS resident_id
      {_FILLED}
    """


@indicator_register(
    code="matching.time_to_fill",
    label=_("Doorlooptijd vervulde vacatures (dagen)"),
    definition=_(
        "Gemiddeld aantal dagen van openstelling tot sluiting van de vacatures die in de "
        "periode als vervuld zijn gesloten."
    ),
    unit=Unit.DAYS,
    direction=Direction.LOWER,
    numerator_sql=SUM_NUM,
    denominator_sql=COUNT_DEN,
    source="Vacatures (werkgeversdienstverlening)",
    order=304,
    period_window=True,
)
def time_to_fill() -> str:
    return f"""
    SELECT p.period_start, p.period_end, (v.closed_on - v.opened_on) AS num_key,
           v.id AS den_key, NULL::bigint AS resident_id
      {_FILLED}
    """


@indicator_register(
    code="matching.durable_placements",
    label=_("Duurzame plaatsingen (na 6 maanden)"),
    definition=_(
        "Van de plaatsingen waarvan de controle na 6 maanden in de periode valt en bekend is: "
        "het aandeel dat na 6 maanden nog uit de uitkering is."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    denominator_sql=COUNT_DEN,
    source="Plaatsingen (matching) en de duurzaamheid van de uitstroom",
    order=305,
    period_window=True,
)
def durable_placements() -> str:
    return """
    SELECT p.period_start, p.period_end,
           CASE WHEN o.still_off_benefit_6m THEN pl.id END AS num_key,
           pl.id AS den_key, r.id AS resident_id
      FROM matching_placement pl
      JOIN caseload_outflowevent o ON o.id = pl.outflow_id
      JOIN matching_proposal mp ON mp.id = pl.proposal_id
      JOIN caseload_resident r ON r.id = mp.resident_id
      JOIN periods p
        ON (pl.start_date + interval '6 months')::date BETWEEN p.period_start AND p.ref_date
     WHERE r.municipality_id = %(municipality_id)s
       AND o.still_off_benefit_6m IS NOT NULL
    """
