"""The processing log's record of every correction and withdrawal of a recorded fact (issue 14).

Registered with ``caseload.services.correction_listener_register`` at start-up (``privacy.apps``),
so the core does not import privacy. Called inside the correction's transaction: when the record
cannot be written, the correction is rolled back. Within a request this record is the request's
record (the ``@processing_logged`` decorator and the API mixin add no second one)."""

from __future__ import annotations

from .log import processing_record_write
from .models import Action, Purpose

#: ``object_type`` of the records: ``correctie:<fact type>`` (``correctie:traject``, ...)
OBJECT_TYPE_PREFIX = "correctie"


def correction_logged(*, correction) -> None:
    """One record: who corrected (update) or withdrew (delete) which fact of which resident.
    The fact's id and the correction's id name the rows; the typed reason stays in the
    correction (it is case content, not part of the log)."""
    withdrawn = correction.kind == "ingetrokken"
    processing_record_write(
        user=correction.by,
        action=Action.DELETE if withdrawn else Action.UPDATE,
        object_type=f"{OBJECT_TYPE_PREFIX}:{correction.fact_type}",
        object_id=correction.fact_id,
        resident_ids=[correction.resident_id],
        purpose=Purpose.SERVICE,
        reason=(
            f"{correction.fact_type} {correction.fact_id} {correction.kind} "
            f"(correctie {correction.pk})"
        ),
    )
