"""Reads for the new-application flow: is this BSN already a resident, and may the user see it."""

from __future__ import annotations

from caseload.models import Resident


def resident_in_scope(*, user, bsn: str) -> int | None:
    """The id of the resident with ``bsn`` whose dossier ``user`` may open, else None."""
    return Resident.objects.visible_to(user).filter(bsn=bsn).values_list("pk", flat=True).first()


def resident_anywhere(*, bsn: str) -> int | None:
    """The id of the resident with ``bsn`` in any team or municipality (the duplicate check;
    never shown to the user, only logged as a registration check)."""
    return Resident.objects.filter(bsn=bsn).values_list("pk", flat=True).first()
