# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""The preloaded indicators (DOMAIN.md section 4) that can be computed from the case records.

Each function returns the *facts* SQL (see :mod:`indicators.registry`). Conventions used below:

* a benefit is open on a date ``x`` when ``start_date <= x`` and ``end_date`` is empty or after
  ``x`` (the end date is the day the benefit stops);
* a trajectory or group assignment is current on ``x`` in the same way;
* ``ref_date`` is the period end, or today for a running period (so the year figure of the
  current year is year-to-date);
* the team is the resident's current team, the district that of the household.

Every definition is one set-based statement over all periods at once: no per-resident loops.
Each code has an entry in ``docs/indicators.md``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .registry import (
    COUNT_DEN,
    POP_15_64,
    POP_18_PLUS,
    SUM_NUM,
    Direction,
    PeriodKind,
    Unit,
    indicator_register,
    shared_relation_register,
)

# Reusable fragments ----------------------------------------------------------------------------

_BENEFIT_OPEN_AT_REF = """
    JOIN caseload_benefit b
      ON b.start_date <= p.ref_date AND (b.end_date IS NULL OR b.end_date > p.ref_date)
    JOIN caseload_household h ON h.id = b.household_id
    JOIN caseload_resident r ON r.id = b.applicant_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id
"""

_RESIDENT_DIMS = """
    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id
"""

_DIMS_TEAM_DISTRICT = "t.name AS team, coalesce(d.name, 'onbekend') AS district"
_GROUP_DIM = "coalesce('Groep ' || g.\"group\", 'geen groep') AS \"group\""

# Shared relations (see indicators.registry): computed once per fill for the indicators that
# declare them in ``uses``.

#: every benefit open at each period's reference date, with the applicant's team and the
#: household's district (one row per period and benefit)
shared_relation_register(
    "open_benefits",
    f"""
    WITH benefit AS MATERIALIZED (
        -- the dimensions joined once per benefit (not once per period and benefit), only for
        -- the benefits that can be open on one of the reference dates
        SELECT b.id, b.household_id, b.applicant_id, b.regime, b.start_date, b.end_date,
               {_DIMS_TEAM_DISTRICT}
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
    """,
)

#: each resident's group on each period's reference date: the latest assignment current then
#: (one row per period and resident with a current assignment)
shared_relation_register(
    "group_at_ref",
    """
    SELECT DISTINCT ON (p.period_start, p.period_end, ga.resident_id)
           p.period_start, p.period_end, ga.resident_id, ga."group"
      FROM periods p
      JOIN caseload_groupassignment ga
        ON ga.decided_on <= p.ref_date AND (ga.ended_on IS NULL OR ga.ended_on > p.ref_date)
     ORDER BY p.period_start, p.period_end, ga.resident_id, ga.decided_on DESC, ga.id DESC
    """,
)

_OPEN_GROUP = """
    LEFT JOIN group_at_ref g
      ON g.period_start = ob.period_start AND g.period_end = ob.period_end
     AND g.resident_id = ob.resident_id
"""

# A full outflow is not counted when the household is back on benefit within the return window
# (DOMAIN.md section 4, counting conventions; OUTFLOW_RETURN_WINDOW_DAYS).
_NOT_RETURNED = """
    NOT (o.kind = 'volledig' AND EXISTS (
        SELECT 1 FROM caseload_benefit nb
         WHERE nb.household_id = b.household_id
           AND nb.start_date > o.occurred_on
           AND nb.start_date <= o.occurred_on + %(return_window)s
    ))
"""

_OUTFLOW_TO_WORK = f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, o.id AS num_key, {_DIMS_TEAM_DISTRICT},
           b.regime AS regime, o.kind AS kind
      FROM periods p
      JOIN caseload_outflowevent o
        ON o.occurred_on BETWEEN p.period_start AND p.ref_date AND o.reason = 'werk'
      JOIN caseload_benefit b ON b.id = o.benefit_id
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = o.resident_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s AND {_NOT_RETURNED}
"""


# Outflow ---------------------------------------------------------------------------------------


@indicator_register(
    code="outflow.to_work",
    label=_("Uitstroom naar werk"),
    definition=_(
        "Aantal keren dat een inwoner volledig of gedeeltelijk uit de uitkering gaat vanwege "
        "werk: volledige uitstroom, gedeeltelijke uitstroom (deeltijdwerk met aanvullende "
        "uitkering) en urenuitbreiding tellen alle drie mee (Hilversumse definitie). Wie binnen "
        "de terugkeertermijn weer een uitkering krijgt, telt niet als uitstroom."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime", "kind"),
    is_flow=True,
    source="Uitstroomregistratie (uitstroom met reden werk)",
    order=10,
)
def outflow_to_work() -> str:
    return _OUTFLOW_TO_WORK


@indicator_register(
    code="outflow.regular_work",
    label=_("Uitstroom naar regulier werk"),
    definition=_(
        "Aantal personen dat (volledig of gedeeltelijk) uitstroomt naar werk zonder subsidie "
        "zoals loonkostensubsidie. Een persoon telt één keer per periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    source="Uitstroomregistratie (werk, niet gesubsidieerd)",
    order=20,
)
def outflow_regular_work() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, o.resident_id AS num_key, {_DIMS_TEAM_DISTRICT},
           b.regime AS regime
      FROM periods p
      JOIN caseload_outflowevent o
        ON o.occurred_on BETWEEN p.period_start AND p.ref_date
       AND o.reason = 'werk' AND NOT o.is_subsidised
      JOIN caseload_benefit b ON b.id = o.benefit_id
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = o.resident_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s AND {_NOT_RETURNED}
    """


@indicator_register(
    code="outflow.pct_caseload",
    label=_("Uitstroom als percentage van het bestand"),
    definition=_(
        "Uitkeringen die in de periode zijn beëindigd (om welke reden ook), als percentage van "
        "alle uitkeringen die in de periode liepen (bestand aan het begin plus instroom)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Uitkeringsadministratie (begin- en einddatum)",
    run_rate_forecast=True,
    order=30,
)
def outflow_pct_caseload() -> str:
    # dimensions joined once per benefit, then the benefits fanned out to the periods
    return f"""
    WITH benefit AS MATERIALIZED (
        SELECT b.id, b.applicant_id, b.regime, b.start_date, b.end_date, {_DIMS_TEAM_DISTRICT}
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
    """


# Caseload --------------------------------------------------------------------------------------


@indicator_register(
    code="caseload.size",
    label=_("Aantal uitkeringen (bestand)"),
    definition=_(
        "Aantal lopende uitkeringen (huishoudens) op de laatste dag van de periode, of vandaag "
        "voor een lopende periode. Ook de Amersfoortse indicator 'aantal uitkeringen bijstand'."
    ),
    unit=Unit.COUNT,
    direction=Direction.LOWER,
    dimensions=("team", "district", "regime", "group"),
    source="Uitkeringsadministratie",
    uses=("open_benefits", "group_at_ref"),
    order=40,
)
def caseload_size() -> str:
    return f"""
    SELECT ob.period_start, ob.period_end, ob.resident_id, ob.benefit_id AS num_key, ob.team,
           ob.district, ob.regime, {_GROUP_DIM}
      FROM open_benefits ob
      {_OPEN_GROUP}
    """


@indicator_register(
    code="caseload.parttime_share",
    label=_("Deeltijdwerk met aanvullende uitkering"),
    definition=_(
        "Aandeel van de lopende uitkeringen aan het eind van de periode waarop in de laatste "
        "maand van de periode inkomsten uit (deeltijd)werk zijn verrekend."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime"),
    denominator_sql=COUNT_DEN,
    source="Betalingen (verrekende inkomsten)",
    uses=("open_benefits",),
    order=50,
)
def caseload_parttime_share() -> str:
    return """
    SELECT ob.period_start, ob.period_end, ob.resident_id,
           CASE WHEN bp.id IS NOT NULL THEN ob.benefit_id END AS num_key,
           ob.benefit_id AS den_key, ob.team, ob.district, ob.regime
      FROM open_benefits ob
      LEFT JOIN caseload_benefitpayment bp
        ON bp.benefit_id = ob.benefit_id AND bp.month = date_trunc('month', ob.ref_date)::date
       AND bp.income_offset > 0
    """


# Working with support, participation, sheltered work -------------------------------------------

_OPEN_TRAJECTORY_AT_REF = """
    JOIN caseload_trajectory tr
      ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
    JOIN caseload_instrument i ON i.id = tr.instrument_id
    JOIN caseload_resident r ON r.id = tr.resident_id
"""


@indicator_register(
    code="support.working_with_support",
    label=_("Werken met ondersteuning (Participatiewet)"),
    definition=_(
        "Aantal personen met een lopend instrument dat telt als werken met ondersteuning "
        "(loonkostensubsidie, nieuw beschut werk, garantiebaan, basisbaan, jobcoaching) op de "
        "laatste dag van de periode. De oude Wsw telt niet mee (zie de Wsw-indicatoren)."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "instrument"),
    source="Trajecten (instrumentencatalogus: telt als werken met ondersteuning)",
    order=60,
)
def support_working_with_support() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key, {_DIMS_TEAM_DISTRICT},
           i.name AS instrument
      FROM periods p
      {_OPEN_TRAJECTORY_AT_REF}
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
       AND i.is_working_with_support AND i.category <> 'wsw'
    """


@indicator_register(
    code="group3.participation",
    label=_("Participatie van wie (nog) niet kan werken"),
    definition=_(
        "Aandeel van de inwoners in groep 3 (nu geen perspectief op werk) op de laatste dag van "
        "de periode dat dan een lopende participatieactiviteit heeft (vrijwilligerswerk, "
        "sociale activering, dagbesteding, participatieplaats)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    denominator_sql=COUNT_DEN,
    source="Groepsindeling en trajecten",
    order=70,
)
def group3_participation() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_trajectory tr
                 JOIN caseload_instrument i ON i.id = tr.instrument_id
                WHERE tr.resident_id = r.id AND i.is_participation
                  AND tr.started_on <= p.ref_date
                  AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
           ) THEN r.id END AS num_key,
           r.id AS den_key, {_DIMS_TEAM_DISTRICT}
      FROM periods p
      JOIN caseload_groupassignment ga
        ON ga."group" = 3 AND ga.decided_on <= p.ref_date
       AND (ga.ended_on IS NULL OR ga.ended_on > p.ref_date)
      JOIN caseload_resident r ON r.id = ga.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
    """


def _instrument_count(where: str) -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key, {_DIMS_TEAM_DISTRICT}
      FROM periods p
      {_OPEN_TRAJECTORY_AT_REF}
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND {where}
    """


@indicator_register(
    code="beschut.quota",
    label=_("Nieuw beschut werk tegenover het quotum"),
    definition=_(
        "Aantal personen met een lopende plek nieuw beschut werk op de laatste dag van de "
        "periode. De streefwaarde is het door het Rijk vastgestelde quotum."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (SRG-soort beschut werk)",
    order=80,
)
def beschut_quota() -> str:
    return _instrument_count("i.srg_type = 'beschut'")


@indicator_register(
    code="wsw.detachering",
    label=_("Wsw gedetacheerd"),
    definition=_(
        "Aantal Wsw-medewerkers met een lopende detachering op de laatste dag van de periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (instrument Wsw detachering)",
    order=90,
)
def wsw_detachering() -> str:
    return _instrument_count("i.code = 'wsw_detachering'")


@indicator_register(
    code="wsw.begeleid_werken",
    label=_("Wsw begeleid werken"),
    definition=_(
        "Aantal Wsw-medewerkers met een lopende plek begeleid werken bij een reguliere "
        "werkgever op de laatste dag van de periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (instrument Wsw begeleid werken)",
    order=100,
)
def wsw_begeleid_werken() -> str:
    return _instrument_count("i.code = 'wsw_begeleid_werken'")


# Contact ---------------------------------------------------------------------------------------


@indicator_register(
    code="contact.in_beeld",
    label=_("Bestand in beeld (gesproken in de laatste 12 maanden)"),
    definition=_(
        "Aandeel van de lopende uitkeringen op de laatste dag van de periode waarvan de "
        "aanvrager in de 12 maanden daarvoor (tot en met die dag) een contactmoment had "
        "(Kansen in Kaart)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "group"),
    denominator_sql=COUNT_DEN,
    source="Contactmomenten",
    uses=("open_benefits", "group_at_ref"),
    order=110,
)
def contact_in_beeld() -> str:
    return f"""
    SELECT ob.period_start, ob.period_end, ob.resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_contactmoment c
                WHERE c.resident_id = ob.resident_id AND c.occurred_on <= ob.ref_date
                  AND c.occurred_on > (ob.ref_date - interval '12 months')
           ) THEN ob.benefit_id END AS num_key,
           ob.benefit_id AS den_key, ob.team, ob.district, {_GROUP_DIM}
      FROM open_benefits ob
      {_OPEN_GROUP}
    """


# Prevention and inflow -------------------------------------------------------------------------


@indicator_register(
    code="prevention.inflow_per_application",
    label=_("Instroom per aanvraag bij verhoogd risico"),
    definition=_(
        "Van de aanvragen met een verhoogd risicoprofiel waarop in de periode is besloten: het "
        "percentage dat tot een uitkering leidde (toegekend)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.LOWER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Aanvragen (risicoprofiel en uitkomst)",
    order=120,
)
def prevention_inflow_per_application() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN a.outcome = 'toegekend' THEN a.id END AS num_key,
           a.id AS den_key, {_DIMS_TEAM_DISTRICT}, a.regime AS regime
      FROM periods p
      JOIN caseload_application a
        ON a.decided_on BETWEEN p.period_start AND p.ref_date AND a.risk_profile = 'verhoogd'
      JOIN caseload_resident r ON r.id = a.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
    """


@indicator_register(
    code="prevention.prevented_vs_inflow",
    label=_("Voorkomen uitkeringen tegenover de instroom"),
    definition=_(
        "Aantal aanvragen dat in de periode is voorkomen (werk of een voorliggende voorziening), "
        "als percentage van het aantal toegekende aanvragen in dezelfde periode (Amersfoort)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team",),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Aanvragen (uitkomst)",
    order=125,
)
def prevention_prevented_vs_inflow() -> str:
    return """
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
    """


# Enforcement -----------------------------------------------------------------------------------


@indicator_register(
    code="enforcement.fraud_effect",
    label=_("Fraudeonderzoeken met effect"),
    definition=_(
        "Van de fraudeonderzoeken die in de periode zijn afgesloten: het percentage dat leidde "
        "tot beëindiging of aanpassing van de uitkering."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "result"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Fraudeonderzoeken",
    order=130,
)
def enforcement_fraud_effect() -> str:
    return """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN fi.result IN ('beeindigd', 'aangepast') THEN fi.id END AS num_key,
           fi.id AS den_key, t.name AS team, fi.result AS result
      FROM periods p
      JOIN caseload_fraudinvestigation fi ON fi.ended_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = fi.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
    """


# Status holders --------------------------------------------------------------------------------


@indicator_register(
    code="statushouders.with_plan",
    label=_("Statushouders met een plan (trajecten als benadering)"),
    definition=_(
        "Aandeel van de statushouders in een huishouden met een lopende uitkering dat op de "
        "laatste dag van de periode ooit een re-integratietraject is gestart. Benadering: het "
        "plan van aanpak zelf wordt nog niet vastgelegd; een gestart traject geldt als plan."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    denominator_sql=COUNT_DEN,
    source="Inwoners (statushouder), uitkeringen en trajecten",
    order=140,
)
def statushouders_with_plan() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN EXISTS (
               SELECT 1 FROM caseload_trajectory tr
                WHERE tr.resident_id = r.id AND tr.started_on <= p.ref_date
           ) THEN r.id END AS num_key,
           r.id AS den_key, {_DIMS_TEAM_DISTRICT}
      FROM periods p
      JOIN caseload_resident r ON r.is_status_holder
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
       AND EXISTS (
           SELECT 1 FROM caseload_benefit b
            WHERE b.household_id = r.household_id AND b.start_date <= p.ref_date
              AND (b.end_date IS NULL OR b.end_date > p.ref_date)
       )
    """


# The Amersfoort table --------------------------------------------------------------------------


@indicator_register(
    code="amersfoort.inflow",
    label=_("Instroom in de uitkering"),
    definition=_(
        "Aantal uitkeringen dat in de periode is ingegaan. Een huishouden dat binnen de "
        "terugkeertermijn na het einde van een vorige uitkering terugkomt, telt niet als "
        "nieuwe instroom."
    ),
    unit=Unit.COUNT,
    direction=Direction.LOWER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    source="Uitkeringsadministratie (ingangsdatum)",
    order=150,
)
def amersfoort_inflow() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, b.id AS num_key, {_DIMS_TEAM_DISTRICT},
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
              AND pb.end_date IS NOT NULL
              AND pb.end_date < b.start_date
              AND pb.end_date >= b.start_date - %(return_window)s
       )
    """


@indicator_register(
    code="amersfoort.outflow_to_work_pct",
    label=_("Percentage uitstroom naar werk"),
    definition=_(
        "Van de uitkeringen die in de periode zijn beëindigd: het percentage met als reden werk "
        "in loondienst of als zelfstandige (CBS-redenen 11 en 13)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "regime"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Uitkeringsadministratie (reden beëindiging)",
    order=155,
)
def amersfoort_outflow_to_work_pct() -> str:
    return """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN b.end_reason IN ('11', '13') THEN b.id END AS num_key,
           b.id AS den_key, t.name AS team, b.regime AS regime
      FROM periods p
      JOIN caseload_benefit b ON b.end_date BETWEEN p.period_start AND p.ref_date
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE h.municipality_id = %(municipality_id)s
    """


@indicator_register(
    code="amersfoort.ladder_climbing",
    label=_("Langdurige uitkering en stijging op de participatieladder"),
    definition=_(
        "Van de aanvragers die op de laatste dag van de periode langer dan een jaar een "
        "uitkering hebben en zowel vóór de periode als in de periode op de participatieladder "
        "zijn gemeten: het percentage van wie de laatste meting in de periode hoger is dan de "
        "laatste meting daarvoor."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    denominator_sql=COUNT_DEN,
    source="Participatieladder-scores en uitkeringen",
    order=160,
)
def amersfoort_ladder_climbing() -> str:
    # Driven from the residents measured in the period (the latest score per period and
    # resident, DISTINCT ON), not from every long-term benefit: only those can be counted.
    return f"""
    WITH after_ AS (
        SELECT DISTINCT ON (p.period_start, p.period_end, ls.resident_id)
               p.period_start, p.period_end, p.ref_date, ls.resident_id, ls.step
          FROM periods p
          JOIN caseload_ladderscore ls
            ON ls.measured_on BETWEEN p.period_start AND p.ref_date
         ORDER BY p.period_start, p.period_end, ls.resident_id, ls.measured_on DESC
    )
    SELECT a.period_start, a.period_end, r.id AS resident_id,
           CASE WHEN a.step > before_.step THEN r.id END AS num_key,
           r.id AS den_key, {_DIMS_TEAM_DISTRICT}
      FROM after_ a
      JOIN caseload_resident r ON r.id = a.resident_id
      {_RESIDENT_DIMS}
      JOIN LATERAL (
          SELECT ls.step FROM caseload_ladderscore ls
           WHERE ls.resident_id = r.id AND ls.measured_on < a.period_start
           ORDER BY ls.measured_on DESC LIMIT 1
      ) before_ ON true
     WHERE h.municipality_id = %(municipality_id)s
       AND EXISTS (
           SELECT 1 FROM caseload_benefit b
            WHERE b.applicant_id = r.id
              AND b.start_date <= a.ref_date - interval '1 year'
              AND (b.end_date IS NULL OR b.end_date > a.ref_date)
       )
    """


@indicator_register(
    code="amersfoort.debt_applications",
    label=_("Aanvragen schuldhulpverlening"),
    definition=_("Aantal aanmeldingen voor schuldhulpverlening in de periode."),
    unit=Unit.COUNT,
    direction=Direction.LOWER,
    dimensions=("team", "district"),
    is_flow=True,
    source="Schuldhulptrajecten (datum aanmelding)",
    order=170,
)
def amersfoort_debt_applications() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, dc.id AS num_key, {_DIMS_TEAM_DISTRICT}
      FROM periods p
      JOIN caseload_debtcase dc ON dc.applied_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = dc.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
    """


@indicator_register(
    code="amersfoort.debt_settled",
    label=_("Schuldregeling succesvol afgerond"),
    definition=_(
        "Van de schuldhulptrajecten die in de periode zijn afgesloten: het percentage dat is "
        "afgesloten met een schuldregeling."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "result"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Schuldhulptrajecten (resultaat)",
    order=180,
)
def amersfoort_debt_settled() -> str:
    return """
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           CASE WHEN dc.result = 'schuldregeling' THEN dc.id END AS num_key,
           dc.id AS den_key, t.name AS team, dc.result AS result
      FROM periods p
      JOIN caseload_debtcase dc ON dc.closed_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = dc.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
    """


# BBV (waarstaatjegemeente) ---------------------------------------------------------------------


@indicator_register(
    code="bbv.bijstand_per_10k",
    label=_("Personen met bijstand per 10.000 inwoners van 18 jaar en ouder"),
    definition=_(
        "Aantal personen van 18 jaar en ouder in een huishouden met een lopende algemene "
        "bijstandsuitkering (Participatiewet) op de laatste dag van de periode, per 10.000 "
        "inwoners van 18 jaar en ouder (bevolking uit de gemeentejaargegevens)."
    ),
    unit=Unit.PER_10K,
    direction=Direction.LOWER,
    dimensions=("district",),
    denominator_sql=POP_18_PLUS,
    source="Uitkeringen en huishoudleden; bevolking: gemeentejaar (handmatig, CBS)",
    uses=("open_benefits",),
    order=190,
)
def bbv_bijstand_per_10k() -> str:
    return """
    SELECT ob.period_start, ob.period_end, m.id AS resident_id, m.id AS num_key, ob.district
      FROM open_benefits ob
      JOIN caseload_resident m ON m.household_id = ob.household_id
       AND m.birth_date <= (ob.ref_date - interval '18 years')
     WHERE ob.regime = 'pw'
    """


@indicator_register(
    code="bbv.reintegration_per_10k",
    label=_("Lopende re-integratievoorzieningen per 10.000 inwoners van 15 tot 65 jaar"),
    definition=_(
        "Aantal lopende re-integratievoorzieningen (trajecten met een CBS SRG-soort: "
        "loonkostensubsidie, beschut werk, participatieplaats, WIW/ID-baan, overige) van "
        "inwoners van 15 tot 65 jaar op de laatste dag van de periode, per 10.000 inwoners van "
        "15 tot 65 jaar."
    ),
    unit=Unit.PER_10K,
    direction=Direction.HIGHER,
    dimensions=("instrument",),
    denominator_sql=POP_15_64,
    source="Trajecten (SRG-soort); bevolking: gemeentejaar (handmatig, CBS)",
    order=200,
)
def bbv_reintegration_per_10k() -> str:
    return """
    SELECT p.period_start, p.period_end, r.id AS resident_id, tr.id AS num_key, i.name AS instrument
      FROM periods p
      JOIN caseload_trajectory tr
        ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
      JOIN caseload_instrument i ON i.id = tr.instrument_id AND i.srg_type <> ''
      JOIN caseload_resident r ON r.id = tr.resident_id
       AND r.birth_date <= (p.ref_date - interval '15 years')
       AND r.birth_date > (p.ref_date - interval '65 years')
     WHERE r.municipality_id = %(municipality_id)s
    """


# Manual input ----------------------------------------------------------------------------------


@indicator_register(
    code="bbv.netto_arbeidsparticipatie",
    label=_("Netto arbeidsparticipatie"),
    definition=_(
        "Werkzame beroepsbevolking als percentage van de bevolking van 15 tot 75 jaar (CBS). "
        "Handmatige invoer per jaar met bron en datum."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    period_kinds=(PeriodKind.YEAR,),
    numerator_sql=SUM_NUM,
    denominator_sql="NULL",
    manual=True,
    source="CBS via waarstaatjegemeente.nl (handmatige invoer)",
    order=210,
)
def bbv_netto_arbeidsparticipatie() -> str:
    return """
    SELECT p.period_start, p.period_end, NULL::bigint AS resident_id, mv.value AS num_key
      FROM periods p
      JOIN indicators_manualvalue mv
        ON mv.code = 'bbv.netto_arbeidsparticipatie'
       AND mv.municipality_id = %(municipality_id)s
       AND mv.period_start = p.period_start AND mv.period_end = p.period_end
    """
