"""Writes for the broad intake and the plan van aanpak.

Keyword-only, typed, atomic; business rules raise :class:`common.exceptions.DomainError` with a
Dutch message and the field it concerns. Every step of the intake is saved on its own, so a broken
connection loses at most the step being typed. The group decision itself is made by
``caseload.services.group_assign``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from caseload.models import (
    Correction,
    EducationLevel,
    Group,
    LanguageLevel,
    MunicipalityYear,
    Resident,
    User,
)
from caseload.services import (
    NO_STARTKWALIFICATIE_LEVELS,
    correction_access_check,
    correction_reason_clean,
    correction_record,
    fact_changes_apply,
    fact_save,
    fact_snapshot,
    group_assign,
    resident_update,
)
from common import clock
from common.exceptions import DomainError

from . import calculations
from .models import (
    STEP_BARRIERS,
    STEP_CAPACITIES,
    STEP_EDUCATION,
    STEP_PROPOSAL,
    Capacity,
    CapacityAssessment,
    GroupProposalRule,
    Intake,
    PlanAction,
    PlanVanAanpak,
)

#: Step 6 fields: (boolean field, notes field) per barrier.
BARRIER_FIELDS = (
    ("has_debts", "debts_notes"),
    ("has_language_barrier", "language_notes"),
    ("has_childcare_barrier", "childcare_notes"),
    ("has_health_barrier", "health_notes"),
    ("has_housing_barrier", "housing_notes"),
)
NOTES_MAX_LENGTH = 4000


def _text(data: Mapping[str, Any], field: str) -> str:
    value = (data.get(field) or "").strip()
    if len(value) > NOTES_MAX_LENGTH:
        raise DomainError(
            f"Gebruik hoogstens {NOTES_MAX_LENGTH} tekens.", code="too_long", field=field
        )
    return value


def _locked_draft(intake: Intake) -> Intake:
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if not intake.is_draft:
        raise DomainError(
            "Deze intake is al afgerond en kan niet meer worden gewijzigd.", code="intake_completed"
        )
    return intake


# --------------------------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------------------------


@transaction.atomic
def intake_start(*, resident: Resident, by: User) -> Intake:
    """Start a broad intake for ``resident``, or return the draft that is already open."""
    draft = Intake.objects.drafts().filter(resident=resident).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return Intake.objects.create(resident=resident, started_by=by)
    except IntegrityError:  # another request started one at the same moment: resume that one
        return Intake.objects.drafts().get(resident=resident)


@transaction.atomic
def intake_step_save(*, intake: Intake, step: int, data: Mapping[str, Any], by: User) -> Intake:
    """Save one step (1-7) of a draft intake and move the resume point past it.

    Steps 1-5: ``score`` (1-5) and ``notes`` for that capacity. Step 6: the barrier booleans and
    notes (see ``BARRIER_FIELDS``). Step 7: ``education_level``, ``has_startkwalificatie``,
    ``language_level`` and ``wishes``; education and language are also written to the resident.
    """
    intake = _locked_draft(intake)
    if step in STEP_CAPACITIES:
        _save_capacity(intake=intake, capacity=STEP_CAPACITIES[step], data=data)
        fields: list[str] = []
    elif step == STEP_BARRIERS:
        fields = _save_barriers(intake=intake, data=data)
    elif step == STEP_EDUCATION:
        fields = _save_education(intake=intake, data=data)
    else:
        raise DomainError("Deze stap bestaat niet of wordt niet zo opgeslagen.", code="step")
    next_step = min(step + 1, STEP_PROPOSAL)
    if next_step > intake.current_step:
        intake.current_step = next_step
        fields.append("current_step")
    if fields:
        intake.save(update_fields=fields)
    return intake


def _save_capacity(*, intake: Intake, capacity: str, data: Mapping[str, Any]) -> None:
    try:
        score = int(data.get("score"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError("Kies een score van 1 tot en met 5.", code="score", field="score")
    CapacityAssessment.objects.update_or_create(
        intake=intake,
        capacity=capacity,
        defaults={"score": score, "notes": _text(data, "notes")},
    )


def _save_barriers(*, intake: Intake, data: Mapping[str, Any]) -> list[str]:
    fields: list[str] = []
    for flag, notes in BARRIER_FIELDS:
        setattr(intake, flag, bool(data.get(flag)))
        setattr(intake, notes, _text(data, notes))
        fields += [flag, notes]
    intake.barriers_saved = True
    return [*fields, "barriers_saved"]


def _save_education(*, intake: Intake, data: Mapping[str, Any]) -> list[str]:
    level = data.get("education_level") or ""
    language = data.get("language_level") or ""
    has_sk = bool(data.get("has_startkwalificatie"))
    if level not in EducationLevel.values:
        raise DomainError(
            "Kies het opleidingsniveau.", code="education_level", field="education_level"
        )
    if language and language not in LanguageLevel.values:
        raise DomainError("Kies een geldig taalniveau.", code="language", field="language_level")
    if has_sk and level in NO_STARTKWALIFICATIE_LEVELS:
        raise DomainError(
            "Met dit opleidingsniveau is er geen startkwalificatie "
            "(daarvoor is minimaal mbo 2, havo of vwo nodig).",
            code="startkwalificatie",
            field="has_startkwalificatie",
        )
    intake.education_level = level
    intake.has_startkwalificatie = has_sk
    intake.language_level = language
    intake.wishes = _text(data, "wishes")
    intake.education_saved = True
    # the one write path for a resident's details: validated there, and the indicators are told
    resident_update(
        resident=intake.resident,
        education_level=level,
        has_startkwalificatie=has_sk,
        language_level=language,
    )
    return [
        "education_level",
        "has_startkwalificatie",
        "language_level",
        "wishes",
        "education_saved",
    ]


def proposal_rules_for(*, municipality_id: int) -> list[calculations.RuleSpec]:
    """The active rules of the municipality, or the general rules when it has none (1 query)."""
    rows = list(
        GroupProposalRule.objects.filter(is_active=True).filter(
            Q(municipality_id=municipality_id) | Q(municipality__isnull=True)
        )
    )
    own = [r for r in rows if r.municipality_id == municipality_id]
    chosen = own or [r for r in rows if r.municipality_id is None]
    return [
        calculations.RuleSpec(
            priority=r.priority,
            group=r.group,
            reason=r.reason,
            min_work_score=r.min_work_score,
            max_work_score=r.max_work_score,
            min_lowest_score=r.min_lowest_score,
            max_barriers=r.max_barriers,
            rule_id=r.pk,
        )
        for r in chosen
    ]


def intake_scores(*, intake: Intake) -> dict[str, int]:
    """Scores per capacity code; uses prefetched assessments when present."""
    return {a.capacity: a.score for a in intake.assessments.all()}


def intake_group_propose(*, intake: Intake) -> calculations.Proposal:
    """The proposed group with its visible reason (reads only; writes nothing)."""
    scores = intake_scores(intake=intake)
    missing = [c.label for c in Capacity if c.value not in scores]
    if missing:
        raise DomainError(
            "Vul eerst alle vijf vermogens in. Nog open: " + ", ".join(str(m) for m in missing),
            code="capacities_missing",
        )
    barrier_count = sum(intake.barrier_flags().values())
    rules = proposal_rules_for(municipality_id=intake.resident.municipality_id)
    return calculations.propose_group(scores=scores, barrier_count=barrier_count, rules=rules)


def intake_education_first(*, intake: Intake, on: dt.date | None = None) -> bool:
    """The "education first" prompt: under 27 without startkwalificatie (as recorded in step 7
    once saved, otherwise as known on the resident)."""
    resident = intake.resident
    has_sk = (
        intake.has_startkwalificatie if intake.education_saved else resident.has_startkwalificatie
    )
    return calculations.needs_education_first(
        birth_date=resident.birth_date, has_startkwalificatie=has_sk, on=on or clock.today()
    )


@transaction.atomic
def intake_complete(
    *,
    intake: Intake,
    confirmed_group: int,
    by: User,
    override_reason: str = "",
    decided_on: dt.date | None = None,
) -> Intake:
    """Finish the intake: confirm the proposed group or override it with a reason, and record the
    group assignment through ``caseload.services.group_assign``."""
    intake = _locked_draft(intake)
    if not intake.barriers_saved:
        raise DomainError("Stap 6 (drempels) is nog niet opgeslagen.", code="barriers_missing")
    if not intake.education_saved:
        raise DomainError(
            "Stap 7 (opleiding en wensen) is nog niet opgeslagen.", code="education_missing"
        )
    try:
        confirmed_group = int(confirmed_group)
    except (TypeError, ValueError):
        confirmed_group = 0
    if confirmed_group not in Group.values:
        raise DomainError("Kies groep 1, 2 of 3.", code="group", field="confirmed_group")
    proposal = intake_group_propose(intake=intake)
    override_reason = (override_reason or "").strip()
    if confirmed_group != proposal.group and not override_reason:
        raise DomainError(
            f"U wijkt af van het voorstel (groep {proposal.group}). Geef de reden daarvan.",
            code="override_reason_required",
            field="override_reason",
        )
    if confirmed_group == proposal.group:
        override_reason = ""
        reason = f"Brede intake: {proposal.text}"
    else:
        reason = (
            f"Brede intake, afwijkend van het voorstel (groep {proposal.group}): {override_reason}"
        )
    assignment = group_assign(
        resident=intake.resident,
        group=confirmed_group,
        reason=reason,
        by=by,
        decided_on=decided_on,
    )
    intake.proposed_group = proposal.group
    intake.proposal_reason = proposal.text
    intake.proposal_rule_id = proposal.rule_id
    intake.confirmed_group = confirmed_group
    intake.override_reason = override_reason
    intake.education_first = intake_education_first(intake=intake)
    intake.group_assignment = assignment
    intake.status = Intake.Status.COMPLETED
    intake.completed_at = clock.now()
    intake.completed_by = by
    intake.current_step = STEP_PROPOSAL
    intake.save(
        update_fields=[
            "proposed_group",
            "proposal_reason",
            "proposal_rule",
            "confirmed_group",
            "override_reason",
            "education_first",
            "group_assignment",
            "status",
            "completed_at",
            "completed_by",
            "current_step",
        ]
    )
    return intake


# --------------------------------------------------------------------------------------------
# Plan van aanpak
# --------------------------------------------------------------------------------------------


def _fraction(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(-1)


def _check_action(*, description: str, due_on: dt.date | None, owner: str, prefix: str) -> None:
    """Validate one action; error fields are ``<prefix>description``, ``<prefix>due_on``,
    ``<prefix>owner`` (the prefix matches the form field names)."""
    if not description.strip():
        raise DomainError("Beschrijf de actie.", code="action", field=f"{prefix}description")
    if len(description) > 300:
        raise DomainError(
            "Gebruik hoogstens 300 tekens.", code="too_long", field=f"{prefix}description"
        )
    if due_on is None:
        raise DomainError("Vul de uiterste datum in.", code="due_on", field=f"{prefix}due_on")
    if due_on < clock.today():
        raise DomainError(
            "De uiterste datum mag niet in het verleden liggen.",
            code="due_on_past",
            field=f"{prefix}due_on",
        )
    if owner not in PlanAction.Owner.values:
        raise DomainError("Kies wie de actie uitvoert.", code="owner", field=f"{prefix}owner")


@transaction.atomic
def plan_create(
    *,
    resident: Resident,
    by: User,
    goals: str,
    commitments: str,
    expected_outflow: str = PlanVanAanpak.ExpectedOutflow.NONE,
    partial_fraction: Decimal | None = None,
    intake: Intake | None = None,
    actions: Sequence[Mapping[str, Any]] = (),
) -> PlanVanAanpak:
    """Record a plan van aanpak with its agreed actions.

    ``partial_fraction`` (0 < f < 1) is the share of the benefit expected to lapse on partial
    outflow. The expected saving uses the average benefit cost configured for the resident's
    municipality and the current year (``MunicipalityYear``); it is left empty, not guessed, when
    that year is not configured. ``actions`` are mappings with ``description``, ``due_on`` and
    ``owner``.
    """
    goals = (goals or "").strip()
    commitments = (commitments or "").strip()
    if not goals:
        raise DomainError("Beschrijf de doelen van het plan.", code="goals", field="goals")
    if not commitments:
        raise DomainError(
            "Beschrijf wat de inwoner zelf doet (wederkerigheid).",
            code="commitments",
            field="commitments",
        )
    if expected_outflow not in PlanVanAanpak.ExpectedOutflow.values:
        raise DomainError(
            "Kies de verwachte uitstroom.", code="expected_outflow", field="expected_outflow"
        )
    partial = _fraction(partial_fraction)
    if expected_outflow == PlanVanAanpak.ExpectedOutflow.PARTIAL and (
        partial is None or not Decimal(0) < partial < Decimal(1)
    ):
        raise DomainError(
            "Geef bij gedeeltelijke uitstroom aan welk deel van de uitkering vervalt "
            "(meer dan 0% en minder dan 100%).",
            code="partial_fraction",
            field="partial_fraction",
        )
    if intake is not None and intake.resident_id != resident.pk:
        raise DomainError("Deze intake hoort bij een andere inwoner.", code="intake")
    for index, action in enumerate(actions):
        _check_action(
            description=action.get("description") or "",
            due_on=action.get("due_on"),
            owner=action.get("owner") or PlanAction.Owner.RESIDENT,
            prefix=f"actions-{index}-",
        )
    fraction = calculations.expected_fraction(
        expected_outflow=expected_outflow, partial_fraction=partial
    )
    year = clock.today().year
    average_cost = (
        MunicipalityYear.objects.filter(municipality_id=resident.municipality_id, year=year)
        .values_list("average_benefit_cost", flat=True)
        .first()
    )
    plan = PlanVanAanpak.objects.create(
        resident=resident,
        intake=intake,
        goals=goals,
        commitments=commitments,
        expected_outflow=expected_outflow,
        expected_fraction=fraction,
        business_case_year=year,
        average_benefit_cost=average_cost,
        expected_saving=calculations.expected_saving(average_cost=average_cost, fraction=fraction),
        created_by=by,
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            description=action["description"].strip(),
            due_on=action["due_on"],
            owner=action.get("owner") or PlanAction.Owner.RESIDENT,
        )
        for action in actions
    )
    return plan


@transaction.atomic
def plan_action_add(
    *,
    plan: PlanVanAanpak,
    description: str,
    due_on: dt.date | None,
    owner: str = PlanAction.Owner.RESIDENT,
) -> PlanAction:
    _check_action(description=description or "", due_on=due_on, owner=owner, prefix="")
    assert due_on is not None  # noqa: S101 - _check_action refused None (narrows the type)
    return PlanAction.objects.create(
        plan=plan, description=description.strip(), due_on=due_on, owner=owner
    )


# --- Working with the plan (issue 14): actions done, the signed plan ---------------------------


@transaction.atomic
def plan_action_done(*, action: PlanAction, on: dt.date | None, by: User) -> PlanAction:
    """Mark an agreed action done on ``on`` (default today). Refused when it is done already,
    when ``on`` lies in the future or before the plan was drawn up. A wrong date is corrected
    through ``plan_action_correct`` (with a reason), not by marking again."""
    action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    on = on or clock.today()
    if action.done_on is not None:
        raise DomainError(
            "Deze actie is al afgerond. Corrigeer de datum met een reden als die niet klopt.",
            code="already_done",
            field="done_on",
        )
    if on > clock.today():
        raise DomainError(
            "De datum van afronden mag niet in de toekomst liggen.",
            code="future_date",
            field="done_on",
        )
    if on < timezone.localdate(action.plan.created_at):
        raise DomainError(
            "De datum van afronden mag niet voor het opstellen van het plan liggen.",
            code="before_plan",
            field="done_on",
        )
    action.done_on = on
    action.save(update_fields=["done_on"])
    return action


@transaction.atomic
def plan_sign(*, plan: PlanVanAanpak, on: dt.date, by: User) -> PlanVanAanpak:
    """Record the date the resident signed the plan (the printed or PDF copy). Refused when it
    is signed already, in the future or before the plan was drawn up."""
    plan = PlanVanAanpak.objects.select_for_update().get(pk=plan.pk)
    if plan.signed_on is not None:
        raise DomainError("Dit plan is al ondertekend.", code="already_signed", field="signed_on")
    if on is None:
        raise DomainError("Vul de datum van ondertekening in.", code="signed_on", field="signed_on")
    if on > clock.today():
        raise DomainError(
            "De datum van ondertekening mag niet in de toekomst liggen.",
            code="future_date",
            field="signed_on",
        )
    if on < timezone.localdate(plan.created_at):
        raise DomainError(
            "De datum van ondertekening mag niet voor het opstellen van het plan liggen.",
            code="before_plan",
            field="signed_on",
        )
    plan.signed_on = on
    plan.save(update_fields=["signed_on"])
    return plan


# --- Corrections and withdrawals of plan actions (issue 14) -------------------------------------
# The same rules as the caseload's facts (caseload.services, "Corrections and withdrawals"): the
# row is corrected in place or removed, a ``caseload.Correction`` keeps what was there. Plan
# actions feed no indicator, so no recompute is asked for.

PLAN_ACTION_CORRECTABLE = ("description", "due_on", "owner", "done_on")


@transaction.atomic
def plan_action_correct(
    *, action: PlanAction, by: User, reason: str, changes: Mapping[str, Any]
) -> PlanAction:
    """Correct an action (``PLAN_ACTION_CORRECTABLE``). A due date in the past is refused only
    when it is changed (an old action keeps its date when its description is corrected)."""
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    resident = Resident.objects.get(plans__actions=action)
    correction_access_check(resident=resident, by=by)
    reason = correction_reason_clean(reason)
    changes = dict(changes)
    if isinstance(changes.get("description"), str):
        changes["description"] = changes["description"].strip()
    candidate, changed = fact_changes_apply(
        fact=action, changes=changes, allowed=PLAN_ACTION_CORRECTABLE
    )
    if not candidate.description:
        raise DomainError("Beschrijf de actie.", code="action", field="description")
    if len(candidate.description) > 300:
        raise DomainError("Gebruik hoogstens 300 tekens.", code="too_long", field="description")
    if candidate.due_on is None:
        raise DomainError("Vul de uiterste datum in.", code="due_on", field="due_on")
    if "due_on" in changed and candidate.due_on < clock.today():
        raise DomainError(
            "De uiterste datum mag niet in het verleden liggen.",
            code="due_on_past",
            field="due_on",
        )
    if candidate.owner not in PlanAction.Owner.values:
        raise DomainError("Kies wie de actie uitvoert.", code="owner", field="owner")
    if candidate.done_on is not None and candidate.done_on > clock.today():
        raise DomainError(
            "De datum van afronden mag niet in de toekomst liggen.",
            code="future_date",
            field="done_on",
        )
    old_dates = (action.due_on, action.done_on)
    before = fact_snapshot(action)
    fact_save(fact=action, candidate=candidate, changed=changed)
    correction_record(
        resident=resident,
        fact_type=Correction.FactType.PLAN_ACTION,
        fact_id=action.pk,
        kind=Correction.Kind.CORRECTED,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        affected_from=min(d for d in (*old_dates, action.due_on, action.done_on) if d),
    )
    return action


@transaction.atomic
def plan_action_withdraw(*, action: PlanAction, by: User, reason: str) -> None:
    """Withdraw an action recorded by mistake: the row goes, the correction keeps it."""
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    resident = Resident.objects.get(plans__actions=action)
    correction_access_check(resident=resident, by=by)
    reason = correction_reason_clean(reason)
    before = fact_snapshot(action)
    fact_id = action.pk
    action.delete()
    correction_record(
        resident=resident,
        fact_type=Correction.FactType.PLAN_ACTION,
        fact_id=fact_id,
        kind=Correction.Kind.WITHDRAWN,
        reason=reason,
        by=by,
        before=before,
        affected_from=min(d for d in (action.due_on, action.done_on) if d),
    )
