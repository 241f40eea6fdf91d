"""One entry on a resident's chronological dossier timeline.

Apps contribute entries through a provider registered with ``timeline_provider_register``; the
dossier page merges them. A provider takes the resident and returns entries (at most a handful
of queries, never one per entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    kind: str  # stable code, e.g. "intake", "outflow"
    title: str  # short Dutch text
    detail: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: when it was recorded, where the row knows (outflow, intake, plan, correction): orders the
    #: entries of one day; ``seq`` (the row's id) orders entries of one kind on one day
    recorded_at: dt.datetime | None = None
    seq: int = 0


#: Within one day, without a recording time, the usual order of the work (earliest first):
#: the application, the intake and its group, the plan, trajectories, contacts, measurements,
#: ends and outflow, and last the corrections of any of these.
KIND_ORDER = {
    "application": 0,
    "intake_started": 1,
    "intake_completed": 2,
    "group": 3,
    "plan": 4,
    "trajectory_start": 5,
    "contact": 6,
    "ladder": 7,
    "fraud": 8,
    "debt": 9,
    "trajectory_end": 10,
    "outflow": 11,
    "correction": 12,
}
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def timeline_sorted(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Newest first in a stable order (issue 14): by date; within a day by the time of
    recording where the row keeps it (an entry without one counts as the day's first), then the
    usual order of the work (``KIND_ORDER``), then the row id. The same entries always come out
    in the same order."""
    return sorted(
        entries,
        key=lambda e: (
            e.date,
            e.recorded_at or _EARLIEST,
            KIND_ORDER.get(e.kind, len(KIND_ORDER)),
            e.kind,
            e.seq,
            e.title,
        ),
        reverse=True,
    )


TimelineProvider = Callable[[Any], list[TimelineEntry]]
_providers: list[TimelineProvider] = []


def timeline_provider_register(provider: TimelineProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def timeline_providers() -> list[TimelineProvider]:
    return list(_providers)
