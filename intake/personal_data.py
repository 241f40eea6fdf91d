"""The resident's data in intake's tables, for the retention run and the subject-access export
(registered with :func:`common.personal_data.personal_data_register` in ``intake.apps``)."""

from __future__ import annotations

from typing import Any

from common.personal_data import ANONYMISED, model_rows

from .models import CapacityAssessment, Intake, PlanAction, PlanVanAanpak


def intake_anonymise(resident_id: int) -> None:
    """Every note of the intake, the plan's goals, commitments and actions."""
    Intake.objects.filter(resident_id=resident_id).update(
        debts_notes="",
        language_notes="",
        childcare_notes="",
        health_notes="",
        housing_notes="",
        wishes="",
        proposal_reason="",
        override_reason="",
    )
    CapacityAssessment.objects.filter(intake__resident_id=resident_id).update(notes="")
    PlanVanAanpak.objects.filter(resident_id=resident_id).update(
        goals=ANONYMISED, commitments=ANONYMISED
    )
    PlanAction.objects.filter(plan__resident_id=resident_id).update(description=ANONYMISED)


def intake_sections(resident) -> dict[str, list[dict[str, Any]]]:
    return {
        "intakes": model_rows(Intake.objects.filter(resident=resident)),
        "vermogens": model_rows(CapacityAssessment.objects.filter(intake__resident=resident)),
        "plannen_van_aanpak": model_rows(PlanVanAanpak.objects.filter(resident=resident)),
        "plan_acties": model_rows(PlanAction.objects.filter(plan__resident=resident)),
    }
