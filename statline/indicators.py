# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""The indicator on a national series (issue 17, seed 004 Amersfoort), registered with the
indicator engine at start-up (``StatlineConfig.ready``); its entry is in docs/indicators.md.

``amersfoort.caseload_vs_national``, "Ontwikkeling bestand t.o.v. landelijke lijn": how the
municipality's number of persons with algemene bijstand changed over the year before the
reference date, minus how the national number changed over the same year (CBS StatLine 85585NED,
imported by ``manage.py import_cbs_series``), in percentage points. Per quarter and year; the
reference date is the last day of the quarter (a year: 31 December, so its value is that of its
fourth quarter), the base is the same day one year earlier. A quarter without a national figure
on either date (or a quarter or year still running) has no value: the dashboard says "geen
landelijk cijfer", never 0, followed by which quarters the imported series covers and the date of
its last figure (:func:`national_coverage_text`, read when the card is rendered): CBS publishes
with a delay and the committed snapshot ends before the demo's years, so "no national figure"
alone read as a fault (walk-through of 3 December 2026).
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.registry import SUM_NUM, Direction, PeriodKind, Unit, indicator_register

CODE = "amersfoort.caseload_vs_national"
#: the national series the indicator reads (``NationalSeries.code``; the snapshot's source note)
NATIONAL_SERIES = "cbs.85585ned.personen_met_bijstand"
#: the indicators that read a national series: recomputed after an import
NATIONAL_SERIES_INDICATORS = (CODE,)


def national_coverage_text() -> str:
    """What the card shows for a period without a value: "geen landelijk cijfer" and the
    quarters of the imported national series (first up to and including last, with the date of
    the last figure), or that the series has not been imported. Read from the database each
    time the text is used (one query), so it follows a newer snapshot without a code change."""
    from .calculations import CellError, period_label
    from .models import NationalSeriesValue

    rows = list(
        NationalSeriesValue.objects.filter(series__code=NATIONAL_SERIES, period_kind="quarter")
        .order_by("period_start")
        .values_list("period_code", "period_end", "provisional")
    )
    if not rows:
        return gettext("geen landelijk cijfer (de CBS-reeks is niet ingelezen)")
    (first_code, _first_end, _p), (last_code, last_end, last_provisional) = rows[0], rows[-1]
    try:
        first, last = period_label(first_code), period_label(last_code)
    except CellError:  # pragma: no cover - the importer stores only codes it could read
        first, last = first_code, last_code
    if last_provisional:
        last = gettext("%(period)s (voorlopig)") % {"period": last}
    return gettext(
        "geen landelijk cijfer (CBS-cijfers ingelezen van %(first)s tot en met %(last)s, "
        "stand %(date)s; CBS publiceert met vertraging)"
    ) % {"first": first, "last": last, "date": f"{last_end:%d-%m-%Y}"}


class _NoNationalFigureText(str):
    """``no_value_text`` of the indicator: "geen landelijk cijfer" as a plain string (so a truth
    test costs nothing), and :func:`national_coverage_text` when the dashboard turns it into the
    card's text with ``str()``: one query, only for a card without a value that is rendered
    (the rendered cards are cached, ``indicators.dashboard_cache``)."""

    def __str__(self) -> str:
        return national_coverage_text()


@indicator_register(
    code=CODE,
    label=_("Ontwikkeling bestand t.o.v. landelijke lijn"),
    definition=_(
        "Groei van het aantal personen met algemene bijstand in de gemeente over het jaar vóór "
        "de peildatum, min de groei van het landelijke aantal personen met bijstand over "
        "hetzelfde jaar (CBS StatLine 85585NED), in procentpunten. Peildatum: de laatste dag "
        "van het kwartaal (een jaar: 31 december); basis: dezelfde dag een jaar eerder. In de "
        "gemeente tellen de aanvrager en de partner in een huishouden met een lopende "
        "Participatiewet-uitkering. Negatief: het bestand groeide minder (of kromp meer) dan "
        "landelijk. Zonder landelijk cijfer voor beide kwartalen geen waarde; het dashboard "
        "noemt dan de kwartalen waarvoor CBS-cijfers zijn ingelezen (CBS publiceert met "
        "vertraging, en nieuwere cijfers tellen pas mee na een nieuwe momentopname)."
    ),
    unit=Unit.PERCENTAGE,
    direction=Direction.LOWER,
    period_kinds=(PeriodKind.QUARTER, PeriodKind.YEAR),
    numerator_sql=SUM_NUM,
    denominator_sql="sum(f.den_key)",
    source=(
        "Uitkeringen en huishoudleden; landelijk: CBS StatLine 85585NED 'Personen met bijstand; "
        "duur van de lopende uitkeringssituatie' (CC BY 4.0), ingelezen zoals gepubliceerd"
    ),
    # read when the card is rendered: the coverage of the series as imported
    no_value_text=_NoNationalFigureText("geen landelijk cijfer"),
    small_counts=False,
    order=196,
)
def amersfoort_caseload_vs_national() -> str:
    # refs: the periods that have ended, with their reference date d1 and the base date d0.
    # persons: applicant and partner while their household has an algemene bijstand benefit
    # (a benefit runs from its start date up to, not on, its end date).
    # base: per period with a national figure on both dates, the persons on d0 (m0) and the
    # national figures; one fact row carries -m0 * n1 / n0 in the numerator and m0 in the
    # denominator, and each person on d1 adds 1 to the numerator (and is the drill-down):
    # numerator = m1 - m0 * n1 / n0, value = 100 * numerator / m0 = 100 * (m1/m0 - n1/n0).
    return f"""
    WITH refs AS (
        SELECT p.period_start, p.period_end, p.period_end AS d1,
               (p.period_end - interval '1 year')::date AS d0
          FROM periods p
         WHERE p.ref_date = p.period_end
    ),
    national AS (
        SELECT v.period_end, v.value
          FROM statline_nationalseriesvalue v
          JOIN statline_nationalseries s ON s.id = v.series_id
         WHERE s.code = '{NATIONAL_SERIES}' AND v.period_kind = 'quarter'
    ),
    persons AS (
        SELECT m.id AS resident_id, b.start_date AS lo,
               coalesce(b.end_date, 'infinity'::date) AS hi
          FROM caseload_benefit b
          JOIN caseload_household h ON h.id = b.household_id
          JOIN caseload_resident m ON m.household_id = b.household_id
         WHERE h.municipality_id = %(municipality_id)s AND b.regime = 'pw'
           AND m.household_role IN ('aanvrager', 'partner')
           AND b.start_date <= (SELECT max(d1) FROM refs)
           AND (b.end_date IS NULL OR b.end_date > (SELECT min(d0) FROM refs))
    ),
    base AS (
        SELECT r.period_start, r.period_end, r.d1, n1.value AS n1, n0.value AS n0,
               count(DISTINCT x.resident_id) AS m0
          FROM refs r
          JOIN national n1 ON n1.period_end = r.d1
          JOIN national n0 ON n0.period_end = r.d0 AND n0.value > 0
          LEFT JOIN persons x ON x.lo <= r.d0 AND x.hi > r.d0
         GROUP BY r.period_start, r.period_end, r.d1, n1.value, n0.value
        HAVING count(DISTINCT x.resident_id) > 0
    )
    SELECT b.period_start, b.period_end, NULL::bigint AS resident_id,
           -(b.m0 * b.n1 / b.n0) AS num_key, b.m0 AS den_key
      FROM base b
    UNION ALL
    SELECT DISTINCT b.period_start, b.period_end, x.resident_id, 1::numeric, NULL::bigint
      FROM base b
      JOIN persons x ON x.lo <= b.d1 AND x.hi > b.d1
    """
