"""Honest forecasts (issue 15): a running month counts by the days elapsed, percentages come
from their numerator and denominator, status agrees with direction and progress.

Property tests over dates and histories (hypothesis) and the regression of 2 December.
"""

import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import calculations as calc
from indicators.models import IndicatorValue
from indicators.registry import indicator_get
from indicators.selectors import Card, Masks, _cell, _forecast

RANK = {calc.OFF_TRACK: 0, calc.AT_RISK: 1, calc.ON_TRACK: 2}
amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
dates_2026 = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))


def test_finding_15_a_running_month_counts_by_the_days_elapsed():
    """Issue 15: on 2 December two days of December were counted as a whole month."""
    assert calc.months_elapsed(year=2026, today=dt.date(2026, 12, 2)) == 11 + D(2) / 31
    assert calc.months_elapsed(year=2026, today=dt.date(2026, 12, 31)) == 12
    assert calc.months_elapsed(year=2025, today=dt.date(2026, 1, 5)) == 12
    assert calc.months_elapsed(year=2027, today=dt.date(2026, 1, 5)) == 0
    # 267 outflows by 2 December at an even pace: about 290 by the year end, not 267
    assert round(calc.forecast_flow(year_to_date=D(267), months_elapsed=11 + D(2) / 31)) == 290


def _rows(code, year, values, numerators=None, denominators=None):
    rows = []
    for month, value in enumerate(values, start=1):
        start = dt.date(year, month, 1)
        rows.append(
            IndicatorValue(
                code=code,
                period_kind="month",
                period_start=start,
                period_end=start,
                dimension="",
                dimension_value="",
                value=value,
                numerator=numerators[month - 1] if numerators else value,
                denominator=denominators[month - 1] if denominators else None,
            )
        )
    return rows


def test_finding_15_a_share_on_2_december_is_no_0_or_100_percent():
    """Issue 15: the part-time share's December holds two days of payments (none yet), so its
    month value is 0,0 % and the old level forecast (the latest month) said 0,0 %; the forecast
    now counts December by its two days and lands near November's 30 %."""
    defn = indicator_get("caseload.parttime_share")
    dens = [D(1000)] * 12
    nums = [D(300)] * 11 + [D(0)]
    values = [n * 100 / d for n, d in zip(nums, dens, strict=True)]
    months = _rows(defn.code, 2026, values, nums, dens)
    card = Card(defn=defn, value=D(0), numerator=D(0), denominator=D(1000), target=D(25))
    _forecast(card, defn=defn, year=2026, today=dt.date(2026, 12, 2), months=months, last_year=[])
    assert D(27) < card.forecast < D(30.01)
    assert card.forecast_text not in ("0,0%", "100,0%")
    assert "teller en noemer" in card.forecast_method
    assert "11,1 van 12 maanden" in card.forecast_inputs


def test_finding_15_a_flow_share_is_projected_from_numerator_and_denominator():
    """Issue 15: ``outflow.pct_caseload`` divided a projected count by the denominator so far;
    the denominator (caseload at the start plus inflow) now grows too."""
    defn = indicator_get("outflow.pct_caseload")
    # January: 1,000 benefits ran; 10 more each month; 10 ended each month
    dens = [D(1000)] * 6
    nums = [D(10)] * 6
    months = _rows(defn.code, 2026, [D(1)] * 6, nums, dens)
    card = Card(defn=defn, value=D(6), numerator=D(60), denominator=D(1050), target=D(10))
    _forecast(card, defn=defn, year=2026, today=dt.date(2026, 6, 30), months=months, last_year=[])
    # 120 ended of 1,000 + 50 x 11/5 = 1,110 -> 10.8 %, not 120 / 1,050 = 11.4 %
    assert round(card.forecast, 1) == D("10.8")


def test_no_forecast_before_a_month_has_passed():
    defn = indicator_get("outflow.to_work")
    months = _rows(defn.code, 2026, [D(3)])
    card = Card(defn=defn, value=D(3), numerator=D(3), target=D(267))
    _forecast(card, defn=defn, year=2026, today=dt.date(2026, 1, 2), months=months, last_year=[])
    assert card.forecast is None
    # a target but no forecast yet: not "Geen streefwaarde", which would deny the target
    assert card.status == calc.NO_FORECAST
    assert card.status_label == "Nog geen prognose"
    assert "nog geen prognose" in card.forecast_method


def test_finding_15_never_off_track_past_the_target_in_the_good_direction():
    """Issue 15: "Niet op koers" beside a 100 % progress bar for a figure above its target."""
    status = calc.forecast_status(
        forecast=D(0), target=D(25), higher_is_better=True, value=D(31), is_flow=False
    )
    assert status == calc.AT_RISK
    status = calc.forecast_status(
        forecast=D(200), target=D(267), higher_is_better=True, value=D(270), is_flow=True
    )
    assert status == calc.ON_TRACK
    assert calc.progress_percentage(value=D(31), target=D(25), higher_is_better=True) == 100


@settings(max_examples=200, deadline=None)
@given(a=amounts, b=amounts, target=amounts, higher=st.booleans(), is_flow=st.booleans())
def test_status_is_monotone_in_the_value(a, b, target, higher, is_flow):
    """A better figure (and a better forecast) never gets a worse status."""
    lo, hi = sorted([a, b])
    worse, better = (lo, hi) if higher else (hi, lo)
    s_worse = calc.forecast_status(
        forecast=worse, target=target, higher_is_better=higher, value=worse, is_flow=is_flow
    )
    s_better = calc.forecast_status(
        forecast=better, target=target, higher_is_better=higher, value=better, is_flow=is_flow
    )
    assert RANK[s_better] >= RANK[s_worse]


@settings(max_examples=200, deadline=None)
@given(value=amounts, target=amounts, higher=st.booleans())
def test_progress_is_capped(value, target, higher):
    progress = calc.progress_percentage(value=value, target=target, higher_is_better=higher)
    assert 0 <= progress <= 100


@settings(max_examples=100, deadline=None)
@given(
    history=st.lists(amounts, min_size=12, max_size=12),
    last_year=st.one_of(st.none(), st.lists(amounts, min_size=12, max_size=12)),
    code=st.sampled_from(["outflow.to_work", "caseload.size", "caseload.parttime_share"]),
)
def test_a_forecast_on_the_last_day_equals_the_realised_value(history, last_year, code):
    defn = indicator_get(code)
    dens = [D(1000)] * 12
    months = _rows(code, 2026, history, history, dens)
    last = _rows(code, 2025, last_year, last_year, dens) if last_year else []
    value = sum(history) if defn.is_flow else history[-1]
    card = Card(defn=defn, value=value, numerator=value, denominator=D(1000), target=D(100))
    _forecast(
        card, defn=defn, year=2026, today=dt.date(2026, 12, 31), months=months, last_year=last
    )
    assert card.forecast == value


@settings(max_examples=150, deadline=None)
@given(ytd=amounts, today=dates_2026, last_year=st.lists(amounts, min_size=12, max_size=12))
def test_a_count_forecast_is_never_below_what_is_counted(ytd, today, last_year):
    elapsed = calc.months_elapsed(year=2026, today=today)
    forecast = calc.forecast_flow(
        year_to_date=ytd, months_elapsed=elapsed, last_year_monthly=last_year
    )
    assert forecast is not None and forecast >= ytd


def test_a_hidden_month_keeps_a_count_forecast_and_takes_a_stock_forecast():
    """The walk of 3 December: the manager (small numbers hidden) saw no forecast for the
    outflow target of 267 while the teamleider saw one. A count over the year is projected from
    the published year-to-date figure alone (a hidden month does not enter it); a level or a
    share still gets none when a month it is projected from is hidden."""
    from indicators.selectors import Masks, _cell

    flow = indicator_get("outflow.to_work")
    months = _rows(flow.code, 2026, [D(20)] * 10 + [D(3)])
    hidden = Masks(numerator=frozenset({_cell(months[-1])}))
    forecasts = []
    for masks in (hidden, Masks()):
        card = Card(defn=flow, value=D(203), numerator=D(203), target=D(267))
        _forecast(
            card,
            defn=flow,
            year=2026,
            today=dt.date(2026, 11, 30),
            months=months,
            last_year=[],
            masks=masks,
        )
        forecasts.append(card.forecast)
    assert forecasts[0] is not None and forecasts[0] == forecasts[1]
    stock = indicator_get("caseload.size")
    levels = _rows(stock.code, 2026, [D(900)] * 10 + [D(3)])
    card = Card(defn=stock, value=D(3), numerator=D(3))
    _forecast(
        card,
        defn=stock,
        year=2026,
        today=dt.date(2026, 11, 30),
        months=levels,
        last_year=[],
        masks=Masks(numerator=frozenset({_cell(levels[-1])})),
    )
    assert card.forecast is None


def test_walk_3_december_an_fte_year_average_is_forecast_as_an_average():
    """The walk of 3 December: "nieuw beschut fte" read 28,85 for the year so far (an average
    over the year's days) and its forecast 40,68, the December level: with 0,9 month left the
    year's average cannot pass about 30. The forecast is now the average so far for the months
    elapsed and the mean of the level now and the December level for the rest."""
    defn = indicator_get("support.nieuw_beschut_fte")
    assert defn.is_period_average
    levels = [D(15) + D(25) * i / 11 for i in range(12)]  # 15 in January to 40 in December
    months = _rows(defn.code, 2026, levels)
    card = Card(defn=defn, value=D("28.85"), numerator=D("28.85"), target=D(60))
    _forecast(card, defn=defn, year=2026, today=dt.date(2026, 12, 3), months=months, last_year=[])
    assert D(28.85) < card.forecast < D(31)
    assert "gemiddelde tot nu" in card.forecast_method


def test_walk_3_december_a_share_over_the_period_is_not_projected_from_its_months():
    """The walk of 3 December: "Langdurige uitkering en stijging op de participatieladder" read
    24,2 % for the year so far and 11,9 % as its forecast (its months, each about 12 %, were
    projected as levels, though the year counts everyone measured in the year). A share over
    the whole period keeps its figure so far."""
    defn = indicator_get("amersfoort.ladder_climbing")
    assert defn.period_window
    nums, dens = [D(12)] * 12, [D(100)] * 12
    months = _rows(defn.code, 2026, [D(12)] * 12, nums, dens)
    last_year = _rows(defn.code, 2025, [D(12)] * 12, nums, dens)
    card = Card(defn=defn, value=D("24.2"), numerator=D(121), denominator=D(500), target=D(20))
    _forecast(
        card, defn=defn, year=2026, today=dt.date(2026, 12, 3), months=months, last_year=last_year
    )
    assert card.forecast == D("24.2")
    assert card.status == calc.ON_TRACK
    assert "cijfer tot nu" in card.forecast_method
    for code in ("matching.durable_placements", "matching.time_to_fill"):
        assert indicator_get(code).period_window, code


def _in_december(card, months, masks):
    """The forecast of ``card`` on 3 December 2026 from this year's ``months`` alone."""
    _forecast(
        card,
        defn=card.defn,
        year=2026,
        today=dt.date(2026, 12, 3),
        months=months,
        last_year=[],
        masks=masks,
    )


def test_walk_3_december_a_share_over_the_period_keeps_its_forecast_with_a_hidden_month():
    """The second walk of 3 December: Hilversum's ladder card read "Nog geen prognose" for a
    manager, because its December (a small count) was hidden; its forecast is the published
    year figure and reads no month."""
    defn = indicator_get("amersfoort.ladder_climbing")
    nums, dens = [D(12)] * 11 + [D(2)], [D(100)] * 11 + [D(9)]
    months = _rows(defn.code, 2026, [D(12)] * 11 + [D("22.2")], nums, dens)
    masks = Masks(numerator=frozenset({_cell(months[-1])}), percentage=True)
    assert masks.value_hidden(months[-1])
    card = Card(defn=defn, value=D("22.2"), numerator=D(122), denominator=D(550), target=D(20))
    _in_december(card, months, masks)
    assert card.forecast == D("22.2")


def test_walk_3_december_a_flow_share_with_a_hidden_month_keeps_the_year_so_far():
    """The second walk of 3 December (M7): 11 of the 19 cards with a target of Groningen's
    manager read "Nog geen prognose" in December because one month was hidden. A share of two
    flows goes on at its pace, so its published year figure is its forecast; a level whose
    month is hidden says that it is hidden, not "nog"."""
    defn = indicator_get("prevention.inflow_per_application")
    assert defn.is_flow and defn.denominator_sql is not None
    nums, dens = [D(20)] * 10 + [D(2)], [D(36)] * 10 + [D(4)]  # the months add up: 202 / 364
    months = _rows(defn.code, 2026, [D("55.6")] * 10 + [D(50)], nums, dens)
    masks = Masks(numerator=frozenset({_cell(months[-1])}), percentage=True)
    assert masks.value_hidden(months[-1])
    card = Card(defn=defn, value=D("55.5"), numerator=D(202), denominator=D(364), target=D(60))
    _in_december(card, months, masks)
    assert card.forecast == D("55.5")
    assert "afgeschermd" in card.forecast_method

    # a share whose denominator is the caseload at the start plus inflow rises over the year
    # (its numerator grows faster): the year so far is no forecast of it (the second walk:
    # 17,2 % for the manager against 18,3 % for the teamleider); none, and says why
    defn = indicator_get("outflow.pct_caseload")
    dens = [D(2200)] + [D(2200) + D(40) * i for i in range(1, 11)]  # a running total
    months = _rows(defn.code, 2026, [D(1)] * 11, [D(40)] * 10 + [D(2)], dens)
    masks = Masks(numerator=frozenset({_cell(months[-1])}), percentage=True)
    card = Card(defn=defn, value=D("17.2"), numerator=D(402), denominator=D(2600), target=D(20))
    _in_december(card, months, masks)
    assert card.forecast is None and card.status == calc.NO_FORECAST_HIDDEN

    stock = indicator_get("caseload.size")
    levels = _rows(stock.code, 2026, [D(900)] * 10 + [D(3)])
    card = Card(defn=stock, value=D(3), numerator=D(3), target=D(800))
    _forecast(
        card,
        defn=stock,
        year=2026,
        today=dt.date(2026, 11, 30),
        months=levels,
        last_year=[],
        masks=Masks(numerator=frozenset({_cell(levels[-1])})),
    )
    assert card.forecast is None and card.status == calc.NO_FORECAST_HIDDEN
    assert card.status_label == "Geen prognose: maandcijfer afgeschermd"


def test_recomputation_3_december_people_supported_in_the_year_grow_from_january():
    """The recomputation of 3 December: ``participation.parttime_ondernemers`` (those with a
    trajectory at any time in the period; months do not add up) declared
    ``run_rate_forecast=False`` but was projected from its run rate (32 so far gave 36,2). Its
    forecast is January's figure plus those who came later at their pace."""
    defn = indicator_get("participation.parttime_ondernemers")
    assert defn.forecast_from_first_month
    months = _rows(defn.code, 2026, [D(25)] * 12)
    card = Card(defn=defn, value=D(32), numerator=D(32), target=D(40))
    today = dt.date(2026, 12, 3)
    _forecast(card, defn=defn, year=2026, today=today, months=months, last_year=[])
    elapsed = calc.months_elapsed(year=2026, today=today)
    assert card.forecast == D(32) + D(7) * (12 - elapsed) / (elapsed - 1)
    assert D(32) < card.forecast < D("32.7")
    assert "januari plus" in card.forecast_method
    # January hidden from a manager: no forecast (it would give January away)
    masks = Masks(numerator=frozenset({_cell(months[0])}))
    card = Card(defn=defn, value=D(32), numerator=D(32), target=D(40))
    _forecast(card, defn=defn, year=2026, today=today, months=months, last_year=[], masks=masks)
    assert card.forecast is None and card.status == calc.NO_FORECAST_HIDDEN


def test_a_year_that_is_over_reads_met_or_not_met_without_a_forecast():
    """The walk of 4 December: 2025 on the dashboard in December 2026 read "Prognose jaareinde
    260 (gerealiseerd)" and "Stand: Risico" as if the year still ran. A year that is over reads
    "Gehaald" or "Niet gehaald", from the realised figure, without a forecast."""
    defn = indicator_get("outflow.to_work")
    months = _rows(defn.code, 2025, [D(20)] * 12)
    for value, status, label in (
        (D(260), calc.NOT_MET, "Niet gehaald"),
        (D(270), calc.MET, "Gehaald"),
    ):
        card = Card(defn=defn, value=value, numerator=value, target=D(267))
        _forecast(
            card, defn=defn, year=2025, today=dt.date(2026, 12, 4), months=months, last_year=[]
        )
        assert card.final and card.status == status and card.status_label == label
    # a level below its target in the good direction (lower is better) is met too
    level = indicator_get("caseload.size")
    card = Card(defn=level, value=D(2400), numerator=D(2400), target=D(2500))
    _forecast(
        card,
        defn=level,
        year=2025,
        today=dt.date(2026, 1, 1),
        months=_rows(level.code, 2025, [D(2400)] * 12),
        last_year=[],
    )
    assert level.direction == "lower" and card.status == calc.MET
    # the running year keeps its forecast
    card = Card(defn=defn, value=D(240), numerator=D(240), target=D(267))
    _forecast(
        card,
        defn=defn,
        year=2026,
        today=dt.date(2026, 12, 4),
        months=_rows(defn.code, 2026, [D(20)] * 12),
        last_year=[],
    )
    assert not card.final and card.status in (calc.ON_TRACK, calc.AT_RISK, calc.OFF_TRACK)
