"""The matching's pages.

Dossier side (consulent): the resident's profile with what the intake knows, consent, work
experience, proposals (``/matching/inwoner/<id>/...``), the resident's "passende vacatures" and
the consulent's list of incomplete profiles. WSP side (account manager): a vacancy's
"kandidaten" (ranked, with the reason per factor, no BSN, name or address until proposed),
proposing, the employer's answer, the placement and the durability worklist.

Every page that shows or changes a resident's data carries ``processing_logged``; a candidate
list notes every resident it shows, so one processing record names them all.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseload.permissions import CaseloadPermission
from caseload.selectors import resident_get
from common import clock
from common.exceptions import DomainError
from common.form_views import form_render, form_submit
from employers import selectors as employer_selectors
from employers.models import Occupation, Vacancy
from privacy.context import note_refused, note_residents
from privacy.decorators import processing_logged
from privacy.models import Action

from . import ranking, selectors, services
from .forms import (
    AnswerForm,
    CandidateFilterForm,
    ConsentForm,
    ExperienceForm,
    OccupationSearchForm,
    PlacementForm,
    ProfileForm,
    ProposeForm,
    VacancyFilterForm,
)
from .models import Consent, Profile, Proposal, WorkExperience
from .permissions import MatchingPermission

VIEW_DOSSIER = CaseloadPermission.VIEW_DOSSIER
CHANGE_DOSSIER = CaseloadPermission.CHANGE_DOSSIER


def _profile_initial(profile: Profile | None) -> dict:
    if profile is None:
        return {}
    licence = {True: "ja", False: "nee"}.get(profile.driving_licence, "")
    hours = profile.hours_available
    return {
        "sought": ", ".join(s.occupation.code for s in profile.sought.all()),
        "no_work_experience": profile.no_work_experience,
        "driving_licence": licence,
        "travel_range_km": profile.travel_range_km,
        "hours_available": f"{hours:g}".replace(".", ",") if hours is not None else "",
    }


def _profile_render(
    request, page, *, form=None, experience_form=None, consent_form=None, status=200
):
    occupations = {
        o.code: o
        for o in Occupation.objects.filter(
            pk__in=[s.occupation_id for s in (page.profile.sought.all() if page.profile else [])]
        )
    }
    return render(
        request,
        "matching/profile.html",
        {
            "page": page,
            "resident": page.resident,
            "form": form or ProfileForm(initial=_profile_initial(page.profile)),
            "experience_form": experience_form or ExperienceForm(),
            "consent_form": consent_form or ConsentForm(initial={"given_on": clock.today()}),
            "occupations": occupations,
            "all_occupations": employer_selectors.occupations(),
            "search": OccupationSearchForm(),
        },
        status=status,
    )


@login_required
@processing_logged(object_type="matching_profile", write_action=Action.UPDATE, break_glass=True)
@permission_required(VIEW_DOSSIER, raise_exception=True)
def profile(request, resident_id: int):
    """Het digitale profiel: what the intake knows (read), the matching part (form)."""
    page = selectors.profile_page(
        user=request.user, resident_id=resident_id, offer_break_glass=request.method == "GET"
    )
    if request.method != "POST":
        return _profile_render(request, page)
    if not request.user.has_perm(CHANGE_DOSSIER):
        raise PermissionDenied
    form = ProfileForm(request.POST)
    return _profile_submit(
        request,
        page,
        form,
        save=lambda data: services.profile_save(
            resident=page.resident,
            by=request.user,
            sought_codes=form.sought_codes(),
            driving_licence=form.driving_licence_value(),
            travel_range_km=data["travel_range_km"],
            hours_available=data["hours_available"],
            no_work_experience=data["no_work_experience"],
        ),
        success=_("Het profiel is opgeslagen."),
    )


def _profile_submit(request, page, form, *, save, success: str, form_name: str = "form"):
    """A form of the profile page: one service call, back to the profile; or the page with
    that form's errors (422)."""
    return form_submit(
        request,
        form,
        save=save,
        success=success,
        done=lambda _result: redirect("matching:profile", resident_id=page.resident.pk),
    ) or _profile_render(request, page, **{form_name: form}, status=422)


@login_required
@require_POST
@processing_logged(object_type="matching_profile", write_action=Action.UPDATE)
@permission_required(CHANGE_DOSSIER, raise_exception=True)
def experience_add(request, resident_id: int):
    page = selectors.profile_page(user=request.user, resident_id=resident_id)
    return _profile_submit(
        request,
        page,
        ExperienceForm(request.POST),
        save=lambda data: services.work_experience_add(
            resident=page.resident,
            by=request.user,
            occupation_code=data["occupation"],
            years=data["years"],
        ),
        success=_("De werkervaring is toegevoegd."),
        form_name="experience_form",
    )


@login_required
@require_POST
@processing_logged(object_type="matching_profile", write_action=Action.DELETE)
@permission_required(CHANGE_DOSSIER, raise_exception=True)
def experience_remove(request, resident_id: int, pk: int):
    resident = resident_get(user=request.user, resident_id=resident_id)
    experience = WorkExperience.objects.filter(pk=pk, profile__resident=resident).first()
    if experience is None:
        raise Http404
    services.work_experience_remove(experience=experience, by=request.user)
    messages.success(request, _("De werkervaring is verwijderd."))
    return redirect("matching:profile", resident_id=resident_id)


@login_required
@require_POST
@processing_logged(object_type="matching_consent", write_action=Action.CREATE)
@permission_required(CHANGE_DOSSIER, raise_exception=True)
def consent_give(request, resident_id: int):
    page = selectors.profile_page(user=request.user, resident_id=resident_id)
    return _profile_submit(
        request,
        page,
        ConsentForm(request.POST),
        save=lambda data: services.consent_give(
            resident=page.resident, by=request.user, given_on=data["given_on"]
        ),
        success=_("De toestemming is vastgelegd."),
        form_name="consent_form",
    )


@login_required
@require_POST
@processing_logged(object_type="matching_consent", write_action=Action.UPDATE)
@permission_required(CHANGE_DOSSIER, raise_exception=True)
def consent_withdraw(request, resident_id: int, pk: int):
    try:
        consent = selectors.consent_get(user=request.user, resident_id=resident_id, consent_id=pk)
    except Consent.DoesNotExist:
        raise Http404 from None
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except DomainError as exc:
        note_refused()
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "De toestemming is ingetrokken: de inwoner staat vanaf nu bij geen enkele vacature "
                "meer als kandidaat."
            ),
        )
    return redirect("matching:profile", resident_id=resident_id)


def _rows(matches: list[ranking.Match]) -> list[dict]:
    return [{"match": m, "reasons": ranking.reasons(m)} for m in matches]


@login_required
@require_GET
@processing_logged(object_type="matching_vacancies", action=Action.SEARCH, break_glass=True)
@permission_required(VIEW_DOSSIER, raise_exception=True)
def resident_vacancies(request, resident_id: int):
    """Passende vacatures for one resident, ranked, with the reason per factor."""
    page = selectors.profile_page(
        user=request.user, resident_id=resident_id, offer_break_glass=True
    )
    form = VacancyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    matches = []
    if page.profile is not None:
        matches = selectors.vacancies_for_resident(
            user=request.user,
            resident=page.resident,
            only_consented=bool(filters.get("consented")),
            only_banenafspraak=bool(filters.get("banenafspraak")),
            only_within_range=bool(filters.get("within_range")),
        )
    vacancies = selectors.vacancies_by_id([m.vacancy_id for m in matches])
    rows = [dict(r, vacancy=vacancies[r["match"].vacancy_id]) for r in _rows(matches)]
    return render(
        request,
        "matching/resident_vacancies.html",
        {
            "page": page,
            "resident": page.resident,
            "rows": rows,
            "form": form,
            "can_propose": request.user.has_perm(MatchingPermission.PROPOSE)
            and page.active_consent is not None,
        },
    )


@login_required
@require_GET
def occupations(request):
    """Zoek een beroep (ISCO-08): no personal data. The profile page asks it through htmx for
    the list under its search field; without JavaScript it is a page of its own."""
    search = OccupationSearchForm(request.GET or None)
    query = search.query()
    context = {
        "search": search,
        "query": query,
        "found": employer_selectors.occupation_search(query),
    }
    if request.headers.get("HX-Request"):
        return render(request, "matching/_occupations.html", context)
    return render(request, "matching/occupations.html", context)


@login_required
@require_GET
@processing_logged(object_type="matching_incomplete", action=Action.SEARCH)
@permission_required(VIEW_DOSSIER, raise_exception=True)
def incomplete(request):
    """The consulent's list of their team's residents with a running benefit and no complete
    profile ("profiel onvolledig")."""
    residents = list(selectors.incomplete_profiles(user=request.user)[:500])
    note_residents(r.pk for r in residents)
    return render(request, "matching/incomplete.html", {"residents": residents})


# --------------------------------------------------------------------------------------------
# WSP side
# --------------------------------------------------------------------------------------------


def _vacancy(request, pk: int) -> Vacancy:
    try:
        return employer_selectors.vacancy_get(user=request.user, pk=pk)
    except Vacancy.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
@processing_logged(object_type="vacancy_candidates", action=Action.SEARCH, object_kwarg="pk")
@permission_required(MatchingPermission.VIEW_CANDIDATES, raise_exception=True)
def candidates(request, pk: int):
    """Kandidaten: ranked, with the reason per factor; no BSN, name or address until proposed.
    Every resident shown is named in this request's processing record."""
    vacancy = _vacancy(request, pk)
    form = CandidateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    matches = selectors.candidates_for_vacancy(
        user=request.user,
        vacancy=vacancy,
        only_group_12=bool(filters.get("group_12")),
        only_banenafspraak=bool(filters.get("banenafspraak")),
        only_within_range=bool(filters.get("within_range")),
    )
    proposals = list(selectors.proposals_of_vacancy(user=request.user, vacancy=vacancy))
    note_residents([m.resident_id for m in matches] + [p.resident_id for p in proposals])
    return render(
        request,
        "matching/candidates.html",
        {
            "vacancy": vacancy,
            "rows": _rows(matches),
            "proposals": proposals,
            "proposals_elsewhere": selectors.proposals_of_vacancy_elsewhere(
                user=request.user, vacancy=vacancy
            ),
            "form": form,
            "propose_form": ProposeForm(),
            "can_propose": request.user.has_perm(MatchingPermission.PROPOSE) and vacancy.is_open,
        },
    )


@login_required
@require_POST
@processing_logged(object_type="vacancy", write_action=Action.CREATE, object_kwarg="pk")
@permission_required(MatchingPermission.PROPOSE, raise_exception=True)
def propose(request, pk: int):
    """Voordragen: from the candidate list (account manager) or the resident's passende
    vacatures (consulent, for a resident in their scope)."""
    vacancy = _vacancy(request, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        raise Http404
    profile = selectors.profile_for_proposal(
        user=request.user, profile_id=form.cleaned_data["profile"]
    )
    if profile is None:
        raise Http404
    note_residents([profile.resident_id])
    back = request.POST.get("terug") == "inwoner"
    try:
        services.proposal_create(
            vacancy=vacancy,
            resident=profile.resident,
            by=request.user,
            motivation=form.cleaned_data["motivation"],
            score=selectors.match_score(vacancy=vacancy, profile=profile),
        )
    except DomainError as exc:
        note_refused()
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De inwoner is voorgedragen."))
    if back:
        return redirect("matching:resident_vacancies", resident_id=profile.resident_id)
    return redirect("matching:candidates", pk=vacancy.pk)


def _proposal(request, pk: int) -> Proposal:
    vacancies = employer_selectors.vacancies_visible_to(request.user)
    try:
        return selectors.proposal_get(user=request.user, pk=pk, vacancies=vacancies)
    except Proposal.DoesNotExist:
        raise Http404 from None


@login_required
@processing_logged(object_type="proposal", write_action=Action.UPDATE, object_kwarg="pk")
@permission_required(MatchingPermission.PLACE, raise_exception=True)
def answer(request, pk: int):
    proposal = _proposal(request, pk)
    note_residents([proposal.resident_id])
    form = AnswerForm(request.POST or None, initial={"answered_on": clock.today()})
    return _proposal_submit(
        request,
        proposal,
        form,
        save=lambda data: services.proposal_answer(
            proposal=proposal,
            accepted=data["answer"] == "aangenomen",
            answered_on=data["answered_on"],
            reason=data["decline_reason"],
            by=request.user,
        ),
        success=_("Het antwoord van de werkgever is vastgelegd."),
        template="matching/answer.html",
        blocked=services.answer_blocked(proposal=proposal),
    )


def _proposal_submit(
    request, proposal: Proposal, form, *, save, success: str, template: str, blocked=None
):
    """A form about one proposal (the employer's answer, the placement): one service call, back
    to the vacancy's candidates; or the page with the form (422 with errors)."""
    return form_submit(
        request,
        form,
        save=save,
        success=success,
        done=lambda _result: redirect("matching:candidates", pk=proposal.vacancy_id),
    ) or form_render(request, template, form, {"proposal": proposal, "blocked": blocked})


@login_required
@processing_logged(object_type="placement", write_action=Action.CREATE, object_kwarg="pk")
@permission_required(MatchingPermission.PLACE, raise_exception=True)
def placement(request, pk: int):
    proposal = _proposal(request, pk)
    note_residents([proposal.resident_id])
    form = PlacementForm(
        request.POST or None,
        initial={
            "start_date": proposal.vacancy.start_date,
            "hours_per_week": f"{proposal.vacancy.hours_per_week:g}".replace(".", ","),
            "loonkostensubsidie": proposal.vacancy.loonkostensubsidie,
        },
    )
    return _proposal_submit(
        request,
        proposal,
        form,
        # the form's fields are the service's (start, hours, outflow, contract, support)
        save=lambda data: services.placement_record(proposal=proposal, by=request.user, **data),
        success=_("De plaatsing is vastgelegd, met de uitstroom naar werk in het dossier."),
        template="matching/placement.html",
        blocked=services.placement_blocked(proposal=proposal),
    )


@login_required
@require_GET
@processing_logged(object_type="placements", action=Action.SEARCH)
@permission_required(MatchingPermission.PLACE, raise_exception=True)
def placements(request):
    """Plaatsingen with their durability checks at 6 and 12 months (open checks first)."""
    rows = selectors.placements_due(
        user=request.user, vacancies=employer_selectors.vacancies_visible_to(request.user)
    )
    rows.sort(key=lambda r: (not r["open"], r["six_due"]))
    note_residents(r["placement"].proposal.resident_id for r in rows)
    return render(request, "matching/placements.html", {"rows": rows})
