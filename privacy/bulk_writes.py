"""Bulk writes of residents' data are in the processing log (issue 15): the payments import
writes the months of many benefits at once, so it writes one record naming every applicant it
wrote (pseudonymised, like every record), the person who offered the file and why.

Registered with ``caseload.services.bulk_write_listener_register`` at start-up (``privacy.apps``),
so the core and budget do not import privacy; called inside the import's transaction, so the
import and its record commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable

from .log import processing_record_write
from .models import Action, Purpose


def bulk_write_logged(
    *, object_type: str, resident_ids: Iterable[int], by, reason: str, looked_up: bool = False
) -> None:
    """``looked_up``: the residents' data were read, not written (a rejected payments file
    resolved its BSNs to their benefits and payments)."""
    ids = list(resident_ids)
    if not ids:
        return
    processing_record_write(
        user=by,
        action=Action.SEARCH if looked_up else Action.UPDATE,
        object_type=object_type,
        resident_ids=ids,
        purpose=Purpose.SERVICE,
        reason=reason or f"{len(ids)} inwoners bijgewerkt",
    )
