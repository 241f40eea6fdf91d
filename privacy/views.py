"""Privacy pages: break-the-glass, the weekly review, and the privacy officer's log search,
log export and subject-access (inzage) export. Thin: check, validate, call one selector or
service, render. Every page that shows a resident's data is itself logged."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from caseload.models import Resident
from caseload.services import user_access_decide
from common import clock, tabular
from common.exceptions import DomainError

from . import selectors, services
from .context import note_residents
from .decorators import break_glass_page, processing_logged, request_id_of, route_of
from .forms import AccessDecisionForm, BreakGlassForm, ResidentLogSearchForm, StaffLogSearchForm
from .models import Action, Purpose
from .policy import break_glass_allowed, may_break_glass
from .pseudonym import person_pseudonym

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))


#: a person who is no resident is found by BSN (posted); the pages after the first are addressed
#: by the privacy officer's own record of that search (which names the person's pseudonym),
#: signed so that only the search makes the address; it shows the records up to that search,
#: so the pages stay put while each page view adds its own record
PERSON_TOKEN_SALT = "privacy.log_person"  # noqa: S105 - a namespace, not a secret
PERSON_TOKEN_MAX_AGE = 2 * 60 * 60


def person_log_token(search_record_id: int) -> str:
    """The address of the pages of a person's records found by the search logged as
    ``search_record_id`` (neither the BSN nor the pseudonym is in it)."""
    return signing.dumps(search_record_id, salt=PERSON_TOKEN_SALT)


# --- Break-the-glass --------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def break_glass(request, resident_id: int):
    """The typed reason that opens a dossier outside the user's team for a limited time. The
    form page itself shows nothing of the resident; the grant writes its own log record."""
    if not may_break_glass(request.user):
        # one answer for every id, existing or not: no existence oracle (issue 12, finding 14)
        raise PermissionDenied
    resident = Resident.objects.filter(pk=resident_id).first()
    if resident is None or resident.municipality_id != request.user.team.municipality_id:
        raise Http404  # another municipality's resident looks like a missing one
    if not break_glass_allowed(user=request.user, resident=resident):
        raise PermissionDenied
    if request.method == "GET":
        return break_glass_page(request, resident_id=resident_id, status=200)
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_grant(
                user=request.user,
                resident=resident,
                reason=form.cleaned_data["reason"],
                route=route_of(request),
                method=request.method,
                request_id=request_id_of(request),
            )
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(
                request,
                _("U heeft %(m)s minuten toegang tot dit dossier. Uw reden is vastgelegd.")
                % {"m": services.break_glass_minutes()},
            )
            target = form.cleaned_data.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect("caseload:dossier", resident_id=resident_id)
            return redirect(target)
    return break_glass_page(request, resident_id=resident_id, form=form, status=422)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@processing_logged(
    object_type="break_glass_review", action=Action.SEARCH, purpose=Purpose.SUPERVISION
)
def break_glass_review(request):
    week = selectors.review_week(request.GET.get("week", ""), today=clock.today())
    if week is None:
        raise BadRequest(_("Geen geldige week."))
    is_officer = selectors.is_privacy_officer(request.user)
    review_error = None
    status = 200
    if request.method == "POST":
        # the officer records the review of one access (a teamleider reads the list only)
        if not is_officer:
            raise PermissionDenied
        try:
            services.break_glass_review_record(
                grant_id=int(request.POST.get("grant") or 0),
                by=request.user,
                note=request.POST.get("review_note", ""),
            )
        except ValueError:
            raise BadRequest(_("Geen geldige doorbraak.")) from None
        except DomainError as exc:
            review_error = (request.POST.get("grant"), exc.message)
            status = 422
        else:
            messages.success(request, _("De beoordeling is vastgelegd."))
            return redirect(request.get_full_path())
    grants = list(selectors.break_glass_review(user=request.user, week_start=week))
    note_residents(g.resident_id for g in grants)
    monday, next_monday = selectors.week_bounds(week)
    return render(
        request,
        "privacy/break_glass_review.html",
        {
            "review_error": review_error,
            "typed_note": request.POST.get("review_note", "") if review_error else "",
            "grants": grants,
            "monday": monday,
            "sunday": next_monday - dt.timedelta(days=1),
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": next_monday,
            # the officer goes on to the logs (the walk of 4 December: no way from a break-the-
            # glass to what was done with it); a teamleider sees the list only
            "is_officer": is_officer,
            # an access still running is reviewed after it ends (what is done with it counts)
            "now": clock.now(),
        },
        status=status,
    )


# --- Privacy officer: the log -----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def log_search(request):
    """Search by resident (BSN or number, POSTed) or by staff member."""
    selectors.require_privacy_officer(request.user)
    resident_form = ResidentLogSearchForm(
        request.POST if request.method == "POST" else None, prefix="inwoner"
    )
    staff_form = StaffLogSearchForm(request.GET or None, prefix="medewerker")
    status = 200
    if request.method == "POST":
        if resident_form.is_valid():
            bsn = resident_form.cleaned_data.get("bsn")
            try:
                resident = selectors.resident_for_log(
                    user=request.user,
                    resident_id=resident_form.cleaned_data.get("resident_id"),
                    bsn=bsn,
                )
            except Http404:
                resident = None
            # no resident, but maybe a BRP look-up of the person (an abandoned registration):
            # shown here, the BSN stays out of the URL
            person = (
                selectors.processing_log_for_person(user=request.user, bsn=bsn)
                if resident is None and bsn
                else None
            )
            found_person = person is not None and person.exists()
            # every search is logged, naming the found resident (or person) by pseudonym, never
            # the BSN
            search = services.processing_log_search_record(
                user=request.user,
                resident_id=resident.pk if resident else None,
                searched_by="bsn" if bsn else "inwonernummer",
                route=route_of(request),
                method=request.method,
                request_id=request_id_of(request),
                person=person_pseudonym(bsn) if found_person else "",
            )
            if resident is not None:
                return redirect("privacy:log_resident", resident_id=resident.pk)
            if found_person:
                return render(
                    request,
                    "privacy/log_list.html",
                    {
                        "page": _page(request, person),
                        "person": True,
                        # the next pages: a page of its own, addressed by the signed pseudonym
                        "paging_base": reverse(
                            "privacy:log_person", args=[person_log_token(search.pk)]
                        ),
                        "title": _("Verwerkingen van een persoon die geen inwoner is"),
                    },
                )
            resident_form.add_error(None, _("Geen inwoner gevonden."))
        status = 422
    elif request.GET and staff_form.is_valid():
        staff = selectors.staff_for_log(
            user=request.user, staff=staff_form.cleaned_data["medewerker"]
        )
        if staff is not None:
            return redirect("privacy:log_user", staff_id=staff.pk)
        staff_form.add_error("medewerker", _("Geen medewerker gevonden."))
        status = 422
    return render(
        request,
        "privacy/log_search.html",
        {"resident_form": resident_form, "staff_form": staff_form},
        status=status,
    )


@login_required
@never_cache
@require_GET
def log_person(request, token: str):
    """The next pages of the records of a person who is no resident (more than one page of
    BRP look-ups of abandoned registrations): addressed by the officer's own search record,
    never the BSN or the pseudonym; the records up to that search, so the pages stay put. Each
    page is logged as the search is, naming the person."""
    selectors.require_privacy_officer(request.user)
    try:
        search_id = signing.loads(token, salt=PERSON_TOKEN_SALT, max_age=PERSON_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:  # forged, or older than two hours: search again
        raise Http404 from exc
    pseudonym = selectors.person_of_search(user=request.user, search_id=search_id)
    if pseudonym is None:  # another officer's search, or one that found nobody
        raise Http404
    records = selectors.processing_log_for_person(
        user=request.user, pseudonym=pseudonym, up_to=search_id
    )
    page = _page(request, records)
    services.processing_log_search_record(
        user=request.user,
        resident_id=None,
        searched_by="bsn",
        route=route_of(request),
        method=request.method,
        request_id=request_id_of(request),
        person=pseudonym,
    )
    return render(
        request,
        "privacy/log_list.html",
        {
            "page": page,
            "person": True,
            "paging_base": reverse("privacy:log_person", args=[token]),
            "title": _("Verwerkingen van een persoon die geen inwoner is"),
        },
    )


@login_required
@never_cache
@require_GET
@processing_logged(object_type="processing_log", purpose=Purpose.SUPERVISION)
def log_resident(request, resident_id: int):
    resident = selectors.resident_for_log(user=request.user, resident_id=resident_id)
    page = _page(
        request, selectors.processing_log_for_resident(user=request.user, resident_id=resident_id)
    )
    return render(
        request,
        "privacy/log_list.html",
        {"resident": resident, "page": page, "title": _("Verwerkingen van een inwoner")},
    )


@login_required
@never_cache
@require_GET
@processing_logged(object_type="processing_log", purpose=Purpose.SUPERVISION)
def log_user(request, staff_id: int):
    staff = selectors.staff_for_log(user=request.user, staff=str(staff_id))
    if staff is None:
        raise Http404
    page = _page(request, selectors.processing_log_for_user(user=request.user, staff_id=staff_id))
    return render(
        request,
        "privacy/log_list.html",
        {"staff": staff, "page": page, "title": _("Verwerkingen door een medewerker")},
    )


def _csv(rows: list[dict], filename: str) -> HttpResponse:
    # through the shared writer: no cell from user input becomes a formula (issue 12, finding 6)
    header = [label for _a, label in selectors.LOG_COLUMNS]
    cells = ([row.get(h) for h in header] for row in rows)
    # as every other export: semicolons and a byte order mark, so Dutch Excel opens it (the
    # walk of 3 December)
    return tabular.csv_response(cells, header=header, filename=filename, bom=True)


def _xlsx(sheets: dict[str, list[dict]], filename: str) -> HttpResponse:
    specs = [
        tabular.Sheet(
            title,
            [[_cell(row.get(h)) for h in rows[0]] for row in rows],
            header=list(rows[0]) if rows else None,
        )
        for title, rows in sheets.items()
    ]
    return tabular.xlsx_response(specs, filename=filename)


def _cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


@login_required
@never_cache
@require_GET
@processing_logged(object_type="processing_log", action=Action.EXPORT, purpose=Purpose.SUPERVISION)
def log_resident_export(request, resident_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    selectors.resident_for_log(user=request.user, resident_id=resident_id)
    qs = selectors.processing_log_for_resident(user=request.user, resident_id=resident_id)
    rows = [selectors.log_row(r) for r in qs.order_by("id").iterator()]
    name = f"verwerkingen-inwoner-{resident_id}.{fmt}"
    return _csv(rows, name) if fmt == "csv" else _xlsx({"verwerkingen": rows}, name)


# --- Privacy officer: subject access (AVG inzage) ---------------------------------------------


@login_required
@never_cache
@require_GET
@processing_logged(object_type="subject_access", purpose=Purpose.SUBJECT_ACCESS)
def subject_access(request, resident_id: int):
    resident = selectors.resident_for_log(user=request.user, resident_id=resident_id)
    return render(
        request,
        "privacy/subject_access.html",
        {
            "resident": resident,
            "destruction_date": selectors.resident_destruction_date(resident_id=resident.pk),
        },
    )


@login_required
@never_cache
@require_GET
@processing_logged(
    object_type="subject_access", action=Action.EXPORT, purpose=Purpose.SUBJECT_ACCESS
)
def subject_access_export(request, resident_id: int, fmt: str):
    if fmt not in ("json", "xlsx"):
        raise Http404
    data = selectors.subject_access_data(user=request.user, resident_id=resident_id)
    name = f"inzage-inwoner-{resident_id}.{fmt}"
    if fmt == "xlsx":
        return _xlsx(data["secties"], name)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def access_approvals(request):
    """The privacy officer approves or refuses the access of accounts that functioneel beheer
    created or moved (four eyes; security review of 3 December): until then such an account
    holds no role permission. Refused, the account is deactivated."""
    pending, decided = selectors.access_approval_list(user=request.user)
    form = AccessDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            approve = form.cleaned_data["decision"] == AccessDecisionForm.APPROVE
            try:
                account = user_access_decide(
                    user=form.cleaned_data["account"],
                    by=request.user,
                    approve=approve,
                    seen=form.cleaned_data["changed_at"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 422
            else:
                if approve:
                    message = _("De toegang van %(user)s is goedgekeurd.")
                else:
                    message = _(
                        "De toegang van %(user)s is afgewezen; het account is gedeactiveerd."
                    )
                messages.success(request, message % {"user": account.username})
                return redirect("privacy:access_approvals")
        else:
            status = 422
    return render(
        request,
        "privacy/access_approvals.html",
        {"form": form, "pending": pending, "decided": decided},
        status=status,
    )
