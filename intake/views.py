"""Intake pages: the multi-step broad intake and the plan van aanpak.

Every view finds the resident through ``caseload.selectors.resident_get`` (404 for a resident
outside the user's team), validates with a form, calls one service and redirects; a refused
action re-renders the form with what was typed and the error next to its field (HTTP 422).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.exceptions import DomainError
from privacy.decorators import processing_logged
from privacy.models import Action

from . import selectors, services
from .forms import (
    CAPACITY_NAMES,
    BarriersForm,
    CapacityForm,
    EducationForm,
    PlanActionForm,
    PlanForm,
    ProposalForm,
)
from .models import STEP_BARRIERS, STEP_CAPACITIES, STEP_EDUCATION, STEP_PROPOSAL, Score
from .permissions import IntakePermission, health_steps

STEP_TITLES = {
    1: gettext_lazy("Werkvermogen"),
    2: gettext_lazy("Financieel vermogen"),
    3: gettext_lazy("Fysiek vermogen"),
    4: gettext_lazy("Mentaal vermogen"),
    5: gettext_lazy("Sociaal vermogen"),
    6: gettext_lazy("Drempels"),
    7: gettext_lazy("Opleiding en wensen"),
    8: gettext_lazy("Groepsvoorstel en bevestiging"),
}


@login_required
@require_http_methods(["GET", "POST"])
@processing_logged(object_type="intake", write_action=Action.CREATE)
def intake(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Overview: resume the draft at its saved step, or start a new intake (POST)."""
    overview = selectors.intake_overview(user=request.user, resident_id=resident_id)
    if request.method == "POST":
        draft = services.intake_start(resident=overview.resident, by=request.user)
        return redirect("intake:step", resident_id=resident_id, step=draft.current_step)
    if overview.draft is not None:
        return redirect("intake:step", resident_id=resident_id, step=overview.draft.current_step)
    return render(
        request, "intake/overview.html", {"overview": overview, "resident": overview.resident}
    )


def _initial(intake, step: int) -> dict:
    if step in STEP_CAPACITIES:
        for assessment in intake.assessments.all():
            if assessment.capacity == STEP_CAPACITIES[step]:
                return {"score": str(assessment.score), "notes": assessment.notes}
        return {}
    if step == STEP_BARRIERS:
        return {name: getattr(intake, name) for name in BarriersForm.base_fields}
    if step == STEP_EDUCATION:
        if intake.education_saved:
            return {name: getattr(intake, name) for name in EducationForm.base_fields}
        resident = intake.resident
        return {
            "education_level": resident.education_level,
            "has_startkwalificatie": resident.has_startkwalificatie,
            "language_level": resident.language_level,
        }
    return {}


def _form_class(step: int):
    if step in STEP_CAPACITIES:
        return CapacityForm
    return {STEP_BARRIERS: BarriersForm, STEP_EDUCATION: EducationForm}[step]


@login_required
@require_http_methods(["GET", "POST"])
@processing_logged(object_type="intake", write_action=Action.UPDATE)
def step(request: HttpRequest, resident_id: int, step: int) -> HttpResponse:
    overview = selectors.intake_overview(user=request.user, resident_id=resident_id)
    if step in health_steps() and not request.user.has_perm(IntakePermission.VIEW_HEALTH):
        raise PermissionDenied  # field grant (#6): health notes
    draft = overview.draft
    if draft is None:
        return redirect("intake:intake", resident_id=resident_id)
    if not 1 <= step <= STEP_PROPOSAL or step > draft.current_step:
        return redirect("intake:step", resident_id=resident_id, step=draft.current_step)
    context = {
        "resident": overview.resident,
        "intake": draft,
        "step": step,
        "steps": [
            {"number": n, "title": t, "reachable": n <= draft.current_step}
            for n, t in STEP_TITLES.items()
        ],
        "step_title": STEP_TITLES[step],
        "education_first": services.intake_education_first(intake=draft),
    }
    if step == STEP_PROPOSAL:
        return _proposal(request, draft, context)
    kwargs = {"capacity": STEP_CAPACITIES[step]} if step in STEP_CAPACITIES else {}
    form_class = _form_class(step)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.intake_step_save(
                    intake=draft, step=step, data=form.cleaned_data, by=request.user
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Stap %(n)s is opgeslagen.") % {"n": step})
                return redirect("intake:step", resident_id=resident_id, step=step + 1)
        status = 422
    else:
        form = form_class(initial=_initial(draft, step), **kwargs)
    context["form"] = form
    if step in STEP_CAPACITIES:
        context["capacity_name"] = CAPACITY_NAMES[STEP_CAPACITIES[step]]
        context["score_meanings"] = Score.choices
    return render(request, "intake/step.html", context, status=status)


def _proposal(request: HttpRequest, draft, context: dict) -> HttpResponse:
    resident_id = draft.resident_id
    try:
        proposal = services.intake_group_propose(intake=draft)
    except DomainError as exc:
        context["missing"] = exc.message
        return render(request, "intake/proposal.html", context)
    context["proposal"] = proposal
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, proposed_group=proposal.group)
        if form.is_valid():
            try:
                services.intake_complete(
                    intake=draft,
                    confirmed_group=form.cleaned_data["confirmed_group"],
                    override_reason=form.cleaned_data["override_reason"],
                    by=request.user,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("De intake is afgerond en de inwoner is ingedeeld in groep %(g)s.")
                    % {"g": form.cleaned_data["confirmed_group"]},
                )
                return redirect("intake:plan", resident_id=resident_id)
        status = 422
    else:
        form = ProposalForm(proposed_group=proposal.group)
    context["form"] = form
    return render(request, "intake/proposal.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@processing_logged(object_type="plan_van_aanpak", write_action=Action.CREATE)
def plan(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_create(
                    resident=resident,
                    by=request.user,
                    goals=form.cleaned_data["goals"],
                    commitments=form.cleaned_data["commitments"],
                    expected_outflow=form.cleaned_data["expected_outflow"],
                    partial_fraction=form.partial_fraction(),
                    intake=selectors.intake_latest_completed(resident=resident),
                    actions=form.cleaned_data["actions"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Het plan van aanpak is opgeslagen."))
                return redirect("intake:plan", resident_id=resident_id)
        status = 422
    else:
        form = PlanForm()
    context = {
        "resident": resident,
        "plans": plans,
        "form": form,
        "action_form": PlanActionForm() if plans else None,
    }
    return render(request, "intake/plan.html", context, status=status)


@login_required
@require_http_methods(["POST"])
@processing_logged(object_type="plan_van_aanpak", write_action=Action.CREATE)
def plan_action_add(request: HttpRequest, resident_id: int, plan_id: int) -> HttpResponse:
    plan_obj = selectors.plan_get(user=request.user, resident_id=resident_id, plan_id=plan_id)
    form = PlanActionForm(request.POST)
    if form.is_valid():
        try:
            services.plan_action_add(plan=plan_obj, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De actie is toegevoegd."))
            return redirect("intake:plan", resident_id=resident_id)
    resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
    context = {"resident": resident, "plans": plans, "form": PlanForm(), "action_form": form}
    return render(request, "intake/plan.html", context, status=422)
