"""The matching's entries on the dossier timeline: consent given and withdrawn, proposals and
the employer's answers, placements. Each links to the resident's profile page (two queries)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from common.timeline import TimelineEntry

from .models import Consent, Proposal, ProposalStatus


def matching_timeline_entries(resident) -> list[TimelineEntry]:
    url = reverse("matching:profile", kwargs={"resident_id": resident.pk})
    entries: list[TimelineEntry] = []
    for c in Consent.objects.filter(resident=resident):
        entries.append(
            TimelineEntry(
                date=c.given_on,
                kind="matching_consent",
                title="Toestemming: voorstellen aan werkgevers",
                url=url,
                seq=c.pk,
            )
        )
        if c.withdrawn_at is not None:
            entries.append(
                TimelineEntry(
                    date=timezone.localtime(c.withdrawn_at).date(),
                    kind="matching_consent",
                    title="Toestemming ingetrokken: voorstellen aan werkgevers",
                    url=url,
                    recorded_at=c.withdrawn_at,
                    seq=c.pk,
                )
            )
    proposals = Proposal.objects.filter(resident=resident).select_related(
        "vacancy__employer", "placement"
    )
    for p in proposals:
        what = f"{p.vacancy.title} bij {p.vacancy.employer.name}"
        entries.append(
            TimelineEntry(
                date=p.proposed_on,
                kind="matching_proposal",
                title=f"Voorgedragen: {what}",
                url=url,
                seq=p.pk,
            )
        )
        if p.status != ProposalStatus.PROPOSED and p.answered_on:
            entries.append(
                TimelineEntry(
                    date=p.answered_on,
                    kind="matching_proposal",
                    title=f"Werkgever: {p.get_status_display().lower()} ({what})",
                    url=url,
                    seq=p.pk,
                )
            )
    return entries
