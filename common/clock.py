"""The one clock of the project: today and now in the municipality's time zone.

Every "today" in the apps comes from :func:`today` (issue 16, point 10). ``datetime.date.today()``
is the *server's* date: on a server that runs in UTC it is still 30 November at half past midnight
on 1 December in Amsterdam, so a job that picks "the current month" from it recomputes the
wrong month for an hour (two in summer). :func:`today` is the date in ``settings.TIME_ZONE``
(Europe/Amsterdam), whatever the server's own zone.

The clock is injectable: :func:`clock_set` makes :func:`now` return a fixed moment until
:func:`clock_reset` (or use :func:`frozen` as a context manager). Tests use it instead of
patching ``datetime``; production code never calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_fixed: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment, time-zone aware (UTC, as ``django.utils.timezone.now``)."""
    return _fixed if _fixed is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the municipality's time zone (``settings.TIME_ZONE``)."""
    return timezone.localdate(now())


def clock_set(moment: dt.datetime) -> None:
    """Fix the clock at ``moment`` (aware) until :func:`clock_reset`."""
    global _fixed
    if timezone.is_naive(moment):
        raise ValueError("clock_set needs an aware datetime")
    _fixed = moment


def clock_reset() -> None:
    """Let the clock run again."""
    global _fixed
    _fixed = None


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """``with frozen(moment):`` the clock stands at ``moment`` inside the block."""
    previous = _fixed
    clock_set(moment)
    try:
        yield
    finally:
        if previous is None:
            clock_reset()
        else:
            clock_set(previous)
