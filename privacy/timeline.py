"""The dossier timeline shows when a closed dossier is due to be anonymised (one query)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.timeline import TimelineEntry

from .selectors import resident_destruction_date


def retention_timeline_entries(resident) -> list[TimelineEntry]:
    due = resident_destruction_date(resident_id=resident.pk)
    if due is None:
        return []
    return [
        TimelineEntry(
            due,
            "retention",
            _("Bewaartermijn verloopt: dossier wordt geanonimiseerd"),
            _(
                "Het dossier is gesloten; na de bewaartermijn worden de persoonsgegevens verwijderd."
            ),
        )
    ]
