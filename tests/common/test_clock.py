"""The one clock (common/clock.py): today is the date in Amsterdam, also on a UTC server."""

import datetime as dt
import time

import pytest

from common import clock
from indicators.models import FillState
from indicators.tasks import indicators_recompute_current_task
from tests import factories

UTC = dt.UTC


@pytest.fixture
def utc_server(monkeypatch):
    """The process runs in UTC, as a container usually does (``date.today()`` is the UTC date)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_is_the_municipality_date_not_the_utc_date(utc_server):
    moment = dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 December in Amsterdam
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2026, 12, 1)
    # summer time: UTC+2
    with clock.frozen(dt.datetime(2031, 6, 30, 22, 30, tzinfo=UTC)):
        assert clock.today() == dt.date(2031, 7, 1)
    with clock.frozen(dt.datetime(2031, 6, 30, 21, 59, tzinfo=UTC)):
        assert clock.today() == dt.date(2031, 6, 30)


def test_the_clock_runs_again_after_frozen():
    with clock.frozen(dt.datetime(2030, 1, 1, tzinfo=UTC)):
        assert clock.today() == dt.date(2030, 1, 1)
    assert abs(clock.now() - dt.datetime.now(UTC)) < dt.timedelta(seconds=5)


def test_clock_set_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        clock.clock_set(dt.datetime(2030, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "month"),
    [
        # the brief's case: 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam
        (dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC), dt.date(2026, 12, 1)),
        # summer time, and a date the real clock cannot accidentally agree with
        (dt.datetime(2031, 3, 31, 22, 30, tzinfo=UTC), dt.date(2031, 4, 1)),
    ],
)
def test_point_10_current_period_recompute_targets_the_amsterdam_month(utc_server, moment, month):
    """Issue 16, point 10: the current-period recompute (beat, every few minutes) took the
    server's ``date.today()``; on a UTC server it refreshed the previous month for the first hour
    of a new month. It now takes ``common.clock.today()``, the date in Amsterdam."""
    municipality = factories.MunicipalityFactory()
    with clock.frozen(moment):
        indicators_recompute_current_task.apply().get()
    periods = FillState.objects.filter(
        municipality=municipality, state=FillState.State.DONE
    ).values_list("period_start", "period_end")
    assert periods, "the recompute filled nothing"
    assert {start for start, end in periods if (end - start).days < 31} == {month}
    assert {start.year for start, _ in periods} == {month.year}
