"""The resident's data in caseload's tables, for the retention run and the subject-access export
(registered with :func:`common.personal_data.personal_data_register` in ``caseload.apps``).

The resident's own row and the household address are anonymised by the retention run itself
(``privacy.services.resident_anonymise``): whether the address goes depends on the other
members, which only the retention run knows."""

from __future__ import annotations

from typing import Any

from common.personal_data import ANONYMISED, model_rows

from . import models as cm


def caseload_anonymise(resident_id: int) -> None:
    """Free text about the resident: contact summaries, group reasons, the new employer."""
    cm.ContactMoment.objects.filter(resident_id=resident_id).update(summary="")
    cm.Resident.objects.filter(pk=resident_id).update(phone="", email="")  # issue 14
    cm.GroupAssignment.objects.filter(resident_id=resident_id).update(reason=ANONYMISED)
    cm.OutflowEvent.objects.filter(resident_id=resident_id).update(employer="")
    # corrections (issue 14): the typed reason and the free text kept in the snapshots
    for correction in cm.Correction.objects.filter(resident_id=resident_id):
        correction.reason = ANONYMISED
        for values in (correction.before, correction.after):
            for key in CORRECTION_FREE_TEXT & set(values):
                values[key] = ANONYMISED if values[key] else values[key]
        correction.save(update_fields=["reason", "before", "after"])


#: fields of a corrected fact that hold free text about the resident (group reason, contact
#: summary, employer, plan action)
CORRECTION_FREE_TEXT = {"reason", "summary", "employer", "description"}


def caseload_sections(resident: cm.Resident) -> dict[str, list[dict[str, Any]]]:
    benefits = cm.Benefit.objects.filter(household_id=resident.household_id)
    return {
        "inwoner": model_rows(cm.Resident.objects.filter(pk=resident.pk)),
        "huishouden": model_rows(cm.Household.objects.filter(pk=resident.household_id)),
        "huishoudleden": model_rows(
            cm.Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident.pk),
            exclude=("bsn", "birth_date"),
        ),
        "uitkeringen": model_rows(benefits),
        "betalingen": model_rows(cm.BenefitPayment.objects.filter(benefit__in=benefits)),
        "aanvragen": model_rows(cm.Application.objects.filter(resident=resident)),
        "groepsindelingen": model_rows(cm.GroupAssignment.objects.filter(resident=resident)),
        "trajecten": model_rows(cm.Trajectory.objects.filter(resident=resident)),
        "uitstroom": model_rows(cm.OutflowEvent.objects.filter(resident=resident)),
        "contactmomenten": model_rows(cm.ContactMoment.objects.filter(resident=resident)),
        "participatieladder": model_rows(cm.LadderScore.objects.filter(resident=resident)),
        "handhavingsonderzoeken": model_rows(
            cm.FraudInvestigation.objects.filter(resident=resident)
        ),
        "schuldhulp": model_rows(cm.DebtCase.objects.filter(resident=resident)),
        "correcties": model_rows(cm.Correction.objects.filter(resident=resident)),
    }
