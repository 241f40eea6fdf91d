"""Who closed a record (issue 16, point 12): a benefit, trajectory, fraud investigation or debt
case closed through ``caseload.services.<record>_close`` is in the processing log with the person
who closed it.

Registered with ``caseload.services.close_listener_register`` at start-up (``privacy.apps``), so
the core does not import privacy; called inside the close's transaction. Within a request the
close is part of the request's one record (``@processing_logged`` or the API mixin writes it
after the view with the requesting user, route and method, and any break-the-glass reason): the
closed record's resident is noted there. Outside a request (the caseload import in a worker, a
management command) the close writes its own record, naming ``by`` (None: the system)."""

from __future__ import annotations

from . import context as pcontext
from .log import processing_record_write
from .models import Action, Purpose


def close_logged(*, record, resident_id: int, by) -> None:
    if pcontext.note_residents([resident_id]):
        return
    object_type = record._meta.model_name
    processing_record_write(
        user=by,
        action=Action.UPDATE,
        object_type=object_type,
        object_id=record.pk,
        resident_ids=[resident_id],
        purpose=Purpose.SERVICE,
        reason=f"{object_type} {record.pk} afgesloten",
    )
