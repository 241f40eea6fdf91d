"""The consulent's workspace: worklist, dossier and the case forms. Thin: check, validate, call
one selector/service, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from common import clock
from common.exceptions import DomainError
from common.form_views import form_render, form_submit
from common.tabular import csv_response
from common.views import error_response
from privacy.context import note_residents
from privacy.decorators import processing_logged
from privacy.models import Action, Purpose

from . import forms, selectors, services
from .filters import WorklistFilter
from .models import Application, Resident, Role
from .permissions import CaseloadPermission
from .templatetags.caseload_tags import dmy

PAGE_SIZE = 25


#: the worklist anchor ``na``: an id (ASCII digits: ``"²".isdigit()`` is true, but not an id)
ANCHOR = re.compile(r"[0-9]{1,18}")


def _page(qs, after_id: int | None, size: int):
    """Keyset pagination on (last_name, first_name, id): no COUNT, no OFFSET. Returns the rows,
    the anchor of the next page, and whether this is a later page (the anchor was found).

    The anchor is looked up in ``qs`` (the user's filtered worklist), so an id outside it
    behaves like a nonexistent one: the first page (issue 12, finding 12), without links back
    (the review of 4 December: a resident reassigned between two clicks gave the first page
    with a "previous page" to itself)."""
    anchor = None
    if after_id is not None:
        anchor = qs.filter(pk=after_id).values("last_name", "first_name", "id").first()
        if anchor:
            ln, fn, pk = anchor["last_name"], anchor["first_name"], anchor["id"]
            qs = qs.filter(
                Q(last_name__gt=ln)
                | Q(last_name=ln, first_name__gt=fn)
                | Q(last_name=ln, first_name=fn, id__gt=pk)
            )
    rows = list(qs.order_by("last_name", "first_name", "id")[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None), anchor is not None


def _page_before(qs, before_id: int, size: int):
    """The page that ends just before ``before_id`` in the keyset order, and whether a page
    comes before it; None when that page is the first (then the first page is shown as
    itself, so pages stay aligned from the start) or the anchor is not in ``qs``."""
    anchor = qs.filter(pk=before_id).values("last_name", "first_name", "id").first()
    if anchor is None:
        return None
    ln, fn, pk = anchor["last_name"], anchor["first_name"], anchor["id"]
    rows = list(
        qs.filter(
            Q(last_name__lt=ln)
            | Q(last_name=ln, first_name__lt=fn)
            | Q(last_name=ln, first_name=fn, id__lt=pk)
        ).order_by("-last_name", "-first_name", "-id")[: size + 1]
    )
    if len(rows) <= size:
        return None
    return rows[:size][::-1]


#: the worklist's sortable columns (issue 14): ``?sort=<key>`` or ``?sort=-<key>``; the key is
#: checked against this table, ties are broken by name and id (a stable order)
SORT_COLUMNS = {
    "naam": ("last_name", "first_name"),
    "consulent": ("consulent__last_name", "consulent__first_name"),
    "groep": ("current_group",),
    "traject": ("current_trajectory",),
    "contact": ("last_contact_on",),
    "herbeoordeling": ("reassess_on",),
    "acties": ("overdue_actions",),
}
DEFAULT_SORT = "naam"
#: the one-click views above the worklist (issue 14): (query, label)
QUICK_VIEWS = (
    ("contact_overdue=1", _lazy("Geen contact in 12 maanden")),
    ("reassessment_due=1", _lazy("Herbeoordeling verlopen")),
    ("actions=verlopen", _lazy("Acties over datum")),
    ("actions=open", _lazy("Open acties")),
)


def _sort_of(data) -> tuple[str, bool]:
    """The chosen column and direction; an unknown key is the default (name, ascending)."""
    raw = data.get("sort") or DEFAULT_SORT
    key, descending = (raw[1:], True) if raw.startswith("-") else (raw, False)
    if key not in SORT_COLUMNS:
        return DEFAULT_SORT, False
    return key, descending


def _sorted(qs, key: str, descending: bool):
    fields = [
        F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True)
        for f in SORT_COLUMNS[key]
    ]
    return qs.order_by(*fields, "last_name", "first_name", "id")


def _sort_headers(data, key: str, descending: bool, is_teamleider: bool) -> list[dict]:
    """One header per column: its label, the link that sorts by it (toggling the direction of
    the current one) and ``aria-sort`` for the current one."""
    labels = [
        ("naam", _("Naam")),
        ("consulent", _("Consulent")),
        ("groep", _("Groep")),
        ("traject", _("Huidig traject")),
        ("contact", _("Laatste contact")),
        ("herbeoordeling", _("Herbeoordeling")),
        ("acties", _("Acties over datum")),
    ]
    headers = []
    for column, label in labels:
        if column == "consulent" and not is_teamleider:
            continue
        current = column == key
        query = data.copy()
        query.pop("na", None)
        query.pop("pagina", None)
        query["sort"] = f"-{column}" if current and not descending else column
        headers.append(
            {
                "key": column,
                "label": label,
                "url": "?" + query.urlencode(),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "next": _("aflopend") if current and not descending else _("oplopend"),
            }
        )
    return headers


def _worklist_filter(request):
    """The worklist's filter set on the request's query; every filter starts empty ("alle"):
    the whole team shows, "Mijn inwoners" is one click away (issue 14: a consulent preset to
    the user hid the colleagues' residents; the walk of 3 December asked for that preset back,
    and it was not brought back, as issue 14's acceptance is "defaults that hide nobody")."""
    data = request.GET.copy()
    data.pop("na", None)
    data.pop("pagina", None)
    data.pop("voor", None)
    flt = WorklistFilter(data, queryset=selectors.worklist(user=request.user), user=request.user)
    return data, flt


def _residents_at_address(user, *, postcode: str, house_number: str) -> list[Resident]:
    """The residents ``user`` may see at an address: a bare number finds every addition
    (12, 12a, 12-2), a number with an addition only that one."""
    number = Q(household__house_number__iexact=house_number)
    if house_number.isdigit():
        number |= Q(household__house_number__regex=rf"^{house_number}[^0-9]")
    else:
        number |= Q(household__house_number__iexact=house_number.replace("-", ""))
    postcodes = [postcode, postcode.replace(" ", "")]
    return list(
        Resident.objects.visible_to(user)
        .filter(number, household__postcode__in=postcodes)
        .select_related("household", "consulent")
        .order_by("household__house_number", "household_id", "birth_date", "pk")[:50]
    )


@login_required
@processing_logged(object_type="resident_list", action=Action.SEARCH)
@permission_required(CaseloadPermission.VIEW_DOSSIER, raise_exception=True)
def worklist(request):
    user = request.user
    searching_address = request.method == "POST" and "adres-postcode" in request.POST
    bsn_form = forms.BsnSearchForm(
        request.POST if request.method == "POST" and not searching_address else None, prefix="bsn"
    )
    address_form = forms.AddressSearchForm(
        request.POST if searching_address else None, prefix="adres"
    )
    address_results: list[Resident] | None = None
    if searching_address and address_form.is_valid():
        address_results = _residents_at_address(user, **address_form.cleaned_data)
        if len(address_results) == 1:
            note_residents([address_results[0].pk])
            return redirect("caseload:dossier", resident_id=address_results[0].pk)
        if address_results:
            note_residents(r.pk for r in address_results)
        else:
            address_form.add_error("house_number", _("Geen inwoner van uw team op dit adres."))
    if request.method == "POST" and not searching_address and bsn_form.is_valid():
        found = (
            Resident.objects.visible_to(user)
            .filter(bsn=bsn_form.cleaned_data["bsn"])
            .values_list("pk", flat=True)
            .first()
        )
        if found:
            note_residents([found])
            return redirect("caseload:dossier", resident_id=found)
        bsn_form.add_error("bsn", _("Geen inwoner met dit BSN in uw team."))
    data, flt = _worklist_filter(request)
    forms.style_fields(flt.form)
    is_teamleider = user.role == Role.TEAMLEIDER
    key, descending = _sort_of(data)
    if "sort" in data and (key, descending) == (DEFAULT_SORT, False):
        data.pop("sort")  # unknown or default: not repeated in the links
    anchor = request.GET.get("na") or None
    before = request.GET.get("voor") or None
    page_raw = request.GET.get("pagina") or None
    bad_anchor = (
        any(a is not None and not ANCHOR.fullmatch(a) for a in (anchor, before))
        or (anchor is not None and before is not None)
        or (page_raw is not None and not (ANCHOR.fullmatch(page_raw) and 0 < int(page_raw) < 10**6))
    )
    if bad_anchor:
        messages.error(request, _("Deze paginaverwijzing is ongeldig; u ziet de eerste pagina."))
    query = data.copy()
    total = flt.qs.count() if flt.is_valid() else 0
    previous_query = None  # the page before (by keyset or by number)
    later_page = False  # not the first page: it links back to the first
    if (key, descending) == (DEFAULT_SORT, False):
        # the default order pages by keyset on (last_name, first_name, id): no OFFSET; forward
        # after the last row of a page (?na=), back before its first row (?voor=)
        page_before = (
            None if bad_anchor or before is None else _page_before(flt.qs, int(before), PAGE_SIZE)
        )
        if page_before is not None:
            residents, next_id = page_before, page_before[-1].pk
        else:
            after = None if bad_anchor or anchor is None else int(anchor)
            residents, next_id, later_page = _page(flt.qs, after, PAGE_SIZE)
        later_page = later_page or page_before is not None
        if next_id:
            query["na"] = str(next_id)
        if later_page and residents:
            previous = data.copy()
            previous["voor"] = str(residents[0].pk)
            previous_query = previous.urlencode()
    else:
        page = 1 if bad_anchor or page_raw is None else int(page_raw)
        rows = list(_sorted(flt.qs, key, descending)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
        residents, next_id = rows[:PAGE_SIZE], (page + 1 if len(rows) > PAGE_SIZE else None)
        if next_id:
            query["pagina"] = str(next_id)
        if page > 1:
            previous = data.copy()
            if page > 2:
                previous["pagina"] = str(page - 1)
            previous_query = previous.urlencode()
        later_page = page > 1
    # a page after the first links back to it (the walk of 4 December: only "Volgende pagina")
    note_residents(r.pk for r in residents)
    quick = [
        {"url": f"?{q}", "label": label, "current": data.urlencode() == q}
        for q, label in QUICK_VIEWS
    ]
    if user.role == Role.CONSULENT or is_teamleider:
        quick.insert(
            0,
            {
                "url": f"?consulent={user.pk}",
                "label": _("Mijn inwoners"),
                "current": data.urlencode() == f"consulent={user.pk}",
            },
        )
    # bad input is a 4xx (issue 12, finding 10): the page with the field errors or the message
    status = (
        422
        if request.method == "POST" and not address_results
        else 400
        if bad_anchor or flt.form.errors
        else 200
    )
    return render(
        request,
        "caseload/worklist.html",
        {
            "filter": flt,
            "residents": residents,
            "total": total,
            "filtered": any(v for k, v in data.items() if k != "sort"),
            "headers": _sort_headers(data, key, descending, is_teamleider),
            "quick_views": quick,
            "next_query": query.urlencode() if next_id else "",
            "first_query": data.urlencode() if later_page else None,
            "previous_query": previous_query,
            "export_query": data.urlencode(),
            "bsn_form": bsn_form,
            "address_form": address_form,
            "address_results": address_results,
            "is_teamleider": is_teamleider,
        },
        status=status,
    )


@login_required
@require_GET
@processing_logged(object_type="resident_list", action=Action.EXPORT, purpose=Purpose.SERVICE)
@permission_required(CaseloadPermission.EXPORT_WORKLIST, raise_exception=True)
def worklist_export(request):
    """The worklist as CSV for the teamleider (issue 14): the same filters and order as the
    page, every row; no BSN (docs/privacy.md: lists show it masked, exports leave it out). The
    export is one processing-log record naming every resident in it."""
    data, flt = _worklist_filter(request)
    if not flt.is_valid():  # the Dutch 400 page, like every other bad query (issue 12, finding 10)
        return error_response(request, 400, _("Ongeldig filter."))
    key, descending = _sort_of(data)
    rows = []
    ids = []
    for r in _sorted(flt.qs, key, descending).iterator():
        ids.append(r.pk)
        rows.append(
            [
                r.pk,
                r.full_name,
                r.consulent.get_full_name() if r.consulent else "",
                r.current_group or "",
                r.current_trajectory or "",
                r.last_contact_on.strftime("%d-%m-%Y") if r.last_contact_on else "",
                r.reassess_on.strftime("%d-%m-%Y") if r.reassess_on else "",
                r.overdue_actions,
            ]
        )
    note_residents(ids)
    header = [
        _("Inwonernummer"),
        _("Naam"),
        _("Consulent"),
        _("Groep"),
        _("Huidig traject"),
        _("Laatste contact"),
        _("Herbeoordeling"),
        _("Acties over datum"),
    ]
    name = f"caseload-{clock.today():%Y-%m-%d}.csv"
    return csv_response(rows, filename=name, header=header, bom=True)


@login_required
@processing_logged(break_glass=True, write_action=Action.READ)  # POST reveals the BSN
@permission_required(CaseloadPermission.VIEW_DOSSIER, raise_exception=True)
def dossier(request, resident_id: int):
    resident = selectors.resident_get(
        user=request.user, resident_id=resident_id, offer_break_glass=True
    )
    benefits = list(resident.household.benefits.order_by("-start_date"))
    members = list(resident.household.members.order_by("birth_date"))
    # the household's members are shown by name and role, also one guided by another team
    # (a benefit is the household's): each is a resident read (security review of 3 December)
    note_residents(member.pk for member in members)
    # the timeline and the header from the same rows, loaded once (issue 17)
    facts = selectors.dossier_facts(resident=resident)
    timeline = selectors.resident_timeline(user=request.user, resident=resident, facts=facts)
    open_trajectories = [  # running ones: a planned trajectory is not closed, it is withdrawn
        e
        for e in timeline
        if e.kind == "trajectory_start"
        and e.extra.get("open")
        and e.extra.get("status") == "lopend"
    ]
    show_bsn = request.method == "POST" and "toon_bsn" in request.POST
    return render(
        request,
        "caseload/dossier.html",
        {
            "resident": resident,
            "benefits": benefits,
            "members": members,
            "timeline": timeline,
            "open_trajectories": open_trajectories,
            "header": selectors.dossier_header(resident=resident, facts=facts, benefits=benefits),
            # "Aanvraag beslissen" (registers:application_decide) while one is in behandeling
            "applications_to_decide": selectors.applications_to_decide(
                resident=resident, facts=facts
            ),
            "show_bsn": show_bsn,
            "is_teamleider": request.user.role == Role.TEAMLEIDER,
            # a break-the-glass grant opens the dossier and its case forms, not the corrections
            # or the reassignment (their pages answer 404 then): not offered
            "opened_by_grant": resident.opened_by_grant,
            "can_correct_facts": request.user.has_perm(CaseloadPermission.CORRECT_FACTS)
            and not resident.opened_by_grant,
            # a benefit granted from a later day is not running yet (the walk of 4 December:
            # "lopend" in the dossier, "geen lopende uitkering" on the outflow page)
            "today": clock.today(),
            # "Nieuwe aanvraag" (a returning client) while no benefit runs
            "benefit_running": any(
                b.end_date is None or b.end_date >= clock.today() for b in benefits
            ),
            # "Uitstroom vastleggen" while a benefit is open (running, or granted from a later
            # day: the page says from when) or an application waits for its decision (the page
            # leads there); not after the outflow ended it (the walk of 4 December: the action
            # led to "geen lopende uitkering" and nowhere)
            "benefit_open": any(b.end_date is None for b in benefits),
        },
    )


def _action(
    request,
    resident_id,
    form_factory,
    handler,
    title,
    trajectory_id=None,
    via_grant=True,
    context=None,
    initial=None,
    success=None,
):
    """``success``: what the dossier says after the save (what was recorded, not just
    "Opgeslagen.": the walk of 4 December); ``context(resident)``: more for the page (what it says before anything is typed);
    ``initial(resident)``: the form's values before anything is typed (the current group, team
    and consulent: the walk of 3 December found a browser defaulting to Groep 1)."""
    if not request.user.has_perm(CaseloadPermission.CHANGE_DOSSIER):
        raise PermissionDenied
    resident = selectors.resident_get(
        user=request.user, resident_id=resident_id, via_grant=via_grant
    )
    trajectory = None
    if trajectory_id is not None:
        trajectory = resident.trajectories.filter(pk=trajectory_id).first()
        if trajectory is None:
            raise Http404
        if trajectory.ended_on is not None:
            # closed meanwhile (or the form sent again after the browser's back button): say so
            # on the dossier instead of a 404 (the walk of 4 December)
            messages.info(
                request,
                _("Dit traject is al afgesloten op %(day)s.")
                % {"day": date_format(trajectory.ended_on, "j-n-Y")},
            )
            return redirect("caseload:dossier", resident_id=resident.pk)
    data = request.POST if request.method == "POST" else None
    extra = {"initial": initial(resident)} if initial is not None else {}
    # a form about a trajectory checks against it (the end date against its start)
    form = (
        form_factory(data, **extra)
        if trajectory is None
        else form_factory(data, trajectory=trajectory, **extra)
    )
    form.born = resident.birth_date  # no fact dated before the resident's birth, on one submit
    return form_submit(
        request,
        form,
        save=lambda data: handler(request.user, resident, data, trajectory),
        success=success or _("Opgeslagen."),
        done=lambda _result: redirect("caseload:dossier", resident_id=resident.pk),
    ) or form_render(
        request,
        "caseload/action_form.html",
        form,
        {
            "resident": resident,
            "title": title,
            "trajectory": trajectory,
            **(context(resident) if context else {}),
        },
    )


@login_required
@processing_logged(object_type="trajectory", write_action=Action.CREATE)
def trajectory_start(request, resident_id: int):
    def handle(user, resident, d, _t):
        services.trajectory_start(
            resident=resident,
            instrument=d["instrument"],
            started_on=d["started_on"],
            by=user,
            provider=d["provider"],
            planned_end_on=d["planned_end_on"],
            hours_per_week=d["hours_per_week"],
            banenafspraak_sector=d["banenafspraak_sector"],
        )

    return _action(
        request,
        resident_id,
        lambda data: forms.TrajectoryStartForm(data, instruments=selectors.instrument_list()),
        handle,
        _("Traject starten"),
        success=_("Traject gestart."),
    )


@login_required
@processing_logged(object_type="trajectory", write_action=Action.UPDATE)
def trajectory_close(request, resident_id: int, trajectory_id: int):
    def handle(user, resident, d, trajectory):
        services.trajectory_close(
            trajectory=trajectory, on=d["ended_on"], result=d["result"], by=user
        )

    return _action(
        request,
        resident_id,
        forms.TrajectoryCloseForm,
        handle,
        _("Traject afsluiten"),
        success=_("Traject afgesloten."),
        trajectory_id=trajectory_id,
    )


@login_required
@processing_logged(object_type="outflowevent", write_action=Action.CREATE)
def outflow_record(request, resident_id: int):
    def handle(user, resident, d, _t):
        services.outflow_record(resident=resident, by=user, **d)

    def before(resident):
        """Said up front: without a running benefit there is nothing to flow out of."""
        if selectors.benefit_running_exists(resident=resident):
            return {}
        upcoming = selectors.benefit_upcoming_start(resident=resident)
        return {
            "blocked": _(
                "De uitkering van deze inwoner gaat in op %(day)s: uitstroom is vast te leggen "
                "vanaf die dag."
            )
            % {"day": dmy(upcoming)}
            if upcoming
            else _(
                "Deze inwoner heeft geen lopende uitkering: er is geen uitstroom vast te leggen."
            ),
            "applications_to_decide": selectors.applications_to_decide(resident=resident),
        }

    return _action(
        request,
        resident_id,
        forms.OutflowForm,
        handle,
        _("Uitstroom vastleggen"),
        success=_("Uitstroom vastgelegd."),
        context=before,
    )


@login_required
@processing_logged(object_type="contactmoment", write_action=Action.CREATE)
def contact_record(request, resident_id: int):
    def handle(user, resident, d, _t):
        services.contact_record(resident=resident, by=user, **d)

    return _action(
        request,
        resident_id,
        # the date defaults to the municipality's today, like the decision on an application
        lambda data: forms.ContactForm(data, initial={"occurred_on": clock.today()}),
        handle,
        _("Contactmoment vastleggen"),
        success=_("Contactmoment vastgelegd."),
    )


@login_required
@processing_logged(object_type="ladderscore", write_action=Action.CREATE)
def ladder_record(request, resident_id: int):
    def handle(user, resident, d, _t):
        services.ladder_score_record(resident=resident, by=user, **d)

    return _action(
        request,
        resident_id,
        forms.LadderForm,
        handle,
        _("Score participatieladder vastleggen"),
        success=_("Score op de participatieladder vastgelegd."),
    )


@login_required
@processing_logged(object_type="groupassignment", write_action=Action.UPDATE)
def group_change(request, resident_id: int):
    def handle(user, resident, d, _t):
        services.group_assign(resident=resident, group=d["group"], reason=d["reason"], by=user)

    return _action(
        request,
        resident_id,
        forms.GroupChangeForm,
        handle,
        _("Groep wijzigen"),
        success=_("Groep gewijzigd."),
        initial=lambda resident: {"group": selectors.current_group_of(resident=resident)},
    )


@login_required
@processing_logged(object_type="application", write_action=Action.UPDATE)
def ww_prevention(request, resident_id: int):
    """Prevention at the end of the WW (issue 17): the resident's meldingen guided with UWV
    before any application, a new one (``application_register`` with preventieroute
    ``ww_coaching``) and the outcome of a running one (``application_decide``). Two forms on one
    page, told apart by the button (``actie``); the one sent comes back with what was typed."""
    if not request.user.has_perm(CaseloadPermission.CHANGE_DOSSIER):
        raise PermissionDenied
    resident = selectors.resident_get(user=request.user, resident_id=resident_id)
    meldingen = selectors.ww_prevention_list(user=request.user, resident=resident)
    pending = meldingen.filter(outcome=Application.Outcome.PENDING)
    action = request.POST.get("actie") if request.method == "POST" else None
    outcome_sent = action == "uitkomst"
    register_form = forms.WwPreventionForm(
        request.POST if action is not None and not outcome_sent else None, prefix="melding"
    )
    outcome_form = forms.WwPreventionOutcomeForm(
        request.POST if outcome_sent else None, prefix="uitkomst", applications=pending
    )
    status = 200
    if action is not None:
        form = outcome_form if outcome_sent else register_form
        if form.is_valid():
            d = form.cleaned_data
            try:
                if outcome_sent:
                    services.application_decide(
                        application=d["application"],
                        outcome=d["outcome"],
                        decided_on=d["decided_on"],
                        benefit_start=d["benefit_start"],
                    )
                else:
                    services.application_register(
                        resident=resident,
                        received_on=d["received_on"],
                        risk_profile=d["risk_profile"],
                        prevention_route=Application.PreventionRoute.WW_COACHING,
                    )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("caseload:dossier", resident_id=resident.pk)
        status = 422
    return render(
        request,
        "caseload/ww_prevention.html",
        {
            "resident": resident,
            "meldingen": list(meldingen),
            "register_form": register_form,
            "outcome_form": outcome_form,
            "has_pending": pending.exists(),
            # said up front, as "Uitstroom vastleggen" says it without a benefit: prevention
            # comes before an application, not beside a running benefit (the service refuses)
            "benefit_running": selectors.benefit_running_exists(resident=resident),
            "title": _("Preventie einde WW"),
        },
        status=status,
    )


@login_required
@processing_logged(write_action=Action.UPDATE)
def contact_details(request, resident_id: int):
    """Phone and e-mail of the resident (issue 14), shown in the dossier header."""
    if not request.user.has_perm(CaseloadPermission.CHANGE_DOSSIER):
        raise PermissionDenied
    resident = selectors.resident_get(user=request.user, resident_id=resident_id)
    form = forms.ResidentContactForm(
        request.POST if request.method == "POST" else None,
        initial={"phone": resident.phone, "email": resident.email},
    )
    return form_submit(
        request,
        form,
        save=lambda data: services.resident_update(
            resident=resident, phone=data["phone"].strip(), email=data["email"].strip()
        ),
        success=_("Contactgegevens opgeslagen."),
        done=lambda _result: redirect("caseload:dossier", resident_id=resident.pk),
    ) or form_render(
        request,
        "caseload/action_form.html",
        form,
        {"resident": resident, "title": _("Contactgegevens wijzigen")},
    )


@login_required
@processing_logged(write_action=Action.UPDATE)
@permission_required(CaseloadPermission.REASSIGN_RESIDENT, raise_exception=True)
def reassign(request, resident_id: int):
    teams = selectors.write_scope_teams(
        user=request.user, municipalities=selectors.municipalities_of(user=request.user)
    )

    def make(data, initial=None):
        return forms.ReassignForm(
            data,
            teams=teams,
            consulenten=selectors.write_scope_consulenten(teams=teams).filter(role=Role.CONSULENT),
            initial=initial,
        )

    def handle(user, resident, d, _t):
        services.resident_reassign(
            resident=resident, team=d["team"], consulent=d["consulent"], by=user
        )

    # a break-the-glass grant opens the dossier, it does not let a teamleider move the resident
    # into their own team (which would make the temporary access permanent)
    return _action(
        request,
        resident_id,
        make,
        handle,
        _("Inwoner herverdelen"),
        success=_("Inwoner herverdeeld."),
        via_grant=False,
        initial=lambda resident: {"team": resident.team_id, "consulent": resident.consulent_id},
    )


# --- Corrections and withdrawals (issue 14) ------------------------------------------------------


def _fact_for(request, resident_id: int, fact_type: str, fact_id: int):
    """The permission first (the same 403 for every id), then the resident in the user's own
    scope (no break-the-glass grant: 404 like a nonexistent id), then the resident's fact."""
    from .corrections import fact_kind

    if not request.user.has_perm(CaseloadPermission.CORRECT_FACTS):
        raise PermissionDenied
    resident = selectors.resident_get(user=request.user, resident_id=resident_id, via_grant=False)
    kind = fact_kind(fact_type)
    fact = kind.get(resident, fact_id) if kind is not None else None
    if fact is None:
        raise Http404
    return kind, resident, fact


def _correction_page(request, *, resident, kind, fact, form, withdraw: bool, status: int):
    return render(
        request,
        "caseload/correction_form.html",
        {
            "resident": resident,
            "form": form,
            "withdraw": withdraw,
            "fact_label": kind.label,
            "fact_description": kind.describe(fact),
            "correct_note": kind.correct_note,
            "withdraw_url": reverse(
                "caseload:fact_withdraw",
                kwargs={"resident_id": resident.pk, "fact_type": kind.code, "fact_id": fact.pk},
            ),
            "title": (_("%(what)s intrekken") if withdraw else _("%(what)s corrigeren"))
            % {"what": str(kind.label)[:1].upper() + str(kind.label)[1:]},
        },
        status=status,
    )


@login_required
@processing_logged(write_action=Action.UPDATE)
def fact_correct(request, resident_id: int, fact_type: str, fact_id: int):
    kind, resident, fact = _fact_for(request, resident_id, fact_type, fact_id)
    form = kind.form(request.POST if request.method == "POST" else None, fact=fact)
    form.born = resident.birth_date  # no corrected date before the resident's birth
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kind.correct(
                    fact=fact,
                    by=request.user,
                    reason=form.cleaned_data["correction_reason"],
                    changes=form.changes(),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Gecorrigeerd. De correctie staat in de tijdlijn."))
                return redirect("caseload:dossier", resident_id=resident.pk)
        status = 422
    return _correction_page(
        request, resident=resident, kind=kind, fact=fact, form=form, withdraw=False, status=status
    )


@login_required
@processing_logged(write_action=Action.DELETE)
def fact_withdraw(request, resident_id: int, fact_type: str, fact_id: int):
    kind, resident, fact = _fact_for(request, resident_id, fact_type, fact_id)
    form = forms.FactWithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kind.withdraw(
                    fact=fact, by=request.user, reason=form.cleaned_data["correction_reason"]
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Ingetrokken. De intrekking staat in de tijdlijn."))
                return redirect("caseload:dossier", resident_id=resident.pk)
        status = 422
    return _correction_page(
        request, resident=resident, kind=kind, fact=fact, form=form, withdraw=True, status=status
    )
