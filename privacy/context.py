"""The processing context of one request: which residents it touched, and how.

Opened by :func:`privacy.decorators.processing_logged` (views) and
:class:`privacy.api.ProcessingLoggedMixin` (API viewsets). Selectors note the residents they
hand out (``caseload.selectors.resident_get`` through the hook registered in ``privacy.apps``);
when the request has served its data, one processing record names them all. Outside a request
context a resident read is logged on the spot (see ``privacy.access``).

No ORM imports here: every app's views may import this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class ProcessingContext:
    route: str = ""
    method: str = ""
    request_id: str = ""
    #: resident id -> the break-the-glass reason that opened it ("" when within the user's scope)
    residents: dict[int, str] = field(default_factory=dict)
    #: records already written for this request (an export writes its own)
    written: int = 0
    #: the write was refused and nothing was written, although the view answers with a
    #: redirect (a refused proposal): logged as a read (``note_refused``)
    refused: bool = False

    def note(self, resident_ids: Iterable[int], *, break_glass_reason: str = "") -> None:
        for rid in resident_ids:
            if rid is None:
                continue
            rid = int(rid)
            if break_glass_reason or rid not in self.residents:
                self.residents[rid] = break_glass_reason


_current: ContextVar[ProcessingContext | None] = ContextVar("privacy_processing", default=None)


def current() -> ProcessingContext | None:
    return _current.get()


@contextmanager
def processing_context(
    *, route: str = "", method: str = "", request_id: str = ""
) -> Iterator[ProcessingContext]:
    ctx = ProcessingContext(route=route, method=method, request_id=request_id)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def note_residents(resident_ids: Iterable[int], *, break_glass_reason: str = "") -> bool:
    """Note residents shown by the current request; False when there is no request context."""
    ctx = _current.get()
    if ctx is None:
        return False
    ctx.note(resident_ids, break_glass_reason=break_glass_reason)
    return True


def note_refused() -> None:
    """The current request's write was refused (a ``DomainError`` shown as a message before a
    redirect): the processing log records a read, not the write (the re-review of 3 December:
    a refused second proposal stood as a second one created)."""
    ctx = _current.get()
    if ctx is not None:
        ctx.refused = True
