"""The resident's data in the matching's tables, for the retention run and the subject-access
export (registered with :func:`common.personal_data.personal_data_register` in
``matching.apps``). The profile's facts (occupations, hours, range) and the proposals and
placements stay for the indicators; the free texts are cleared."""

from __future__ import annotations

from typing import Any

from common.personal_data import ANONYMISED, model_rows

from .models import Consent, Placement, Profile, Proposal, SoughtOccupation, WorkExperience


def matching_anonymise(resident_id: int) -> None:
    Proposal.objects.filter(resident_id=resident_id).exclude(motivation="").update(
        motivation=ANONYMISED
    )
    Proposal.objects.filter(resident_id=resident_id).exclude(decline_reason="").update(
        decline_reason=ANONYMISED
    )


def matching_sections(resident) -> dict[str, list[dict[str, Any]]]:
    return {
        "profiel": model_rows(Profile.objects.filter(resident=resident)),
        "gezochte_beroepen": model_rows(
            SoughtOccupation.objects.filter(profile__resident=resident)
        ),
        "werkervaring": model_rows(WorkExperience.objects.filter(profile__resident=resident)),
        "toestemmingen": model_rows(Consent.objects.filter(resident=resident)),
        "voordrachten": model_rows(Proposal.objects.filter(resident=resident)),
        "plaatsingen": model_rows(Placement.objects.filter(proposal__resident=resident)),
    }
