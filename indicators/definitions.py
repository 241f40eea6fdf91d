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

from caseload.outflow_rule import BIJSTAND_REGIMES_SQL, OUTFLOW_TO_WORK_SQL
from caseload.permissions import CaseloadPermission

from .registry import (
    COUNT_DEN,
    COUNT_UNIQUE_DEN,
    COUNT_UNIQUE_NUM,
    POP_0_17,
    POP_15_64,
    POP_18_PLUS,
    SUM_NUM,
    Direction,
    PeriodKind,
    Unit,
    indicator_register,
    islands,
    shared_relation_register,
)

# Reusable fragments ----------------------------------------------------------------------------

_RESIDENT_DIMS = """
    JOIN caseload_household h ON h.id = r.household_id
    JOIN caseload_team t ON t.id = r.team_id
    LEFT JOIN caseload_district d ON d.id = h.district_id
"""

_DIMS_TEAM_DISTRICT = "t.name AS team, coalesce(d.name, 'onbekend') AS district"
_GROUP_DIM = "coalesce('Groep ' || g.\"group\", 'geen groep') AS \"group\""


def _own(alias: str) -> str:
    """The row ``alias`` belongs to the municipality being filled, by the copy of its
    municipality that row-level security keeps on every table reached through a foreign key
    (``common.rls.COLUMN``, indexed; ``docs/row-level-security.md``). In a regional installation
    a fill reads its municipality's rows of the large tables by that index instead of scanning
    the region's and dropping the others' (issue 17: the smallest municipality of the regional
    bench paid for the whole region's trajectories, applications and benefits in every
    definition). With one municipality it keeps every row and the plans are as before.

    Exact only where the statement keeps the municipality by the same path afterwards (or did
    before): the copy of a resident's row (trajectory, application, group assignment, outflow
    event, ...) is the resident's ``municipality_id``, a benefit's is its household's. Filtering
    per-resident windows and islands by it before they are computed is exact too: a window or
    island is per resident, so dropping whole residents leaves every other resident's rows as
    they were."""
    return f"{alias}.rls_municipality_id = %(municipality_id)s"


# Shared relations (see indicators.registry): computed once per statement (or per fill) for the
# indicators that declare them in ``uses``.

#: the bounds of the reference dates being filled (spans outside them cannot count)
_FIRST_REF = "(SELECT min(ref_date) FROM periods)"
_LAST_REF = "(SELECT max(ref_date) FROM periods)"
_FIRST_START = "(SELECT min(period_start) FROM periods)"

#: every benefit that runs at some time in the periods being filled (open on a reference date,
#: or ended in a period before its reference date), with the applicant's team and the
#: household's district (one row per benefit)
shared_relation_register(
    "benefit_dims",
    f"""
    WITH benefit AS MATERIALIZED (  -- joined in bulk, not per row of what reads it
        SELECT b.id, b.household_id, b.applicant_id, b.regime, b.start_date, b.end_date,
               {_DIMS_TEAM_DISTRICT}
          FROM caseload_benefit b
          JOIN caseload_household h ON h.id = b.household_id
          JOIN caseload_resident r ON r.id = b.applicant_id
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = h.district_id
         WHERE h.municipality_id = %(municipality_id)s AND {_own("b")}
           AND b.start_date <= {_LAST_REF}
           AND (b.end_date IS NULL OR b.end_date >= {_FIRST_START})
    )
    SELECT * FROM benefit
    """,
)

#: each resident's group over time: spans [seg_from, seg_to) in which the latest current
#: assignment (by decision date, then id) is the same; NULL ``group`` before the first decision
#: and between assignments, NULL ``seg_from`` / ``seg_to`` for an open start or end. The spans of
#: a resident with assignments cover all time, so a LEFT JOIN on overlap splits any span of
#: theirs into the pieces with one group each.
shared_relation_register(
    "group_segments",
    f"""
    WITH assignment AS (
        SELECT ga.id, ga.resident_id, ga."group", ga.decided_on, ga.ended_on
          FROM caseload_groupassignment ga
          JOIN caseload_resident r ON r.id = ga.resident_id
         WHERE r.municipality_id = %(municipality_id)s AND {_own("ga")}
    ),
    change AS (  -- the days on which a resident's set of current assignments changes
        SELECT resident_id, decided_on AS on_ FROM assignment
        UNION
        SELECT resident_id, ended_on FROM assignment WHERE ended_on IS NOT NULL
    ),
    span AS (
        SELECT resident_id, on_ AS seg_from,
               lead(on_) OVER (PARTITION BY resident_id ORDER BY on_) AS seg_to
          FROM change
    )
    SELECT s.resident_id, s.seg_from, s.seg_to, cur."group"
      FROM span s
      LEFT JOIN LATERAL (
          SELECT ga."group" FROM caseload_groupassignment ga
           WHERE ga.resident_id = s.resident_id AND ga.decided_on <= s.seg_from
             AND (ga.ended_on IS NULL OR ga.ended_on > s.seg_from)
           ORDER BY ga.decided_on DESC, ga.id DESC
           LIMIT 1
      ) cur ON true
    UNION ALL
    SELECT resident_id, NULL, min(decided_on), NULL FROM assignment GROUP BY resident_id
    """,
)


def _first_day_within(day: str, interval: str) -> str:
    """The first reference date ``x`` with ``x - interval >= day`` (``day`` + ``interval``, or
    the day after when the addition was clipped to a shorter month: 29 February + 1 year), so
    that ``x - interval < day`` exactly for ``x`` before it, as the per-period tests have it."""
    added = f"({day} + interval '{interval}')::date"
    return (
        f"CASE WHEN ({added} - interval '{interval}')::date >= {day} "
        f"THEN {added} ELSE {added} + 1 END"
    )


def _next_period_start(kind: str, day: str) -> str:
    """The first day of the period of kind ``kind`` (a column: month, quarter, year) after the
    one ``day`` is in; NULL when ``day`` is."""
    start = {
        unit: f"(date_trunc('{unit}', {day}::timestamp) + interval '{step}')::date"
        for unit, step in (("month", "1 month"), ("quarter", "3 months"), ("year", "1 year"))
    }
    return (
        f"CASE {kind} WHEN 'month' THEN {start['month']} WHEN 'quarter' THEN {start['quarter']}"
        f" ELSE {start['year']} END"
    )


def _in_period(relation: str, day: str, alias: str) -> str:
    """``relation`` (a name) as ``alias`` with the periods being filled (``p``) that its column
    ``day`` falls in, up to their reference date: joined on the day through the days of the
    periods (a few thousand rows), a hash join instead of a range join of every period with every
    row or a range probe per period (issue 19)."""
    return f"""
      {relation} {alias}
      JOIN (
          SELECT p.period_kind, p.period_start, p.period_end, p.ref_date, d.day::date AS day
            FROM periods p
           CROSS JOIN LATERAL generate_series(
               p.period_start::timestamp, p.ref_date::timestamp, interval '1 day'
           ) AS d(day)
      ) p ON p.day = {alias}.{day}
"""


#: the period kinds being filled, for per-period-kind facts (``intervals``, ``per_period_kind``)
_KINDS = "CROSS JOIN (SELECT DISTINCT period_kind FROM periods) k"


def _event(day: str) -> str:
    """``valid_from`` and ``valid_to`` of an event on ``day``: it counts for the period of kind
    ``k.period_kind`` it falls in, from that day (a running period's reference date is today)."""
    return f"{day} AS valid_from, {_next_period_start('k.period_kind', day)} AS valid_to"


#: a benefit split by its applicant's group: the span in which both hold
_BENEFIT_BY_GROUP = """
      FROM benefit_dims b
      LEFT JOIN group_segments g
        ON g.resident_id = b.applicant_id
       AND (g.seg_to IS NULL OR g.seg_to > b.start_date)
       AND (g.seg_from IS NULL OR b.end_date IS NULL OR g.seg_from < b.end_date)
"""
_BENEFIT_BY_GROUP_FROM = "GREATEST(b.start_date, g.seg_from)"
_BENEFIT_BY_GROUP_TO = "LEAST(b.end_date, g.seg_to)"

# Outflow events looked up per event: how the two per-person outflow indicators read their
# events (issue 19). Each event's benefit, household and resident are looked up through their
# primary keys (``CROSS JOIN LATERAL (...) OFFSET 0``, which the planner cannot turn into a hash
# join), each table's look-ups in the order of its key: the events' narrow rows are sorted by
# the key before each table, so consecutive look-ups read neighbouring index and heap pages
# whatever order the events are stored in (in the order they were recorded, unsorted look-ups
# were random reads: 3x the CPU at 400,000 households). A hash join of the events with those
# tables instead scans all of them (6.6 million rows at 400,000 households for 433,308 events)
# and probes a hash of the events (30 MB, past the CPU's cache) with every row: that grew
# 14-16x in CPU for 10x the data. The look-ups are one per event and table (plus one index probe
# of the household's benefits for the outflow rule,
# :data:`~caseload.outflow_rule.OUTFLOW_TO_WORK_SQL` as it is), and the sorts are of the events.

# A full outflow is not counted when the household is back on benefit within the return window
# (DOMAIN.md section 4, counting conventions; OUTFLOW_RETURN_WINDOW_DAYS).
_OUTFLOW_TO_WORK = f"""
    SELECT k.period_kind, r.id AS resident_id, {{event}}, 1 AS num, 0 AS den,
           {_DIMS_TEAM_DISTRICT}, b.regime AS regime, o.kind AS kind
      FROM caseload_outflowevent o
      {{kinds}}
      JOIN caseload_benefit b ON b.id = o.benefit_id
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = o.resident_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s AND {_own("b")}
       AND o.occurred_on BETWEEN {{first_start}} AND {{last_ref}} AND {OUTFLOW_TO_WORK_SQL}
"""


# Outflow ---------------------------------------------------------------------------------------


@indicator_register(
    code="outflow.to_work",
    label=_("Uitstroom naar werk"),
    definition=_(
        "Aantal keren dat een inwoner volledig of gedeeltelijk uit de uitkering gaat vanwege "
        "werk: volledige uitstroom, gedeeltelijke uitstroom (deeltijdwerk met aanvullende "
        "uitkering) en urenuitbreiding tellen alle drie mee (Hilversumse definitie). Wie binnen "
        "de terugkeertermijn weer een uitkering krijgt (ook een uitkering die op de "
        "uitstroomdatum zelf ingaat), telt niet als uitstroom."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime", "kind"),
    is_flow=True,
    source="Uitstroomregistratie (uitstroom met reden werk)",
    intervals=True,
    per_period_kind=True,
    order=10,
    # 2: a benefit of the household that starts on the outflow day itself is a return within
    # the window (the independent recomputation of 4 December)
    version=2,
)
def outflow_to_work() -> str:
    return _OUTFLOW_TO_WORK.format(
        event=_event("o.occurred_on"), kinds=_KINDS, first_start=_FIRST_START, last_ref=_LAST_REF
    )


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
    # 2: a benefit of the household that starts on the outflow day itself is a return within
    # the window (the independent recomputation of 4 December)
    version=2,
)
def outflow_regular_work() -> str:
    # the counted events once, their dimensions looked up per event ("Outflow events looked up
    # per event" above: the benefits in the events' benefit order, the households and the
    # outflow rule in household order, the residents in resident order), then placed on the
    # periods through the periods' days: one row per event and period kind (issue 19)
    return f"""
    WITH event AS MATERIALIZED (
        -- (no upper bound on the date here: with two bounds from subqueries the planner
        -- expects 1 event in 200, and the periods drop later ones anyway)
        SELECT o.resident_id, o.occurred_on, o.kind, o.reason, o.benefit_id, b.household_id,
               b.regime
          FROM (
              SELECT o.id, o.resident_id, o.benefit_id, o.occurred_on, o.kind, o.reason
                FROM caseload_outflowevent o
               WHERE o.occurred_on >= {_FIRST_START} AND o.reason = 'werk'
                 AND NOT o.is_subsidised
                 AND {_own("o")}
               ORDER BY o.benefit_id
          ) o
          CROSS JOIN LATERAL (
              SELECT b.household_id, b.regime FROM caseload_benefit b
               WHERE b.id = o.benefit_id AND o.id IS NOT NULL  -- (o.id: not memoized)
              OFFSET 0
          ) b
    ),
    in_household AS MATERIALIZED (
        SELECT o.resident_id, o.occurred_on, o.regime, b.district_id
          FROM (SELECT * FROM event ORDER BY household_id) o
          CROSS JOIN LATERAL (
              SELECT h.id AS household_id, h.municipality_id, h.district_id
                FROM caseload_household h WHERE h.id = o.household_id
              OFFSET 0
          ) b
         WHERE b.municipality_id = %(municipality_id)s AND {OUTFLOW_TO_WORK_SQL}
    ),
    counted AS MATERIALIZED (
        SELECT o.resident_id, o.occurred_on, t.name AS team,
               coalesce(d.name, 'onbekend') AS district, o.regime
          FROM (SELECT * FROM in_household ORDER BY resident_id) o
          CROSS JOIN LATERAL (
              SELECT r.team_id FROM caseload_resident r WHERE r.id = o.resident_id OFFSET 0
          ) r
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = o.district_id
    )
    SELECT p.period_start, p.period_end, o.resident_id, o.resident_id AS num_key, o.team,
           o.district, o.regime
      FROM {_in_period("counted", "occurred_on", "o")}
    """


@indicator_register(
    code="outflow.pct_caseload",
    label=_("Uitstroom als percentage van het bestand"),
    definition=_(
        "Uitkeringen die in de periode zijn beëindigd (om welke reden ook: ook overlijden, "
        "verhuizing en pensioen), als percentage van alle uitkeringen die in de periode liepen "
        "(bestand aan het begin plus instroom; een uitkering die op de eerste dag van de "
        "periode eindigt, hoort erbij)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Uitkeringsadministratie (begin- en einddatum)",
    run_rate_forecast=True,
    uses=("benefit_dims",),
    intervals=True,
    per_period_kind=True,
    order=30,
)
def outflow_pct_caseload() -> str:
    # per period kind: the denominator is each benefit from its start until the start of the
    # period after the one it ended in (it ran in every period in between); the numerator is
    # the ended benefit from its end date until that same boundary (it ended in that period)
    after_end = _next_period_start("k.period_kind", "b.end_date")
    return f"""
    SELECT k.period_kind, b.applicant_id AS resident_id, b.start_date AS valid_from,
           {after_end} AS valid_to, 0 AS num, 1 AS den, b.team, b.district, b.regime
      FROM benefit_dims b
      {_KINDS}
    UNION ALL
    SELECT k.period_kind, b.applicant_id, b.end_date, {after_end}, 1, 0, b.team, b.district,
           b.regime
      FROM benefit_dims b
      {_KINDS}
     WHERE b.end_date IS NOT NULL
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
    uses=("benefit_dims", "group_segments"),
    intervals=True,
    order=40,
)
def caseload_size() -> str:
    # one span per benefit and group of its applicant while it runs
    return f"""
    SELECT b.applicant_id AS resident_id, {_BENEFIT_BY_GROUP_FROM} AS valid_from,
           {_BENEFIT_BY_GROUP_TO} AS valid_to, 1 AS num, 0 AS den, b.team, b.district,
           b.regime, {_GROUP_DIM}
      {_BENEFIT_BY_GROUP}
    """


#: the part-time share's numerator and the part-time count: per running benefit the runs of
#: consecutive months whose payment set off income from work, one span per run (see
#: ``caseload_parttime_share``)
_PARTTIME_RUNS = f"""
    SELECT b.applicant_id AS resident_id, GREATEST(b.start_date, runs.run_from) AS valid_from,
           LEAST(b.end_date, runs.run_to) AS valid_to, 1 AS num, 0 AS den, b.team, b.district,
           b.regime
      FROM (SELECT * FROM benefit_dims ORDER BY id) b  -- (the index's order: see below)
      CROSS JOIN LATERAL (
          SELECT e.month AS run_from,
                 (CASE WHEN e.last THEN e.month ELSE e.next_edge END
                  + interval '1 month')::date AS run_to
            FROM (
              SELECT m.month, m.first, m.last, lead(m.month) OVER (ORDER BY m.month) AS next_edge
                FROM (
                  SELECT bp.month,
                         lag(bp.month) OVER w
                             IS DISTINCT FROM (bp.month - interval '1 month')::date AS first,
                         lead(bp.month) OVER w
                             IS DISTINCT FROM (bp.month + interval '1 month')::date AS last
                    FROM caseload_benefitpayment bp
                   WHERE bp.benefit_id = b.id AND bp.income_offset > 0
                     AND bp.month >= date_trunc('month', {_FIRST_REF})::date
                     AND bp.month <= {_LAST_REF}
                  WINDOW w AS (ORDER BY bp.month)
                ) m
               WHERE m.first OR m.last
            ) e
           WHERE e.first
      ) runs
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
    uses=("benefit_dims",),
    intervals=True,
    order=50,
)
def caseload_parttime_share() -> str:
    # the denominator: the benefit while it runs; the numerator: the months of it (the
    # reference date in the month) whose payment set off income from work, as runs of
    # consecutive months, one span per run instead of one per payment month, so the facts grow
    # with the number of runs, not of payments (issue 19); the spans cover the same days.
    # The runs per benefit of the municipality's (#17), the benefits in id order and each one's
    # months in the order of the partial index payment_with_income_idx (benefit, month), so
    # consecutive probes read neighbouring index pages (in an order unrelated to the ids, e.g.
    # by start date, they were random reads: 40 % more CPU at 400,000 households), and a window
    # per benefit reads them without a sort:
    # a month starts a run when the month before has no such payment and ends one when the month
    # after has none; a run ends at the next of those edges (issue 19: one sort of all payment
    # months by benefit and month, 7.2 million rows at 400,000 households, spilled to disk and
    # grew 26x for 10x the data, and so did the probes of the index in hash order)
    return f"""
    SELECT b.applicant_id AS resident_id, b.start_date AS valid_from, b.end_date AS valid_to,
           0 AS num, 1 AS den, b.team, b.district, b.regime
      FROM benefit_dims b
    UNION ALL
    {_PARTTIME_RUNS}
    """


@indicator_register(
    code="caseload.parttime_count",
    label=_("Uitkeringen met inkomsten uit deeltijdwerk"),
    definition=_(
        "Aantal lopende uitkeringen aan het eind van de periode waarop in de laatste maand van "
        "de periode inkomsten uit (deeltijd)werk zijn verrekend: de personen met een uitkering "
        "die parttime inkomsten uit arbeid hebben, als aantal (het aandeel is "
        "caseload.parttime_share)."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district", "regime"),
    source="Betalingen (verrekende inkomsten)",
    uses=("benefit_dims",),
    intervals=True,
    order=51,
)
def caseload_parttime_count() -> str:
    # the numerator of caseload.parttime_share alone (Groningen's seed counts the people, 350 in
    # 2020, where 's-Hertogenbosch's takes the share)
    return f"""
    {_PARTTIME_RUNS}
    """


# Working with support, participation, sheltered work -------------------------------------------

#: (every statement that joins it keeps ``r.municipality_id = %(municipality_id)s``)
_OPEN_TRAJECTORY_AT_REF = f"""
    JOIN caseload_trajectory tr
      ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.ref_date)
     AND {_own("tr")}
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
    intervals=True,
    order=60,
)
def support_working_with_support() -> str:
    # interval facts (issue 19): one row per resident, instrument and island of their running
    # trajectories of it, instead of one row per open trajectory and period (2.3 million at
    # 400,000 households, whose count(DISTINCT) per grouping set sorted on disk). A resident
    # with two instruments at once adds 1 to each instrument's row but must count once in the
    # total and their team and district: for the days on which they hold k > 1 instruments a
    # correction row adds 1 - k with no instrument (a fact without a dimension value counts in
    # the total and the other breakdowns, not in that dimension's; the engine keeps no row
    # for a NULL value). The former per-period form is the oracle in
    # tests/indicators/test_scale_rewrites.py.
    held = islands(
        f"""
        SELECT tr.resident_id, i.name AS instrument, tr.started_on AS lo, tr.ended_on AS hi
          FROM caseload_trajectory tr
          JOIN caseload_instrument i ON i.id = tr.instrument_id
         WHERE i.is_working_with_support AND i.category <> 'wsw'
           AND tr.started_on <= {_LAST_REF}
           AND (tr.ended_on IS NULL OR tr.ended_on > {_FIRST_REF})
           AND {_own("tr")}
        """,
        "resident_id, instrument",
    )
    return f"""
    WITH held AS MATERIALIZED ({held}),
    change AS (  -- per resident, the days on which the number of instruments held changes
        SELECT resident_id, lo AS on_, 1 AS step FROM held
        UNION ALL
        SELECT resident_id, hi, -1 FROM held WHERE hi < 'infinity'::date
    ),
    level AS (
        SELECT resident_id, on_, sum(sum(step)) OVER w AS held_n, lead(on_) OVER w AS until
          FROM change
         GROUP BY resident_id, on_
        WINDOW w AS (PARTITION BY resident_id ORDER BY on_)
    ),
    fact AS (
        SELECT resident_id, instrument, lo AS valid_from, hi AS valid_to, 1 AS num FROM held
        UNION ALL
        SELECT resident_id, NULL, on_, until, 1 - held_n FROM level WHERE held_n > 1
    ),
    who AS MATERIALIZED (
        -- each resident's team and district looked up once, in resident order (a hash of all
        -- residents was 128 MB at 400,000 households for the 150,000 who hold one)
        SELECT w.resident_id, t.name AS team, coalesce(d.name, 'onbekend') AS district
          FROM (SELECT DISTINCT resident_id FROM held ORDER BY resident_id) w
          CROSS JOIN LATERAL (
              SELECT r.team_id, h.district_id
                FROM caseload_resident r
                JOIN caseload_household h ON h.id = r.household_id
               WHERE r.id = w.resident_id AND r.municipality_id = %(municipality_id)s
              OFFSET 0
          ) r
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = r.district_id
    )
    SELECT f.resident_id, f.valid_from, f.valid_to, f.num, 0 AS den, f.instrument, w.team,
           w.district
      FROM fact f
      JOIN who w ON w.resident_id = f.resident_id
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
    intervals=True,
    order=70,
)
def group3_participation() -> str:
    # the denominator: the days a resident has a current group 3 assignment; the numerator: those
    # days on which they also have a current participation activity (both merged per resident)
    group3 = islands(
        f"""
        SELECT ga.resident_id, ga.decided_on AS lo, ga.ended_on AS hi
          FROM caseload_groupassignment ga
         WHERE ga."group" = 3 AND ga.decided_on <= {_LAST_REF}
           AND (ga.ended_on IS NULL OR ga.ended_on > {_FIRST_REF})
           AND {_own("ga")}
        """,
        "resident_id",
    )
    participating = islands(
        f"""
        SELECT tr.resident_id, tr.started_on AS lo, tr.ended_on AS hi
          FROM caseload_trajectory tr
          JOIN caseload_instrument i ON i.id = tr.instrument_id
         WHERE i.is_participation AND tr.started_on + 0 <= {_LAST_REF}
           AND (tr.ended_on IS NULL OR tr.ended_on > {_FIRST_REF})
           AND {_own("tr")}
        """,
        "resident_id",
    )
    # the spans' residents and then their households looked up per span, each in the order of
    # its key ("Outflow events looked up per event" above), instead of a hash join with all
    # residents (2 million at 400,000 households, a hash past the CPU's cache) and a look-up of
    # the household in the order of that hash (random reads); and the participation
    # trajectories by a scan (``+ 0``: the bounds from subqueries made the planner read both
    # date indexes and then most of the table's pages, at 400,000 only) (issue 19)
    return f"""
    WITH group3 AS ({group3}),
    participating AS ({participating}),
    group3_resident AS MATERIALIZED (
        SELECT g.resident_id, g.lo, g.hi, r.team_id, r.household_id
          FROM (SELECT * FROM group3 ORDER BY resident_id) g
          CROSS JOIN LATERAL (
              SELECT r.team_id, r.household_id FROM caseload_resident r
               WHERE r.id = g.resident_id AND r.municipality_id = %(municipality_id)s
              OFFSET 0
          ) r
    ),
    in_group3 AS MATERIALIZED (
        SELECT g.resident_id, g.lo, g.hi, {_DIMS_TEAM_DISTRICT}
          FROM (SELECT * FROM group3_resident ORDER BY household_id) g
          CROSS JOIN LATERAL (
              SELECT h.district_id FROM caseload_household h WHERE h.id = g.household_id OFFSET 0
          ) h
          JOIN caseload_team t ON t.id = g.team_id
          LEFT JOIN caseload_district d ON d.id = h.district_id
    )
    SELECT g.resident_id, g.lo AS valid_from, g.hi AS valid_to, 0 AS num, 1 AS den, g.team,
           g.district
      FROM in_group3 g
    UNION ALL
    SELECT g.resident_id, GREATEST(g.lo, pa.lo), LEAST(g.hi, pa.hi), 1, 0, g.team, g.district
      FROM in_group3 g
      JOIN participating pa ON pa.resident_id = g.resident_id AND pa.hi > g.lo AND pa.lo < g.hi
    """


def _instrument_persons(where: str) -> str:
    """Interval facts of a stock "persons with a running trajectory of an instrument that meets
    ``where`` (on ``i``)": each resident's trajectories of it merged into disjoint spans, so
    that a person counts once. (Before 4 December the quota and the Wsw counts made one fact
    per open trajectory and period, whose count(DISTINCT) sorted on disk at 400,000
    households; their per-period form is the oracle in tests/indicators/.)"""
    spans = islands(
        f"""
        SELECT tr.resident_id, tr.started_on AS lo, tr.ended_on AS hi
          FROM caseload_trajectory tr
          JOIN caseload_instrument i ON i.id = tr.instrument_id
         WHERE {where} AND tr.started_on <= {_LAST_REF}
           AND (tr.ended_on IS NULL OR tr.ended_on > {_FIRST_REF})
           AND {_own("tr")}
        """,
        "resident_id",
    )
    return f"""
    WITH spans AS ({spans})
    SELECT r.id AS resident_id, s.lo AS valid_from, s.hi AS valid_to, 1 AS num, 0 AS den,
           {_DIMS_TEAM_DISTRICT}
      FROM spans s
      JOIN caseload_resident r ON r.id = s.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
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
    intervals=True,
    order=80,
)
def beschut_quota() -> str:
    return _instrument_persons("i.srg_type = 'beschut'")


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
    intervals=True,
    order=90,
)
def wsw_detachering() -> str:
    return _instrument_persons("i.code = 'wsw_detachering'")


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
    intervals=True,
    order=100,
)
def wsw_begeleid_werken() -> str:
    return _instrument_persons("i.code = 'wsw_begeleid_werken'")


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
    uses=("benefit_dims", "group_segments"),
    intervals=True,
    order=110,
)
def contact_in_beeld() -> str:
    # the denominator: each benefit per group of its applicant while it runs; the numerator:
    # the same spans cut to the days within 12 months after one of the applicant's contacts
    # (the contacts' windows merged per resident, so that overlapping windows count once).
    # Only the contacts of the benefits' applicants are merged: the islands are per resident, so
    # the others could only be dropped by the join, and this way a fill sorts one
    # municipality's contacts, not the region's (issue 17)
    # The applicants' contacts are looked up per applicant in applicant order (the contacts'
    # index on resident and day, read front to back), whatever the planner expects of
    # benefit_dims: with an estimate of 245,976 applicants for 1,289,626 (400,000 households)
    # it probed them in hash order, 11 million random reads (issue 19)
    contacted = islands(
        f"""
        SELECT a.applicant_id AS resident_id, c.occurred_on AS lo,
               {_first_day_within("c.occurred_on", "12 months")} AS hi
          FROM (SELECT DISTINCT applicant_id FROM benefit_dims ORDER BY applicant_id) a
          CROSS JOIN LATERAL (
              SELECT c.occurred_on FROM caseload_contactmoment c
               WHERE c.resident_id = a.applicant_id
                 AND c.occurred_on <= {_LAST_REF}
                 AND c.occurred_on > ({_FIRST_REF} - interval '12 months')
              OFFSET 0
          ) c
        """,
        "resident_id",
    )
    return f"""
    WITH by_group AS (
        SELECT b.applicant_id AS resident_id, {_BENEFIT_BY_GROUP_FROM} AS lo,
               {_BENEFIT_BY_GROUP_TO} AS hi, b.team, b.district, {_GROUP_DIM}
          {_BENEFIT_BY_GROUP}
    ),
    contacted AS ({contacted})
    SELECT bg.resident_id, bg.lo AS valid_from, bg.hi AS valid_to, 0 AS num, 1 AS den,
           bg.team, bg.district, bg."group"
      FROM by_group bg
    UNION ALL
    SELECT bg.resident_id, GREATEST(bg.lo, c.lo), LEAST(bg.hi, c.hi), 1, 0, bg.team,
           bg.district, bg."group"
      FROM by_group bg
      JOIN contacted c
        ON c.resident_id = bg.resident_id AND c.hi > bg.lo AND (bg.hi IS NULL OR c.lo < bg.hi)
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
    intervals=True,
    per_period_kind=True,
    order=120,
)
def prevention_inflow_per_application() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("a.decided_on")},
           CASE WHEN a.outcome = 'toegekend' THEN 1 ELSE 0 END AS num, 1 AS den,
           {_DIMS_TEAM_DISTRICT}, a.regime AS regime
      FROM caseload_application a
      {_KINDS}
      JOIN caseload_resident r ON r.id = a.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND {_own("a")} AND a.risk_profile = 'verhoogd'
       AND a.decided_on BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    intervals=True,
    per_period_kind=True,
    order=125,
)
def prevention_prevented_vs_inflow() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("a.decided_on")},
           CASE WHEN a.outcome = 'voorkomen' THEN 1 ELSE 0 END AS num,
           CASE WHEN a.outcome = 'toegekend' THEN 1 ELSE 0 END AS den, t.name AS team
      FROM caseload_application a
      {_KINDS}
      JOIN caseload_resident r ON r.id = a.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s AND {_own("a")}
       AND a.outcome IN ('voorkomen', 'toegekend')
       AND a.decided_on BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    intervals=True,
    per_period_kind=True,
    order=130,
    # who had a fraud investigation: the field grant
    required_permission=CaseloadPermission.VIEW_FRAUD,
)
def enforcement_fraud_effect() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("fi.ended_on")},
           CASE WHEN fi.result IN ('beeindigd', 'aangepast') THEN 1 ELSE 0 END AS num,
           1 AS den, t.name AS team, fi.result AS result
      FROM caseload_fraudinvestigation fi
      {_KINDS}
      JOIN caseload_resident r ON r.id = fi.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
       AND fi.ended_on BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    intervals=True,
    order=140,
)
def statushouders_with_plan() -> str:
    # the denominator: a status holder while their household has a benefit (the household's
    # benefits merged); the numerator: from the start of their first trajectory on. Each row
    # looked up in the order of the table's key, as amersfoort.inflow (issue 19): the status
    # holders read once; their households' benefits per household in household order (not a
    # bitmap over nearly every benefit and a hash semi-join with the holders' households, 14x
    # for 10x the data), the household per island in household order; and the first trajectory
    # per holder in resident order (not in the order of a hash of the holders: random reads,
    # 21x the time for 10x the data)
    household_benefit = islands(
        "SELECT household_id, lo, hi FROM household_span",
        "household_id",
    )
    return f"""
    WITH status_holder AS MATERIALIZED (
        SELECT r.id, r.household_id, r.team_id
          FROM caseload_resident r
         WHERE r.is_status_holder AND r.municipality_id = %(municipality_id)s
    ),
    household_span AS MATERIALIZED (
        SELECT hh.household_id, b.lo, b.hi
          FROM (SELECT DISTINCT household_id FROM status_holder ORDER BY household_id) hh
          CROSS JOIN LATERAL (
              SELECT b.start_date AS lo, b.end_date AS hi
                FROM caseload_benefit b
               WHERE b.household_id = hh.household_id
                 AND b.start_date <= {_LAST_REF}
                 AND (b.end_date IS NULL OR b.end_date > {_FIRST_REF})
              OFFSET 0
          ) b
    ),
    household_benefit AS MATERIALIZED ({household_benefit}),
    household AS MATERIALIZED (
        SELECT hb.household_id, hb.lo, hb.hi, coalesce(d.name, 'onbekend') AS district
          FROM (SELECT * FROM household_benefit ORDER BY household_id) hb
          CROSS JOIN LATERAL (
              SELECT h.district_id FROM caseload_household h
               WHERE h.id = hb.household_id AND hb.lo IS NOT NULL  -- (hb.lo: not memoized)
              OFFSET 0
          ) h
          LEFT JOIN caseload_district d ON d.id = h.district_id
    ),
    holder AS MATERIALIZED (
        SELECT s.id AS resident_id, hh.lo, hh.hi, t.name AS team, hh.district
          FROM status_holder s
          JOIN household hh ON hh.household_id = s.household_id
          JOIN caseload_team t ON t.id = s.team_id
    ),
    first_plan AS MATERIALIZED (
        SELECT hr.resident_id, fp.since
          FROM (SELECT DISTINCT resident_id FROM holder ORDER BY resident_id) hr
          CROSS JOIN LATERAL (
              SELECT min(tr.started_on) AS since
                FROM caseload_trajectory tr
               WHERE tr.resident_id = hr.resident_id
              OFFSET 0
          ) fp
         WHERE fp.since IS NOT NULL
    )
    SELECT s.resident_id, s.lo AS valid_from, s.hi AS valid_to, 0 AS num, 1 AS den, s.team,
           s.district
      FROM holder s
    UNION ALL
    SELECT s.resident_id, GREATEST(s.lo, fp.since), s.hi, 1, 0, s.team, s.district
      FROM holder s
      JOIN first_plan fp ON fp.resident_id = s.resident_id AND fp.since < s.hi
    """


# The Amersfoort table --------------------------------------------------------------------------


@indicator_register(
    code="amersfoort.inflow",
    label=_("Instroom in de uitkering"),
    definition=_(
        "Aantal uitkeringen dat in de periode is ingegaan. Een huishouden dat binnen de "
        "terugkeertermijn na het einde van een vorige uitkering terugkomt (ook op de einddatum "
        "zelf), telt niet als nieuwe instroom."
    ),
    unit=Unit.COUNT,
    direction=Direction.LOWER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    source="Uitkeringsadministratie (ingangsdatum)",
    intervals=True,
    per_period_kind=True,
    order=150,
    # 2: a benefit that starts on the day the household's previous one ended is a return
    # within the window, not new inflow (the independent recomputation of 4 December)
    version=2,
)
def amersfoort_inflow() -> str:
    # the benefits that started in the periods filled, their household (with the return check)
    # and applicant looked up per benefit as the outflow events are ("Outflow events looked up
    # per event" above): the narrow rows sorted by household before the households and the
    # household's earlier benefits, by applicant before the residents (issue 19). With the start
    # date's bounds from subqueries the planner expects 1 benefit in 200 (7,077 for 1,024,720 at
    # 400,000 households) and looked the households and residents up in start-date order:
    # random reads, 17.6x the time for 10x the data; and the return check was a hash anti-join
    # of every ended benefit with a hash of the started ones (72 MB at 400,000, past the CPU's
    # cache: 17x)
    # The municipality is kept by its households in ``started``, before the look-ups: a
    # municipality's fill used to look up every municipality's started benefits and drop all
    # but its own (the smallest of the regional bench looked up 102,001 to keep 1,511; issue 17)
    return f"""
    WITH started AS MATERIALIZED (
        SELECT b.id, b.household_id, b.applicant_id, b.regime, b.start_date
          FROM caseload_benefit b
         WHERE b.start_date BETWEEN {_FIRST_START} AND {_LAST_REF} AND {_own("b")}
           AND b.household_id IN (
               SELECT mh.id FROM caseload_household mh
                WHERE mh.municipality_id = %(municipality_id)s
           )
    ),
    in_household AS MATERIALIZED (
        SELECT b.applicant_id, b.regime, b.start_date, h.district_id
          FROM (SELECT * FROM started ORDER BY household_id) b
          CROSS JOIN LATERAL (
              SELECT h.district_id FROM caseload_household h
               WHERE h.id = b.household_id
                 AND b.id IS NOT NULL  -- (b.id: not memoized)
                 AND NOT EXISTS (
                     SELECT 1 FROM caseload_benefit pb
                      WHERE pb.household_id = b.household_id AND pb.id <> b.id
                        AND pb.regime IN {BIJSTAND_REGIMES_SQL}
                        AND pb.end_date IS NOT NULL
                        AND pb.end_date <= b.start_date
                        AND pb.end_date >= b.start_date - %(return_window)s
                 )
              OFFSET 0
          ) h
    ),
    counted AS MATERIALIZED (
        SELECT b.applicant_id, b.regime, b.start_date, t.name AS team,
               coalesce(d.name, 'onbekend') AS district
          FROM (SELECT * FROM in_household ORDER BY applicant_id) b
          CROSS JOIN LATERAL (
              SELECT r.team_id FROM caseload_resident r WHERE r.id = b.applicant_id OFFSET 0
          ) r
          JOIN caseload_team t ON t.id = r.team_id
          LEFT JOIN caseload_district d ON d.id = b.district_id
    )
    SELECT k.period_kind, c.applicant_id AS resident_id, {_event("c.start_date")}, 1 AS num,
           0 AS den, c.team, c.district, c.regime
      FROM counted c
      {_KINDS}
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
    intervals=True,
    per_period_kind=True,
    order=155,
)
def amersfoort_outflow_to_work_pct() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("b.end_date")},
           CASE WHEN b.end_reason IN ('11', '13') THEN 1 ELSE 0 END AS num, 1 AS den,
           t.name AS team, b.regime AS regime
      FROM caseload_benefit b
      {_KINDS}
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE h.municipality_id = %(municipality_id)s AND {_own("b")}
       AND b.end_date BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    # one fact per resident and period (DISTINCT ON below), with the resident's one team and
    # district: plain counts, aggregated in one hash (issue 19)
    numerator_sql=COUNT_UNIQUE_NUM,
    denominator_sql=COUNT_UNIQUE_DEN,
    source="Participatieladder-scores en uitkeringen",
    order=160,
    period_window=True,
    version=2,
)
def amersfoort_ladder_climbing() -> str:
    # Driven from the residents measured in the period (the latest score per period and
    # resident, DISTINCT ON), not from every long-term benefit: only those can be counted. The
    # score before the period is the one before the earliest score in the period: each score
    # gets the step before it by one window over the scores (lag, once), and the period takes
    # it from its earliest score (last_value in the same sort as the DISTINCT ON), instead of an
    # index probe per resident and period (issue 19). The scores are those of the
    # municipality's residents (``_own``, the residents the final filter keeps) before the
    # window, so that a fill sorts one municipality's scores, not the region's (issue 17): the
    # window is per resident, so dropping whole residents leaves every other resident's rows as
    # they were. Both read the municipality's rows by its index: the residents picked by their
    # households scanned the region's 211,203 residents twice per fill (65 ms of the smallest
    # municipality's 184 ms at the regional bench, 4 December)
    return f"""
    WITH score AS (
        SELECT ls.resident_id, ls.measured_on, ls.step,
               lag(ls.step) OVER (PARTITION BY ls.resident_id ORDER BY ls.measured_on)
                   AS step_before
          FROM caseload_ladderscore ls
         WHERE ls.measured_on <= {_LAST_REF}
           AND {_own("ls")}
    ),
    after_ AS (
        SELECT DISTINCT ON (s.resident_id, p.period_start, p.period_end)
               p.period_start, p.period_end, p.ref_date, s.resident_id, s.step,
               last_value(s.step_before) OVER w AS step_before
          FROM {_in_period("score", "measured_on", "s")}
        WINDOW w AS (
            PARTITION BY s.resident_id, p.period_start, p.period_end
            ORDER BY s.measured_on DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        )
         ORDER BY s.resident_id, p.period_start, p.period_end, s.measured_on DESC
    )
    SELECT a.period_start, a.period_end, r.id AS resident_id,
           CASE WHEN a.step > a.step_before THEN r.id END AS num_key,
           r.id AS den_key, {_DIMS_TEAM_DISTRICT}
      FROM after_ a
      JOIN caseload_resident r ON r.id = a.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND a.step_before IS NOT NULL
       AND EXISTS (
           SELECT 1 FROM caseload_benefit b
            WHERE b.applicant_id = r.id
              -- at least a year: start + 1 year on or before the reference date (29 February
              -- + 1 year = 28 February, as for the Bbz cohort. Version 2: the start was
              -- compared with the reference date - 1 year, which left out a benefit of
              -- 29 February on 28 February of the next year, recomputation of 3 December)
              AND b.start_date + interval '1 year' <= a.ref_date
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
    intervals=True,
    per_period_kind=True,
    order=170,
)
def amersfoort_debt_applications() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("dc.applied_on")}, 1 AS num, 0 AS den,
           {_DIMS_TEAM_DISTRICT}
      FROM caseload_debtcase dc
      {_KINDS}
      JOIN caseload_resident r ON r.id = dc.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s
       AND {_own("dc")}
       AND dc.applied_on BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    intervals=True,
    per_period_kind=True,
    order=180,
)
def amersfoort_debt_settled() -> str:
    return f"""
    SELECT k.period_kind, r.id AS resident_id, {_event("dc.closed_on")},
           CASE WHEN dc.result = 'schuldregeling' THEN 1 ELSE 0 END AS num, 1 AS den,
           t.name AS team, dc.result AS result
      FROM caseload_debtcase dc
      {_KINDS}
      JOIN caseload_resident r ON r.id = dc.resident_id
      JOIN caseload_team t ON t.id = r.team_id
     WHERE r.municipality_id = %(municipality_id)s
       AND {_own("dc")}
       AND dc.closed_on BETWEEN {_FIRST_START} AND {_LAST_REF}
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
    # no breakdown by district (the version before this one had it): there is no population
    # per district, so a district's count over the whole municipality's population read as the
    # district's own figure (walk of 3 December)
    denominator_sql=POP_18_PLUS,
    source="Uitkeringen en huishoudleden; bevolking: gemeentejaar (handmatig, CBS)",
    uses=("benefit_dims",),
    intervals=True,
    version=2,
    order=190,
)
def bbv_bijstand_per_10k() -> str:
    # each member of the household from their 18th birthday while the household has bijstand
    # (the household's pw benefits merged, so that overlapping ones count the members once)
    pw = islands(
        "SELECT household_id, start_date AS lo, end_date AS hi FROM benefit_dims"
        " WHERE regime = 'pw'",
        "household_id",
    )
    return f"""
    WITH pw AS ({pw})
    SELECT m.id AS resident_id,
           GREATEST(pw.lo, {_first_day_within("m.birth_date", "18 years")}) AS valid_from,
           pw.hi AS valid_to, 1 AS num, 0 AS den, coalesce(d.name, 'onbekend') AS district
      FROM pw
      JOIN caseload_resident m ON m.household_id = pw.household_id
      JOIN caseload_household h ON h.id = pw.household_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
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
    intervals=True,
    order=200,
)
def bbv_reintegration_per_10k() -> str:
    # each trajectory while it runs and its resident is 15 to 64 years old
    return f"""
    SELECT r.id AS resident_id,
           GREATEST(tr.started_on, {_first_day_within("r.birth_date", "15 years")})
               AS valid_from,
           LEAST(tr.ended_on, {_first_day_within("r.birth_date", "65 years")}) AS valid_to,
           1 AS num, 0 AS den, i.name AS instrument
      FROM caseload_trajectory tr
      JOIN caseload_instrument i ON i.id = tr.instrument_id AND i.srg_type <> ''
      JOIN caseload_resident r ON r.id = tr.resident_id
     WHERE r.municipality_id = %(municipality_id)s AND {_own("tr")}
       AND tr.started_on + 0 <= {_LAST_REF}
       AND (tr.ended_on IS NULL OR tr.ended_on > {_FIRST_REF})
    """


# Seed indicators of issue 17 -------------------------------------------------------------------


#: benefit regimes that count as "bijstand" for the children in benefit households (the CBS
#: Jeugdmonitor counts every bijstand-type benefit: algemene bijstand, Bbz, IOAW, IOAZ)
_BIJSTAND_REGIMES = BIJSTAND_REGIMES_SQL

#: the household ``{household}`` registers its children as members: one of its members was under
#: 18 on a day of one of its bijstand-type benefits (any benefit, so that the rule does not depend
#: on the periods computed)
#: ``{member}`` is one of the household's children, not a party to its benefit: not its partner,
#: and not the applicant of a benefit of the household that started before their 18th birthday
#: (the independent recomputation of 4 December: a partner or applicant aged 17 counted as the
#: household's only child, and its recorded children were dropped)
_CHILD_MEMBER = f"""{{member}}.household_role <> 'partner'
       AND NOT EXISTS (
           SELECT 1 FROM caseload_benefit ab
            WHERE ab.applicant_id = {{member}}.id AND ab.household_id = {{member}}.household_id
              AND ab.regime IN {_BIJSTAND_REGIMES}
              AND ab.start_date < {_first_day_within("{member}.birth_date", "18 years")}
       )"""

_CHILDREN_REGISTERED = f"""EXISTS (
           SELECT 1 FROM caseload_resident cm
             JOIN caseload_benefit cb ON cb.household_id = cm.household_id
              AND cb.regime IN {_BIJSTAND_REGIMES}
            WHERE cm.household_id = {{household}}
              AND cm.birth_date < coalesce(cb.end_date, 'infinity'::date)
              AND cb.start_date < {_first_day_within("cm.birth_date", "18 years")}
              AND {_CHILD_MEMBER.format(member="cm")}
       )"""


@indicator_register(
    code="bbv.kinderen_in_uitkeringsgezinnen",
    label=_("Kinderen in uitkeringsgezinnen"),
    definition=_(
        "Aantal kinderen tot 18 jaar in een huishouden met een lopende bijstandsuitkering "
        "(algemene bijstand, IOAW, IOAZ of Bbz voor starters) op de laatste dag van de "
        "periode, als percentage van alle inwoners tot 18 jaar (inwoners totaal min inwoners "
        "van 18 jaar en ouder uit de gemeentejaargegevens). Een kind dat als huisgenoot is "
        "ingeschreven telt tot de dag vóór zijn 18e verjaardag; een huishouden waarvan geen kind "
        "als huisgenoot is ingeschreven, telt met zijn vastgelegde aantal minderjarige kinderen. "
        "De partner en de aanvrager van de uitkering zijn geen kind, ook niet als ze jonger dan "
        "18 zijn. Loonkostensubsidie telt niet als uitkering."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.LOWER,
    # no breakdown by district (the version before this one had it): there is no population
    # per district, so a district's count over the whole municipality's population read as the
    # district's own figure (walk of 3 December)
    denominator_sql=POP_0_17,
    source="Uitkeringen en huishoudleden; bevolking: gemeentejaar (handmatig, CBS)",
    uses=("benefit_dims",),
    intervals=True,
    order=205,
    # 2: households whose children are not registered as members count their recorded number
    # of minor children (the demo and the new application record the number, not the children);
    # 3: no breakdown by district; 4: a partner, or an applicant of the household's benefit
    # aged under 18, is not a child (the independent recomputation of 4 December)
    version=4,
)
def bbv_kinderen_in_uitkeringsgezinnen() -> str:
    # each member of the household from birth until their 18th birthday, while the household
    # has a bijstand-type benefit (overlapping benefits merged per household); a household that
    # never had a member under 18 during one of its bijstand-type benefits (all of them, not only
    # those of the periods computed) counts its recorded number of minor children
    # (``Household.children_count``) for as long as it is on benefit, one fact per child
    on_benefit = islands(
        "SELECT household_id, start_date AS lo, end_date AS hi FROM benefit_dims"
        f" WHERE regime IN {_BIJSTAND_REGIMES}",
        "household_id",
    )
    return f"""
    WITH on_benefit AS ({on_benefit})
    SELECT m.id AS resident_id, GREATEST(ob.lo, m.birth_date) AS valid_from,
           LEAST(ob.hi, {_first_day_within("m.birth_date", "18 years")}) AS valid_to,
           1 AS num, 0 AS den, coalesce(d.name, 'onbekend') AS district
      FROM on_benefit ob
      JOIN caseload_resident m ON m.household_id = ob.household_id
      JOIN caseload_household h ON h.id = ob.household_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE ob.hi > m.birth_date
       AND ob.lo < {_first_day_within("m.birth_date", "18 years")}
       AND {_CHILD_MEMBER.format(member="m")}
    UNION ALL
    SELECT (SELECT min(r.id) FROM caseload_resident r WHERE r.household_id = h.id) AS resident_id,
           ob.lo AS valid_from, ob.hi AS valid_to, 1 AS num, 0 AS den,
           coalesce(d.name, 'onbekend') AS district
      FROM on_benefit ob
      JOIN caseload_household h ON h.id = ob.household_id AND h.children_count > 0
      CROSS JOIN generate_series(1, h.children_count) AS child(n)
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE NOT ({_CHILDREN_REGISTERED.format(household="h.id")})
    """


@indicator_register(
    code="amersfoort.bijstand_per_1000",
    label=_("Personen met een bijstandsuitkering per 1.000 inwoners van 18 jaar en ouder"),
    definition=_(
        "Dezelfde telling als de BBV-indicator 'personen met bijstand per 10.000 inwoners van "
        "18 jaar en ouder' (één query), uitgedrukt per 1.000 inwoners van 18 jaar en ouder: "
        "personen van 18 jaar en ouder in een huishouden met een lopende algemene "
        "bijstandsuitkering op de laatste dag van de periode. Amersfoorts 38 à 39 per 1.000 "
        "komt overeen met de BBV-reeks van rond 390 per 10.000."
    ),
    unit=Unit.PER_1000,
    direction=Direction.LOWER,
    # no breakdown by district (the version before this one had it): there is no population
    # per district, so a district's count over the whole municipality's population read as the
    # district's own figure (walk of 3 December)
    denominator_sql=POP_18_PLUS,
    source="Uitkeringen en huishoudleden; bevolking: gemeentejaar (handmatig, CBS)",
    uses=("benefit_dims",),
    intervals=True,
    version=2,
    order=195,
)
def amersfoort_bijstand_per_1000() -> str:
    return bbv_bijstand_per_10k()


@indicator_register(
    code="enforcement.handhaving_ended_share",
    label=_("Aandeel door handhaving beëindigde uitkeringen"),
    definition=_(
        "Van de uitkeringen die in de periode zijn beëindigd (de einddatum valt in de periode): "
        "het percentage dat door handhaving eindigde. Door handhaving: beëindigd met CBS-reden "
        "31 (geen inlichtingen verstrekt), of er is een fraudeonderzoek naar een lid van het "
        "huishouden dat gestart is uiterlijk op de einddatum, afgesloten op of na de "
        "ingangsdatum, met resultaat 'uitkering beëindigd'. De CBS-redenen kennen geen eigen "
        "code voor fraude."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.LOWER,
    dimensions=("team", "district", "regime"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Uitkeringsadministratie (reden beëindiging) en fraudeonderzoeken",
    intervals=True,
    per_period_kind=True,
    order=135,
    required_permission=CaseloadPermission.VIEW_FRAUD,
)
def enforcement_handhaving_ended_share() -> str:
    return f"""
    SELECT k.period_kind, b.applicant_id AS resident_id, {_event("b.end_date")},
           CASE WHEN b.end_reason = '31' OR EXISTS (
               SELECT 1 FROM caseload_fraudinvestigation fi
                 JOIN caseload_resident m ON m.id = fi.resident_id
                WHERE m.household_id = b.household_id AND fi.result = 'beeindigd'
                  AND fi.started_on <= b.end_date AND fi.ended_on >= b.start_date
           ) THEN 1 ELSE 0 END AS num,
           1 AS den, t.name AS team, coalesce(d.name, 'onbekend') AS district,
           b.regime AS regime
      FROM caseload_benefit b
      {_KINDS}
      JOIN caseload_household h ON h.id = b.household_id
      JOIN caseload_resident r ON r.id = b.applicant_id
      JOIN caseload_team t ON t.id = r.team_id
      LEFT JOIN caseload_district d ON d.id = h.district_id
     WHERE h.municipality_id = %(municipality_id)s AND {_own("b")}
       AND b.end_date BETWEEN {_FIRST_START} AND {_LAST_REF}
    """


@indicator_register(
    code="jongeren.vso_pro_placed",
    label=_("Jongeren uit het Vso/Pro bemiddeld naar werk"),
    definition=_(
        "Aantal jongeren (jonger dan 27 jaar op de dag van plaatsing) met als opleidingsniveau "
        "Vso of praktijkonderwijs die in de periode naar werk gingen: een uitstroom naar werk "
        "uit de uitkering, of een traject dat eindigde met resultaat 'uitstroom naar werk' (ook "
        "zonder uitkering). Een jongere telt één keer per periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    source="Inwoners (opleidingsniveau), uitstroomregistratie en trajecten (resultaat werk)",
    order=125,
    # 2: a benefit of the household that starts on the outflow day itself is a return within
    # the window (the independent recomputation of 4 December); 3: the work trajectory the
    # outflow closed does not count the youth when the return rule rejects that outflow (the
    # review of 4 December)
    version=3,
)
def jongeren_vso_pro_placed() -> str:
    # the placements' narrow rows first (the outflows to work by the date index, the
    # trajectories ended in work by a scan), their residents looked up once each in resident
    # order ("Outflow events looked up per event" above) to keep the municipality's vso/pro
    # residents (about 4 %), and the benefit and the outflow rule for those only (issue 19).
    # Before, every outflow to work of the filled years (476,396 at 400,000 households) had its
    # benefit, the outflow rule and its resident looked up, in date order, and each placement
    # its resident again, to keep 2,329: 12.7-13.3x the time for 10x the data. (``+ 0``: with
    # the bounds from subqueries the planner expects 1 trajectory in 200 and read all of the
    # index on (started_on, ended_on) and then most of the table's pages, at 400,000 only:
    # 0.52 s against a 0.21 s scan.)
    return f"""
    WITH placement AS MATERIALIZED (
        SELECT o.resident_id, o.occurred_on, o.benefit_id, o.kind, o.reason
          FROM caseload_outflowevent o
         WHERE o.occurred_on BETWEEN {_FIRST_START} AND {_LAST_REF} AND o.reason = 'werk'
           AND {_own("o")}
        UNION ALL
        SELECT tr.resident_id, tr.ended_on, NULL, NULL, NULL
          FROM caseload_trajectory tr
         WHERE tr.result = 'werk' AND tr.ended_on + 0 BETWEEN {_FIRST_START} AND {_LAST_REF}
           AND {_own("tr")}
    ),
    vso_pro AS MATERIALIZED (
        SELECT o.* FROM (SELECT * FROM placement ORDER BY resident_id) o
         CROSS JOIN LATERAL (
             SELECT 1 FROM caseload_resident r
              WHERE r.id = o.resident_id AND r.municipality_id = %(municipality_id)s
                AND r.education_level = 'vso_pro'
             OFFSET 0
         ) r
    ),
    outflow AS MATERIALIZED (  -- the outflows, each judged by the rule once
        SELECT o.resident_id, o.occurred_on, ({OUTFLOW_TO_WORK_SQL}) AS counted
          FROM vso_pro o
          JOIN caseload_benefit b ON b.id = o.benefit_id
    ),
    placed AS (
        SELECT o.resident_id, o.occurred_on AS placed_on FROM outflow o WHERE o.counted
        UNION ALL
        -- (trajectories) ended in work, unless on the day of an outflow to work that the return
        -- rule rejects: the outflow closes the work trajectories with result work (version 3).
        -- The rejected outflows are judged once above and joined on resident and day: a
        -- correlated NOT EXISTS over vso_pro judged every outflow again for every trajectory
        -- (945 x 2,069 at 40,000 households: 5.7 s, the heaviest indicator, in the bench of
        -- 4 December)
        SELECT t.resident_id, t.occurred_on FROM vso_pro t
         WHERE t.reason IS NULL
           AND NOT EXISTS (
               SELECT 1 FROM outflow o
                WHERE o.resident_id = t.resident_id AND o.occurred_on = t.occurred_on
                  AND NOT o.counted
           )
    )
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key,
           {_DIMS_TEAM_DISTRICT}
      FROM periods p
      JOIN placed pl ON pl.placed_on BETWEEN p.period_start AND p.ref_date
      JOIN caseload_resident r ON r.id = pl.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND r.education_level = 'vso_pro'
       AND pl.placed_on < {_first_day_within("r.birth_date", "27 years")}
    """


@indicator_register(
    code="participation.taal_werkvloer_outflow",
    label=_("Uitstroom vanuit taal op de werkvloer"),
    definition=_(
        "Aantal personen dat in de periode volledig uit de uitkering stroomt naar werk terwijl "
        "hun traject taal op de werkvloer loopt (het traject liep op de uitstroomdatum of "
        "eindigde die dag). Wie binnen de terugkeertermijn weer een uitkering krijgt, telt niet. "
        "Een persoon telt één keer per periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    source="Uitstroomregistratie (volledig, werk) en trajecten (taal op de werkvloer)",
    order=126,
    # 2: a benefit of the household that starts on the outflow day itself is a return within
    # the window (the independent recomputation of 4 December)
    version=2,
)
def participation_taal_werkvloer_outflow() -> str:
    # as outflow.regular_work; the trajectory check first (a hash semi-join with the taal op de
    # werkvloer trajectories keeps 1.6 % of the full outflows), then the look-ups for the events
    # it keeps only, in resident order (issue 19)
    return f"""
    WITH event AS MATERIALIZED (
        SELECT o.resident_id, o.benefit_id, o.occurred_on, o.kind, o.reason
          FROM caseload_outflowevent o
         WHERE o.kind = 'volledig' AND o.reason = 'werk' AND o.occurred_on >= {_FIRST_START}
           AND {_own("o")}
           AND EXISTS (
               SELECT 1 FROM caseload_trajectory tr
                 JOIN caseload_instrument i ON i.id = tr.instrument_id
                  AND i.code = 'taal_werkvloer'
                WHERE tr.resident_id = o.resident_id AND tr.started_on <= o.occurred_on
                  AND (tr.ended_on IS NULL OR tr.ended_on >= o.occurred_on)
           )
    ),
    counted AS MATERIALIZED (
        SELECT o.resident_id, o.occurred_on, t.name AS team,
               coalesce(d.name, 'onbekend') AS district
          FROM (SELECT * FROM event ORDER BY resident_id) o
          CROSS JOIN LATERAL (
              SELECT b.household_id, r.municipality_id, r.team_id, h.district_id
                FROM caseload_resident r
                JOIN caseload_household h ON h.id = r.household_id
                JOIN caseload_benefit b ON b.id = o.benefit_id
               WHERE r.id = o.resident_id
              OFFSET 0
          ) b
          JOIN caseload_team t ON t.id = b.team_id
          LEFT JOIN caseload_district d ON d.id = b.district_id
         WHERE b.municipality_id = %(municipality_id)s AND {OUTFLOW_TO_WORK_SQL}
    )
    SELECT p.period_start, p.period_end, o.resident_id, o.resident_id AS num_key, o.team,
           o.district
      FROM {_in_period("counted", "occurred_on", "o")}
    """


@indicator_register(
    code="participation.parttime_ondernemers",
    label=_("Ondersteunde parttime ondernemers"),
    definition=_(
        "Aantal personen met een traject parttime ondernemen / Bbz-begeleiding dat op enig "
        "moment in de periode liep (begonnen uiterlijk op de peildatum, niet geëindigd vóór de "
        "eerste dag van de periode). Een persoon telt één keer per periode."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    run_rate_forecast=False,
    source="Trajecten (instrument parttime ondernemen / Bbz-begeleiding)",
    order=127,
)
def participation_parttime_ondernemers() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key,
           {_DIMS_TEAM_DISTRICT}
      FROM periods p
      JOIN caseload_trajectory tr
        ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.period_start)
      JOIN caseload_instrument i ON i.id = tr.instrument_id AND i.code = 'parttime_ondernemen'
      JOIN caseload_resident r ON r.id = tr.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND {_own("tr")}
    """


@indicator_register(
    code="support.without_benefit",
    label=_("Ondersteund zonder uitkering (doelgroepregister)"),
    definition=_(
        "Aantal inwoners in het doelgroepregister (arbeidsbeperking) met een lopend "
        "re-integratietraject (geen Wsw) op de laatste dag van de periode, in wier huishouden "
        "dan geen uitkering loopt. Loonkostensubsidie is geen uitkering: wie met "
        "loonkostensubsidie werkt zonder bijstand, telt mee."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Inwoners (doelgroepregister), trajecten en uitkeringen",
    order=63,
    # 2: a loonkostensubsidie (a wage subsidy to the employer) is no benefit of the household,
    # as in bbv.kinderen_in_uitkeringsgezinnen; before, everyone working with it was left out
    version=2,
)
def support_without_benefit() -> str:
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id, r.id AS num_key,
           {_DIMS_TEAM_DISTRICT}
      FROM periods p
      {_OPEN_TRAJECTORY_AT_REF}
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND r.in_doelgroepregister
       AND i.category <> 'wsw'
       AND NOT EXISTS (
           SELECT 1 FROM caseload_benefit b
            WHERE b.household_id = r.household_id AND b.start_date <= p.ref_date
              AND (b.end_date IS NULL OR b.end_date > p.ref_date)
              AND b.regime IN {_BIJSTAND_REGIMES}
       )
    """


@indicator_register(
    code="support.nieuw_beschut_persons",
    label=_("Werken met ondersteuning: nieuw beschut werk (personen)"),
    definition=_(
        "Aantal personen met een lopend traject nieuw beschut werk op de laatste dag van de "
        "periode, ook zonder vastgelegde uren per week (de fte staan in 'nieuw beschut werk "
        "(fte)')."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (instrument nieuw beschut werk)",
    intervals=True,
    order=61,
)
def support_nieuw_beschut_persons() -> str:
    return _instrument_persons("i.code = 'nieuw_beschut'")


@indicator_register(
    code="support.loonkostensubsidie_persons",
    label=_("Werken met ondersteuning: loonkostensubsidie (personen)"),
    definition=_(
        "Aantal personen met een lopend traject loonkostensubsidie op de laatste dag van de "
        "periode (het instrument loonkostensubsidie; de garantiebaan telt apart). "
        "Ook zonder vastgelegde uren per week (de fte staan in 'loonkostensubsidie (fte)')."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (instrument loonkostensubsidie)",
    intervals=True,
    order=62,
)
def support_loonkostensubsidie_persons() -> str:
    return _instrument_persons("i.code = 'loonkostensubsidie'")


@indicator_register(
    code="participation.werkervaringsplaatsen",
    label=_("Werkervaringsplaatsen in gebruik"),
    definition=_(
        "Aantal personen met een lopend traject werkervaringsplaats op de laatste dag van de "
        "periode; de stand per kwartaal is die van maart, juni, september en december. "
        "Benadering van 'beschikbare plaatsen': het systeem kent de plaatsen via de trajecten "
        "die ze vullen, niet de capaciteit van de aanbieders."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    # no quarter rows: a stock's quarter is the value of the quarter's last month, and a row
    # repeating a month's cell would publish what small-number suppression hides in that month
    dimensions=("team", "district"),
    source="Trajecten (instrument werkervaringsplaats)",
    intervals=True,
    order=75,
)
def participation_werkervaringsplaatsen() -> str:
    return _instrument_persons("i.code = 'werkervaringsplaats'")


@indicator_register(
    code="participation.dagbesteding",
    label=_("Plekken arbeidsmatige dagbesteding in gebruik"),
    definition=_(
        "Aantal personen met een lopend traject arbeidsmatige dagbesteding op de laatste dag "
        "van de periode. Benadering van 'plekken': het systeem kent de plekken via de "
        "trajecten die ze vullen, niet de capaciteit van de aanbieders."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    source="Trajecten (instrument arbeidsmatige dagbesteding)",
    intervals=True,
    order=76,
)
def participation_dagbesteding() -> str:
    return _instrument_persons("i.code = 'dagbesteding'")


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


@indicator_register(
    code="bbv.werkloze_jongeren",
    label=_("Werkloze jongeren"),
    definition=_(
        "Percentage werkloze jongeren van 16 tot en met 22 jaar (BBV-indicator; bron Verwey-"
        "Jonker Instituut, Kinderen in Tel, via waarstaatjegemeente.nl). Handmatige invoer per "
        "jaar met bron en datum: het systeem kent alleen de inwoners met een uitkering of "
        "traject, niet alle jongeren van 16 tot en met 22 jaar en hun werk of opleiding."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.LOWER,
    period_kinds=(PeriodKind.YEAR,),
    numerator_sql=SUM_NUM,
    denominator_sql="NULL",
    manual=True,
    source="Verwey-Jonker Instituut, Kinderen in Tel, via waarstaatjegemeente.nl (handmatig)",
    order=215,
)
def bbv_werkloze_jongeren() -> str:
    return """
    SELECT p.period_start, p.period_end, NULL::bigint AS resident_id, mv.value AS num_key
      FROM periods p
      JOIN indicators_manualvalue mv
        ON mv.code = 'bbv.werkloze_jongeren'
       AND mv.municipality_id = %(municipality_id)s
       AND mv.period_start = p.period_start AND mv.period_end = p.period_end
    """


# 's-Hertogenbosch (000): prevention and entrepreneurs, cohorts followed for a fixed window -----

#: months after the end of WW guidance in which an application for algemene bijstand counts as
#: "applied after the guidance" (the seed names no window; part of the definition: changing it
#: is a new version of ``prevention.ww_no_application``, docs/indicators.md)
WW_PREVENTION_WINDOW_MONTHS = 6

#: a later application for algemene bijstand (or an algemene bijstand benefit starting) in the
#: household of resident ``r`` after ``{after}`` up to and including ``{until}``, not ``{not_id}``
_PW_APPLIED_IN_WINDOW = """
    EXISTS (
        SELECT 1 FROM caseload_application a2
          JOIN caseload_resident m ON m.id = a2.resident_id
         WHERE m.household_id = r.household_id AND a2.regime = 'pw' AND a2.id <> {not_id}
           AND a2.received_on > {after} AND a2.received_on <= {until}
    ) OR EXISTS (
        SELECT 1 FROM caseload_benefit b2
         WHERE b2.household_id = r.household_id AND b2.regime = 'pw'
           AND b2.start_date > {after} AND b2.start_date <= {until}
    )
"""


@indicator_register(
    code="prevention.ww_no_application",
    label=_("Geen bijstandsaanvraag na begeleiding einde WW"),
    definition=_(
        "Van de inwoners van wie de begeleiding aan het einde van de WW (melding met "
        "preventieroute 'Begeleiding einde WW (met UWV)') is afgesloten: het percentage dat "
        "binnen 6 maanden na het afsluiten geen aanvraag voor algemene bijstand deed. Telt in de "
        "periode waarin die 6 maanden om zijn (dan is de uitkomst bekend). Geen aanvraag: de "
        "melding zelf eindigde als 'voorkomen', en in het huishouden volgde binnen de 6 maanden "
        "geen andere melding voor algemene bijstand en ging geen algemene bijstand in."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Aanvragen (preventieroute en uitkomst) en uitkeringen",
    order=128,
)
def prevention_ww_no_application() -> str:
    until = f"(a.decided_on + interval '{WW_PREVENTION_WINDOW_MONTHS} months')::date"
    applied = _PW_APPLIED_IN_WINDOW.format(not_id="a.id", after="a.decided_on", until=until)
    # each closed guidance judged once, then placed on the periods its window ends in by the day
    # (issue 19: a range join of every guidance with every period compared 34 million pairs at
    # 400,000 households)
    return f"""
    WITH closed AS MATERIALIZED (
        SELECT a.id, {until} AS until, r.id AS resident_id,
               CASE WHEN a.outcome = 'voorkomen' AND NOT ({applied}) THEN a.id END AS num_key,
               {_DIMS_TEAM_DISTRICT}
          FROM caseload_application a
          JOIN caseload_resident r ON r.id = a.resident_id
          {_RESIDENT_DIMS}
         WHERE r.municipality_id = %(municipality_id)s AND {_own("a")}
           AND a.prevention_route = 'ww_coaching'
           AND a.decided_on IS NOT NULL
           AND {until} BETWEEN {_FIRST_START} AND {_LAST_REF}
    )
    SELECT p.period_start, p.period_end, a.resident_id, a.num_key, a.id AS den_key, a.team,
           a.district
      FROM {_in_period("closed", "until", "a")}
    """


@indicator_register(
    code="ondernemers.bbz_no_pwet_application",
    label=_("Ondernemers zonder bijstandsaanvraag binnen een jaar na Bbz"),
    definition=_(
        "Van de ondernemers aan wie Bbz-levensonderhoud (Bbz voor starters) is toegekend: het "
        "percentage in wier huishouden binnen een jaar na de ingangsdatum geen aanvraag voor "
        "algemene bijstand (Participatiewet) is gedaan en geen algemene bijstand is ingegaan. "
        "Telt in de periode waarin dat jaar om is. Bedrijfskapitaal (een lening) staat niet in "
        "het systeem en telt niet als ondersteuning."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.HIGHER,
    dimensions=("team", "district"),
    is_flow=True,
    denominator_sql=COUNT_DEN,
    source="Uitkeringen (Bbz starters, algemene bijstand) en aanvragen",
    order=129,
)
def ondernemers_bbz_no_pwet_application() -> str:
    until = "(b.start_date + interval '1 year')::date"
    applied = _PW_APPLIED_IN_WINDOW.format(not_id="0", after="b.start_date", until=until)
    # as prevention.ww_no_application: each benefit judged once, placed on the periods by day
    return f"""
    WITH started AS MATERIALIZED (
        SELECT b.id, {until} AS until, r.id AS resident_id,
               CASE WHEN NOT ({applied}) THEN b.id END AS num_key, {_DIMS_TEAM_DISTRICT}
          FROM caseload_benefit b
          JOIN caseload_resident r ON r.id = b.applicant_id
          {_RESIDENT_DIMS}
         WHERE r.municipality_id = %(municipality_id)s AND b.regime = 'bbz_starter'
           AND {_own("b")}
           AND {until} BETWEEN {_FIRST_START} AND {_LAST_REF}
    )
    SELECT p.period_start, p.period_end, b.resident_id, b.num_key, b.id AS den_key, b.team,
           b.district
      FROM {_in_period("started", "until", "b")}
    """


# 's-Hertogenbosch (000) and Amersfoort (004): fte of supported work, banenafspraak jobs --------

#: hours of a full-time working week for the fte count: the normal week of the municipal
#: collective agreement (CAR-UWO / Cao Gemeenten: 36 hours). Part of the definitions of the
#: ``*_fte`` indicators (docs/indicators.md); another week is a new version of them.
FTE_WEEK_HOURS = 36

#: the first day from which banenafspraak jobs count ('s-Hertogenbosch: "gerekend vanaf 2015",
#: the start of the Participatiewet and the banenafspraak)
BANENAFSPRAAK_FROM = "2015-01-01"


#: the average fte of a period from its facts (hours x days each): one division of their sum by
#: the full-time hours of the period's days up to the reference date. Dividing each fact first
#: and summing the quotients cut each at 20 digits, so an exact half (33,28125) was stored as
#: 33,2812 (the independent recomputation of 4 December)
FTE_NUM = f"sum(f.num_key) / ({FTE_WEEK_HOURS} * (max(p.ref_date) + 1 - p.period_start))::numeric"


def _instrument_fte(code: str) -> str:
    """Facts of "average fte in the period" of the placements of instrument ``code``: each
    trajectory with hours adds hours / week x its days in the period up to the reference date;
    :data:`FTE_NUM` divides their sum by 36 x the days of the period up to that date."""
    return f"""
    SELECT p.period_start, p.period_end, r.id AS resident_id,
           tr.hours_per_week
             * (LEAST(coalesce(tr.ended_on, 'infinity'::date), p.ref_date + 1)
                - GREATEST(tr.started_on, p.period_start)) AS num_key
      FROM periods p
      JOIN caseload_trajectory tr
        ON tr.started_on <= p.ref_date AND (tr.ended_on IS NULL OR tr.ended_on > p.period_start)
      JOIN caseload_instrument i ON i.id = tr.instrument_id AND i.code = '{code}'
      JOIN caseload_resident r ON r.id = tr.resident_id
     WHERE r.municipality_id = %(municipality_id)s AND {_own("tr")}
       AND tr.hours_per_week IS NOT NULL
    """


@indicator_register(
    code="support.nieuw_beschut_fte",
    label=_("Werken met ondersteuning: nieuw beschut werk (fte)"),
    definition=_(
        "Gemiddeld aantal fte nieuw beschut werk in de periode (tot en met de peildatum): per "
        "traject nieuw beschut werk de uren per week gedeeld door 36 (een volledige werkweek), "
        "gewogen naar het deel van de periode dat het traject liep. Trajecten zonder uren per "
        "week tellen niet mee."
    ),
    unit=Unit.FTE,
    direction=Direction.HIGHER,
    numerator_sql=FTE_NUM,
    source="Trajecten (instrument nieuw beschut werk, uren per week)",
    order=64,
    # 2: one division of the summed hours x days (an exact half was cut below it)
    version=2,
)
def support_nieuw_beschut_fte() -> str:
    return _instrument_fte("nieuw_beschut")


@indicator_register(
    code="support.loonkostensubsidie_fte",
    label=_("Werken met ondersteuning: loonkostensubsidie (fte)"),
    definition=_(
        "Gemiddeld aantal fte met loonkostensubsidie in de periode (tot en met de peildatum): "
        "per traject loonkostensubsidie de uren per week gedeeld door 36 (een volledige "
        "werkweek), gewogen naar het deel van de periode dat het traject liep. Trajecten zonder "
        "uren per week tellen niet mee."
    ),
    unit=Unit.FTE,
    direction=Direction.HIGHER,
    numerator_sql=FTE_NUM,
    source="Trajecten (instrument loonkostensubsidie, uren per week)",
    order=65,
    # 2: one division of the summed hours x days (an exact half was cut below it)
    version=2,
)
def support_loonkostensubsidie_fte() -> str:
    return _instrument_fte("loonkostensubsidie")


@indicator_register(
    code="banenafspraak.jobs",
    label=_("Banen in de banenafspraak (vanaf 2015)"),
    definition=_(
        "Aantal banen in de banenafspraak (garantiebanen) op de laatste dag van de periode: "
        "lopende trajecten die als banenafspraakbaan zijn vastgelegd (met de sector van de "
        "werkgever: markt of overheid) en op of na 1 januari 2015 begonnen. Een baan telt "
        "één keer; twee banen van één inwoner tellen twee keer."
    ),
    unit=Unit.COUNT,
    direction=Direction.HIGHER,
    dimensions=("sector", "team", "district"),
    source="Trajecten (banenafspraak: sector van de werkgever)",
    intervals=True,
    order=66,
)
def banenafspraak_jobs() -> str:
    # interval facts: each job (trajectory) counts while it runs; jobs are distinct things, so
    # their spans need no merging (before 4 December: a fact per open trajectory and period)
    return f"""
    SELECT r.id AS resident_id, tr.started_on AS valid_from, tr.ended_on AS valid_to, 1 AS num,
           0 AS den, tr.banenafspraak_sector AS sector, {_DIMS_TEAM_DISTRICT}
      FROM caseload_trajectory tr
      JOIN caseload_resident r ON r.id = tr.resident_id
      {_RESIDENT_DIMS}
     WHERE r.municipality_id = %(municipality_id)s AND {_own("tr")}
       AND tr.banenafspraak_sector <> ''
       AND tr.started_on >= DATE '{BANENAFSPRAAK_FROM}' AND tr.started_on <= {_LAST_REF}
       AND (tr.ended_on IS NULL OR tr.ended_on > {_FIRST_REF})
    """
