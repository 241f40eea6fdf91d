"""Reads for the intake pages and the dossier timeline.

Page reads take the requesting ``user`` and go through ``caseload.selectors.resident_get`` (404
for a resident the user may not see). Each read issues a fixed number of queries, whatever the
number of intakes, plans or actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from caseload.models import Resident, User
from caseload.selectors import resident_get
from common.timeline import TimelineEntry

from .models import CapacityAssessment, Intake, PlanAction, PlanVanAanpak


@dataclass
class IntakeOverview:
    resident: Resident
    draft: Intake | None
    completed: list[Intake] = field(default_factory=list)


def _intakes_of(resident: Resident) -> list[Intake]:
    return list(
        Intake.objects.filter(resident=resident)
        .select_related("started_by", "completed_by")
        .prefetch_related(
            Prefetch("assessments", queryset=CapacityAssessment.objects.order_by("id"))
        )
        .order_by("-started_at", "-id")
    )


def intake_overview(*, user: User, resident_id: int) -> IntakeOverview:
    """The resident, their draft intake (if any) and their completed intakes (3 queries)."""
    resident = resident_get(user=user, resident_id=resident_id)
    intakes = _intakes_of(resident)
    for intake in intakes:
        intake.resident = resident  # avoid a query per intake for the resident
    draft = next((i for i in intakes if i.is_draft), None)
    return IntakeOverview(
        resident=resident, draft=draft, completed=[i for i in intakes if not i.is_draft]
    )


def plan_list(*, user: User, resident_id: int) -> tuple[Resident, list[PlanVanAanpak]]:
    """The resident and their plans, newest first, with actions (3 queries)."""
    resident = resident_get(user=user, resident_id=resident_id)
    return resident, _plans_of(resident)


def plan_get(*, user: User, resident_id: int, plan_id: int) -> PlanVanAanpak:
    resident = resident_get(user=user, resident_id=resident_id)
    plan = PlanVanAanpak.objects.filter(resident=resident, pk=plan_id).first()
    if plan is None:
        raise Http404
    plan.resident = resident
    return plan


def _plans_of(resident: Resident) -> list[PlanVanAanpak]:
    return list(
        PlanVanAanpak.objects.filter(resident=resident)
        .select_related("created_by")
        .prefetch_related(Prefetch("actions", queryset=PlanAction.objects.order_by("due_on", "id")))
        .order_by("-created_at", "-id")
    )


def intake_latest_completed(*, resident: Resident) -> Intake | None:
    return Intake.objects.completed().filter(resident=resident).order_by("-completed_at").first()


# --------------------------------------------------------------------------------------------
# Dossier timeline (registered in IntakeConfig.ready)
# --------------------------------------------------------------------------------------------


def _local_date(value):
    return timezone.localtime(value).date()


def _action_label(action: PlanAction) -> str:
    """A plan action on the timeline: "Sollicitatie (uiterlijk 15-1-2027, Inwoner)", dates
    j-n-Y as everywhere on the timeline."""
    done = f", afgerond {action.done_on:%-d-%-m-%Y}" if action.done_on else ""
    return (
        f"{action.description} (uiterlijk {action.due_on:%-d-%-m-%Y}, "
        f"{action.get_owner_display()}{done})"
    )


def intake_timeline_entries(resident: Resident) -> list[TimelineEntry]:
    """Intakes (started, completed with proposed and confirmed group) and plans with their
    actions, for the dossier timeline. Three queries, whatever the history length."""
    intake_url = reverse("intake:intake", kwargs={"resident_id": resident.pk})
    plan_url = reverse("intake:plan", kwargs={"resident_id": resident.pk})
    entries: list[TimelineEntry] = []
    intakes = Intake.objects.filter(resident=resident).order_by("started_at", "id")
    for intake in intakes:
        entries.append(
            TimelineEntry(
                date=_local_date(intake.started_at),
                kind="intake_started",
                title="Brede intake gestart",
                detail=(
                    f"Concept, hervatten bij stap {intake.current_step}." if intake.is_draft else ""
                ),
                url=intake_url,
                extra={"intake_id": intake.pk, "status": intake.status},
                recorded_at=intake.started_at,
                seq=intake.pk,
            )
        )
        if not intake.is_draft:
            if intake.is_override:
                detail = (
                    f"Voorgesteld: groep {intake.proposed_group}. Vastgesteld: groep "
                    f"{intake.confirmed_group}. Reden afwijking: {intake.override_reason}"
                )
            else:
                detail = (
                    f"Voorgesteld en vastgesteld: groep {intake.confirmed_group}. "
                    f"{intake.proposal_reason}"
                )
            if intake.education_first:
                detail += " Eerst onderwijs (jonger dan 27 zonder startkwalificatie)."
            entries.append(
                TimelineEntry(
                    date=_local_date(intake.completed_at),
                    kind="intake_completed",
                    title=f"Brede intake afgerond: groep {intake.confirmed_group}",
                    detail=detail,
                    url=intake_url,
                    extra={
                        "intake_id": intake.pk,
                        "proposed_group": intake.proposed_group,
                        "confirmed_group": intake.confirmed_group,
                        "is_override": intake.is_override,
                    },
                    recorded_at=intake.completed_at,
                    seq=intake.pk,
                )
            )
    for plan in _plans_of(resident):
        actions = list(plan.actions.all())
        # the actions are listed once, under the entry (``extra.facts``, each with its
        # "Corrigeren" and "Intrekken"), not again in the detail
        detail = f"Doelen: {plan.goals}"
        if actions:
            detail += " Acties:"
        entries.append(
            TimelineEntry(
                date=_local_date(plan.created_at),
                kind="plan",
                title="Plan van aanpak opgesteld",
                detail=detail,
                url=plan_url,
                recorded_at=plan.created_at,
                seq=plan.pk,
                extra={
                    "plan_id": plan.pk,
                    "actions": [
                        {"description": a.description, "due_on": a.due_on, "owner": a.owner}
                        for a in actions
                    ],
                    "expected_saving": plan.expected_saving,
                    # issue 14: each action can be corrected or withdrawn from the timeline
                    "facts": [
                        {
                            "fact_type": "planactie",
                            "fact_id": a.pk,
                            "label": _action_label(a),
                        }
                        for a in actions
                    ],
                },
            )
        )
    return entries
