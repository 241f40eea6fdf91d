"""Reads for the new-application flow: is this BSN already a resident, and may the user see it;
which applications wait for a decision, and the decisions on the dossier's timeline."""

from __future__ import annotations

from caseload.models import Resident
from caseload.templatetags.caseload_tags import dmy


def resident_in_scope(*, user, bsn: str) -> int | None:
    """The id of the resident with ``bsn`` whose dossier ``user`` may open, else None."""
    return Resident.objects.visible_to(user).filter(bsn=bsn).values_list("pk", flat=True).first()


def resident_anywhere(*, bsn: str) -> int | None:
    """The id of the resident with ``bsn`` in any team or municipality (the duplicate check;
    never shown to the user, only logged as a registration check)."""
    return Resident.objects.filter(bsn=bsn).values_list("pk", flat=True).first()


def application_decisions(resident) -> list:
    """Timeline provider (``common.timeline``): one entry per decided application of
    ``resident``, on the day of the decision (the melding itself is on the day it came in),
    with the benefit's start date for a grant. One query."""
    from django.utils.translation import gettext as _

    from caseload.models import Application
    from common.timeline import TimelineEntry

    entries = []
    decided = Application.objects.filter(resident=resident, decided_on__isnull=False)
    for a in decided.select_related("benefit"):
        if a.decided_on is None:  # none: the query asks for decided ones (for the type check)
            continue
        if a.prevention_route == Application.PreventionRoute.WW_COACHING:
            title = _("Uitkomst melding einde WW: %(outcome)s")
        else:
            title = _("Besluit op aanvraag %(regime)s: %(outcome)s")
        title = title % {
            "regime": a.get_regime_display(),
            "outcome": str(a.get_outcome_display()).lower(),
        }
        detail = ""
        if a.benefit is not None:
            start = a.benefit.start_date
            detail = _("uitkering vanaf %(date)s") % {"date": dmy(start)}
        entries.append(
            TimelineEntry(
                a.decided_on,
                "application_decision",
                title,
                detail,
                seq=a.pk,
                # corrected or withdrawn like the other recorded facts (the walk of 3 December)
                extra={"fact_type": "besluit", "fact_id": a.pk},
            )
        )
    return entries
