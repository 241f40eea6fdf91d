"""Pure arithmetic: periods, forecasts, status, small-count suppression (table-driven)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from indicators import calculations as calc


def test_periods_of_a_running_year_stop_at_today():
    periods = calc.periods_of_year(2026, ("month", "quarter", "year"), dt.date(2026, 5, 3))
    assert [p.label for p in periods] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-K1",
        "2026-K2",
        "2026",
    ]
    assert periods[1].end == dt.date(2026, 2, 28)


def test_periods_affected_are_those_ending_on_or_after_the_change():
    periods = calc.periods_of_year(2025, ("month", "year"), dt.date(2026, 1, 1))
    affected = calc.periods_affected(periods, dt.date(2025, 10, 15))
    assert [p.label for p in affected] == ["2025-10", "2025-11", "2025-12", "2025"]


@pytest.mark.parametrize(
    ("ytd", "months", "last_year", "expected"),
    [
        (D(100), 6, None, D(200)),  # run rate
        (D(100), 12, None, D(100)),  # year complete
        (D(0), 0, None, None),
        # last year: half of the year's outflow came in the first 4 months -> 100 / 0.5
        (D(100), 4, [D(15)] * 4 + [D(7.5)] * 8, D(200)),
        # last year's one event in December is no pattern (2 so far gave 20,7: the
        # recomputation of 3 December): the run rate
        (D(2), D(11) + D(3) / D(31), [D(0)] * 11 + [D(1)], D(2) * 12 / (D(11) + D(3) / D(31))),
    ],
)
def test_forecast_flow(ytd, months, last_year, expected):
    assert (
        calc.forecast_flow(year_to_date=ytd, months_elapsed=months, last_year_monthly=last_year)
        == expected
    )


@pytest.mark.parametrize(
    ("monthly", "last_year", "expected"),
    [
        ([D(100), D(110), D(120)], None, D(210)),  # +10 a month for nine more months
        ([D(50)], None, D(50)),
        ([], None, None),
        # last year went from 80 (March) to 70 (December): 120 - 10
        ([D(100), D(110), D(120)], [D(90), D(85), D(80)] + [D(75)] * 8 + [D(70)], D(110)),
    ],
)
def test_forecast_stock(monthly, last_year, expected):
    assert calc.forecast_stock(monthly=monthly, last_year_monthly=last_year) == expected


@pytest.mark.parametrize(
    ("forecast", "target", "higher", "expected"),
    [
        (D(270), D(267), True, calc.ON_TRACK),
        (D(250), D(267), True, calc.AT_RISK),
        (D(200), D(267), True, calc.OFF_TRACK),
        (D(40), D(45), False, calc.ON_TRACK),
        (D(48), D(45), False, calc.AT_RISK),
        (D(60), D(45), False, calc.OFF_TRACK),
        (D(60), None, False, calc.NO_TARGET),
        (None, D(45), True, calc.NO_FORECAST),
    ],
)
def test_forecast_status(forecast, target, higher, expected):
    assert (
        calc.forecast_status(forecast=forecast, target=target, higher_is_better=higher) == expected
    )


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (D(205), D(267), True, 76),
        (D(300), D(267), True, 100),
        (D(50), D(45), False, 90),
        (None, D(1), True, None),
    ],
)
def test_progress(value, target, higher, expected):
    assert calc.progress_percentage(value=value, target=target, higher_is_better=higher) == expected


@pytest.mark.parametrize(("count", "text"), [(0, "0"), (3, "<5"), (5, "5"), (None, "")])
def test_suppress_small(count, text):
    assert calc.suppress_small(count) == text
