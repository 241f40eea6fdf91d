"""The werkgeversservicepunt's pages: employers (list with search, page, create and edit, with
locations, contact persons and commitments) and vacancies (create, edit, close, the account
manager's worklist). Thin: a permission, a selector or a service, a template. What was typed comes
back with the error at its field."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from caseload.selectors import municipality_for
from common.exceptions import DomainError
from common.form_views import form_render, form_submit

from . import selectors, services
from .calculations import sbi_section_label
from .forms import (
    CommitmentForm,
    ContactForm,
    EmployerForm,
    EmployerSearchForm,
    LocationForm,
    VacancyCloseForm,
    VacancyForm,
    VacancyImportForm,
)
from .models import Employer, Vacancy
from .permissions import EmployerPermission

VIEW = EmployerPermission.VIEW_EMPLOYERS
CHANGE = EmployerPermission.CHANGE_EMPLOYERS
VIEW_VACANCIES = EmployerPermission.VIEW_VACANCIES


def _employer(request, pk: int) -> Employer:
    try:
        return selectors.employer_get(user=request.user, pk=pk)
    except Employer.DoesNotExist:
        raise Http404 from None


def _vacancy(request, pk: int) -> Vacancy:
    try:
        return selectors.vacancy_get(user=request.user, pk=pk)
    except Vacancy.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW, raise_exception=True)
def employer_list(request):
    form = EmployerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    employers = list(selectors.employer_list(user=request.user, query=query)[:200])
    return render(
        request,
        "employers/employer_list.html",
        {"form": form, "employers": employers, "query": query},
    )


def _employer_page(request, employer: Employer, **forms):
    context = {
        "employer": employer,
        "sector": sbi_section_label(employer.sbi_code),
        "vacancies": list(selectors.employer_vacancies(employer=employer)),
        "location_form": forms.get("location_form") or LocationForm(prefix="location"),
        "contact_form": forms.get("contact_form") or ContactForm(prefix="contact"),
        "commitment_form": forms.get("commitment_form")
        or CommitmentForm(prefix="commitment", initial={"year": timezone.localdate().year}),
    }
    status = 422 if any(f.errors for f in forms.values()) else 200
    return render(request, "employers/employer_detail.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def employer_detail(request, pk: int):
    return _employer_page(request, _employer(request, pk))


def _to_employer(employer: Employer):
    return redirect("employers:employer_detail", pk=employer.pk)


def _employer_form_page(request, employer: Employer | None):
    """Register an employer (``employer`` None: with its first location, in the municipality
    the user works for or picks) or change one: the form, one service call, back to the
    employer's page; the form's fields are the service's."""
    if employer is None:
        municipality, choices = municipality_for(user=request.user)
        form = EmployerForm(
            request.POST or None,
            municipalities=choices if len(choices) > 1 else None,
            with_location=True,
            initial={"account_manager": request.user.pk},
        )

        def save(data: dict) -> Employer:
            values = dict(data)
            chosen = municipality
            if "municipality" in values:
                chosen, _choices = municipality_for(
                    user=request.user, municipality_id=values.pop("municipality")
                )
            return services.employer_create(municipality=chosen, by=request.user, **values)

        def success(created: Employer) -> str:
            return _("Werkgever %(name)s is vastgelegd.") % {"name": created.name}

    else:
        initial = model_to_dict(employer, fields=list(EmployerForm.base_fields))
        form = EmployerForm(request.POST or None, initial=initial)

        def save(data: dict) -> Employer:
            return services.employer_update(employer=employer, by=request.user, **data)

        success = _("De gegevens van de werkgever zijn bijgewerkt.")
    return form_submit(request, form, save=save, success=success, done=_to_employer) or form_render(
        request, "employers/employer_form.html", form, {"employer": employer}
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def employer_create(request):
    return _employer_form_page(request, None)


@login_required
@permission_required(CHANGE, raise_exception=True)
def employer_edit(request, pk: int):
    return _employer_form_page(request, _employer(request, pk))


#: The POST-only forms on the employer page, by prefix: the form, the service
#: (``service(employer=..., by=..., **cleaned_data)``) and the message when it is done.
_EMPLOYER_PARTS = {
    "location": (
        LocationForm,
        services.employer_location_add,
        gettext_noop("De vestiging is toegevoegd."),
    ),
    "contact": (
        ContactForm,
        services.employer_contact_add,
        gettext_noop("De contactpersoon is toegevoegd."),
    ),
    "commitment": (
        CommitmentForm,
        services.employer_commitment_set,
        gettext_noop("De toezegging is vastgelegd."),
    ),
}


def _employer_part_add(request, pk: int, prefix: str):
    """A location, a contact person or a commitment added on the employer page: one service
    call, back to the employer; or the employer page with that form's errors (422)."""
    form_class, service, success = _EMPLOYER_PARTS[prefix]
    employer = _employer(request, pk)
    form = form_class(request.POST, prefix=prefix)
    return form_submit(
        request,
        form,
        save=lambda data: service(employer=employer, by=request.user, **data),
        success=_(success),
        done=lambda _result: _to_employer(employer),
    ) or _employer_page(request, employer, **{f"{prefix}_form": form})


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def location_add(request, pk: int):
    return _employer_part_add(request, pk, "location")


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def contact_add(request, pk: int):
    return _employer_part_add(request, pk, "contact")


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def commitment_set(request, pk: int):
    return _employer_part_add(request, pk, "commitment")


def _to_vacancy(vacancy: Vacancy):
    return redirect("employers:vacancy_detail", pk=vacancy.pk)


def _vacancy_form_page(request, employer: Employer, vacancy: Vacancy | None):
    """Register a vacancy of ``employer`` (``vacancy`` None; the postcode of its first location
    filled in) or change an open one: the form, one service call, back to the vacancy's page;
    the form's fields are the service's."""
    if vacancy is None:
        location = employer.locations.first()
        initial = {"postcode": location.postcode if location else ""}

        def save(data: dict) -> Vacancy:
            return services.vacancy_create(employer=employer, by=request.user, **data)

        success = _("De vacature is vastgelegd.")
    else:
        initial = model_to_dict(vacancy, fields=list(VacancyForm.base_fields))
        initial["hours_per_week"] = str(vacancy.hours_per_week).replace(".", ",")

        def save(data: dict) -> Vacancy:
            return services.vacancy_update(vacancy=vacancy, by=request.user, **data)

        success = _("De vacature is bijgewerkt.")
    form = VacancyForm(request.POST or None, initial=initial)
    return form_submit(request, form, save=save, success=success, done=_to_vacancy) or form_render(
        request, "employers/vacancy_form.html", form, {"employer": employer, "vacancy": vacancy}
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_create(request, pk: int):
    return _vacancy_form_page(request, _employer(request, pk), None)


@login_required
@permission_required(VIEW_VACANCIES, raise_exception=True)
def vacancy_detail(request, pk: int):
    vacancy = _vacancy(request, pk)
    close_form = VacancyCloseForm(initial={"closed_on": timezone.localdate()})
    return render(
        request, "employers/vacancy_detail.html", {"vacancy": vacancy, "close_form": close_form}
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_edit(request, pk: int):
    vacancy = _vacancy(request, pk)
    if not vacancy.is_open:
        messages.error(request, _("Een gesloten vacature kan niet meer worden gewijzigd."))
        return _to_vacancy(vacancy)
    return _vacancy_form_page(request, vacancy.employer, vacancy)


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_close(request, pk: int):
    vacancy = _vacancy(request, pk)
    form = VacancyCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return form_submit(
        request,
        form,
        save=lambda data: services.vacancy_close(
            vacancy=vacancy, on=data["closed_on"], result=data["result"], by=request.user
        ),
        success=_("De vacature is gesloten."),
        done=_to_vacancy,
    ) or form_render(request, "employers/vacancy_close.html", form, {"vacancy": vacancy})


@login_required
@permission_required(VIEW_VACANCIES, raise_exception=True)
def worklist(request):
    only_mine = request.GET.get("mijn") == "1"
    vacancies = list(selectors.vacancy_worklist(user=request.user, only_mine=only_mine)[:500])
    today = timezone.localdate()
    return render(
        request,
        "employers/worklist.html",
        {
            "vacancies": vacancies,
            # the nightly candidate counts (matching's VacancyMatchSummary) are computed over
            # every municipality of the installation: shown only to a user whose scope is the
            # whole region, else a small count would tell about another municipality's residents
            "show_match_summary": selectors.sees_whole_region(request.user),
            "only_mine": only_mine,
            "today": today,
            "soon": today + dt.timedelta(days=14),
        },
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_import(request, pk: int):
    """Import an employer's vacancies from a file: all or nothing, with the errors per row."""
    employer = _employer(request, pk)
    form = VacancyImportForm(request.POST or None, request.FILES or None)
    row_errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, row_errors = services.vacancies_import(
                employer=employer, filename=upload.name, content=upload.read(), by=request.user
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if not row_errors:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s vacature geïmporteerd.", "%(n)s vacatures geïmporteerd.", created
                    )
                    % {"n": created},
                )
                return redirect("employers:employer_detail", pk=employer.pk)
    status = 422 if form.errors or row_errors else 200
    return render(
        request,
        "employers/vacancy_import.html",
        {"form": form, "employer": employer, "row_errors": row_errors},
        status=status,
    )
