"""Intake pages: the multi-step broad intake and the plan van aanpak.

Every view finds the resident through ``caseload.selectors.resident_get`` (404 for a resident
outside the user's team), validates with a form, calls one service and redirects; a refused
action re-renders the form with what was typed and the error next to its field (HTTP 422).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from common import clock
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
    PlanSignForm,
    ProposalForm,
)
from .models import (
    STEP_BARRIERS,
    STEP_CAPACITIES,
    STEP_EDUCATION,
    STEP_PROPOSAL,
    Barrier,
    Capacity,
    Score,
)
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
    # issue 14: the scores, barriers and wishes in one view before the group is confirmed
    context["summary"] = intake_summary_rows(
        draft, may_health=request.user.has_perm(IntakePermission.VIEW_HEALTH)
    )
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
    return _plan_page(request, resident, plans, form=form, status=status)


def _plan_page(
    request,
    resident,
    plans,
    *,
    form=None,
    action_form=None,
    sign_form=None,
    sign_plan_id=None,
    error="",
    status=200,
) -> HttpResponse:
    """The plan page: the plans (newest first) with their actions, the forms to add an action,
    to record the signed date and to draw up a new plan; ``error`` an alert at the top."""
    context = {
        "resident": resident,
        "plans": plans,
        "form": form or PlanForm(),
        "action_form": action_form or (PlanActionForm() if plans else None),
        "sign_form": sign_form or PlanSignForm(prefix="sign"),
        "sign_plan_id": sign_plan_id,
        "today": clock.today(),
        "error": error,
        "has_intake": selectors.intake_latest_completed(resident=resident) is not None,
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
    return _plan_page(request, resident, plans, action_form=form, status=422)


# --- Working with the plan (issue 14) ------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
@processing_logged(object_type="plan_van_aanpak", write_action=Action.UPDATE)
def plan_action_done(request: HttpRequest, resident_id: int, plan_id: int) -> HttpResponse:
    """Mark one agreed action of the plan (POST ``actie``: its id) done today; a wrong date is
    corrected with a reason. An id that is no action of this plan: the page with a message."""
    plan_obj = selectors.plan_get(user=request.user, resident_id=resident_id, plan_id=plan_id)
    raw = request.POST.get("actie", "")
    action = (
        plan_obj.actions.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
    )
    if action is None:
        resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
        message = _("Deze actie hoort niet (meer) bij dit plan.")
        return _plan_page(request, resident, plans, error=message, status=422)
    try:
        services.plan_action_done(action=action, on=None, by=request.user)
    except DomainError as exc:
        resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
        return _plan_page(request, resident, plans, error=exc.message, status=422)
    messages.success(request, _("De actie “%(a)s” is afgerond.") % {"a": action.description})
    return redirect(
        reverse("intake:plan", kwargs={"resident_id": resident_id}) + f"#plan-{plan_id}"
    )


@login_required
@require_http_methods(["POST"])
@processing_logged(object_type="plan_van_aanpak", write_action=Action.UPDATE)
def plan_sign(request: HttpRequest, resident_id: int, plan_id: int) -> HttpResponse:
    """Record the date the resident signed the plan."""
    plan_obj = selectors.plan_get(user=request.user, resident_id=resident_id, plan_id=plan_id)
    form = PlanSignForm(request.POST, prefix="sign")
    if form.is_valid():
        try:
            services.plan_sign(plan=plan_obj, on=form.cleaned_data["signed_on"], by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De datum van ondertekening is vastgelegd."))
            return redirect(
                reverse("intake:plan", kwargs={"resident_id": resident_id}) + f"#plan-{plan_id}"
            )
    resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
    return _plan_page(
        request, resident, plans, sign_form=form, sign_plan_id=plan_obj.pk, status=422
    )


def _printable(request: HttpRequest, resident_id: int, plan_id: int) -> dict:
    resident, plans = selectors.plan_list(user=request.user, resident_id=resident_id)
    plan_obj = next((p for p in plans if p.pk == plan_id), None)
    if plan_obj is None:
        raise Http404
    return {"resident": resident, "plan": plan_obj, "municipality": resident.municipality}


@login_required
@require_GET
@processing_logged(object_type="plan_van_aanpak", action=Action.READ)
def plan_print(request: HttpRequest, resident_id: int, plan_id: int) -> HttpResponse:
    """The plan as a page to print and sign (print CSS; the PDF renders the same template)."""
    context = _printable(request, resident_id, plan_id) | {"for_pdf": False}
    return render(request, "intake/plan_print.html", context)


@login_required
@require_GET
@processing_logged(object_type="plan_van_aanpak", action=Action.EXPORT)
def plan_pdf(request: HttpRequest, resident_id: int, plan_id: int) -> HttpResponse:
    """The plan as a PDF for signature: the print template rendered by WeasyPrint."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    context = _printable(request, resident_id, plan_id) | {"for_pdf": True}
    html = render_to_string("intake/plan_print.html", context, request=request)
    stylesheet = CSS(filename=finders.find("intake/plan_print.css"))
    pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])  # nothing fetched
    response = HttpResponse(pdf, content_type="application/pdf")
    created = context["plan"].created_at
    response["Content-Disposition"] = (
        f'attachment; filename="plan-van-aanpak-{resident_id}-{created:%Y-%m-%d}.pdf"'
    )
    return response


# --- The completed intake, read-only (issue 14) -------------------------------------------------


@login_required
@require_GET
@processing_logged(object_type="intake", action=Action.READ)
def intake_summary(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Every completed intake in full: scores with their meaning and notes, barriers, education,
    wishes, proposal and decision. Physical and mental capacity and the health barrier notes need
    ``intake.view_health`` (else: "afgeschermd")."""
    overview = selectors.intake_overview(user=request.user, resident_id=resident_id)
    may_health = request.user.has_perm(IntakePermission.VIEW_HEALTH)
    summaries = [
        intake_summary_rows(intake, may_health=may_health) for intake in overview.completed
    ]
    return render(
        request,
        "intake/summary.html",
        {"resident": overview.resident, "overview": overview, "summaries": summaries},
    )


HEALTH_CAPACITIES = (Capacity.PHYSICAL, Capacity.MENTAL)


def intake_summary_rows(intake, *, may_health: bool) -> dict:
    """One intake as the summary (and step 8) shows it: a row per capacity (score, meaning,
    notes), a row per barrier, education and wishes."""
    by_capacity = {a.capacity: a for a in intake.assessments.all()}
    capacities = []
    for capacity in Capacity:
        assessment = by_capacity.get(capacity)
        hidden = capacity in HEALTH_CAPACITIES and not may_health
        capacities.append(
            {
                "name": capacity.label,
                "score": None if hidden or assessment is None else assessment.score,
                "meaning": ""
                if hidden or assessment is None
                else Score(assessment.score).label.split(" - ", 1)[-1],
                "notes": "" if hidden or assessment is None else assessment.notes,
                "hidden": hidden,
            }
        )
    barriers = []
    for barrier, (flag, notes) in zip(Barrier, services.BARRIER_FIELDS, strict=True):
        hidden = barrier == Barrier.HEALTH and not may_health
        barriers.append(
            {
                "name": barrier.label,
                "present": None if hidden else getattr(intake, flag),
                "notes": "" if hidden else getattr(intake, notes),
                "hidden": hidden,
            }
        )
    return {
        "intake": intake,
        "capacities": capacities,
        "barriers": barriers,
        "barriers_present": [b["name"] for b in barriers if b["present"]],
        "education_level": intake.get_education_level_display(),
        "has_startkwalificatie": intake.has_startkwalificatie,
        "language_level": intake.get_language_level_display(),
        "wishes": intake.wishes,
    }
