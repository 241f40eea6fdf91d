"""The privacy side of ``caseload.selectors.resident_get`` (registered in ``privacy.apps``).

* ``outside_scope``: a resident outside the user's team is opened when the user holds a current
  break-the-glass grant for them; a consulent or teamleider of the same municipality without one
  is asked for a reason (:class:`BreakGlassRequired`); everyone else gets the usual 404.
* ``resident_accessed``: every resident handed out is noted in the request's processing context,
  or, outside a request (shell, task), logged on the spot.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from . import context as pcontext
from .log import processing_record_write
from .models import Action, Purpose
from .policy import (  # noqa: F401 (may_break_glass: imported from here by older callers)
    BREAK_GLASS_ROLES,
    break_glass_allowed,
    current_grant,
    may_break_glass,
)


class BreakGlassRequired(PermissionDenied):
    """The dossier exists and may be opened, but only with a typed reason. A view that does not
    offer break-the-glass turns this into a plain 403."""

    def __init__(self, resident_id: int):
        super().__init__("break-the-glass required")
        self.resident_id = resident_id


def outside_scope(*, user, resident_id: int, queryset, offer_break_glass: bool):
    """The resident from ``queryset`` (unscoped) when a grant opens it, else None; raises
    :class:`BreakGlassRequired` when the user may ask for one."""
    if not getattr(user, "is_authenticated", False) or user.role not in BREAK_GLASS_ROLES:
        return None
    resident = queryset.filter(pk=resident_id).first()
    if resident is None or not break_glass_allowed(user=user, resident=resident):
        return None
    grant = current_grant(user=user, resident_id=resident_id)
    if grant is not None:
        resident._break_glass_reason = grant.reason
        return resident
    if offer_break_glass:
        raise BreakGlassRequired(resident_id)
    return None


def resident_accessed(*, user, resident) -> None:
    reason = getattr(resident, "_break_glass_reason", "")
    if pcontext.note_residents([resident.pk], break_glass_reason=reason):
        return
    processing_record_write(
        user=user,
        action=Action.READ,
        object_type="resident",
        resident_ids=[resident.pk],
        purpose=Purpose.BREAK_GLASS if reason else Purpose.SERVICE,
        reason=reason,
        break_glass=bool(reason),
    )
