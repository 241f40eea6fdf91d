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


TimelineProvider = Callable[[Any], list[TimelineEntry]]
_providers: list[TimelineProvider] = []


def timeline_provider_register(provider: TimelineProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def timeline_providers() -> list[TimelineProvider]:
    return list(_providers)
