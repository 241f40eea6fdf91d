"""The werkgeversservicepunt's pages: employers (list with search, page, create and edit, with
locations, contact persons and commitments) and vacancies (create, edit, close, the account
manager's worklist). Thin: a permission, a selector or a service, a template. What was typed comes
back with the error at its field."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseload.selectors import municipality_for
from common.exceptions import DomainError

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


@login_required
@permission_required(CHANGE, raise_exception=True)
def employer_create(request):
    municipality, choices = municipality_for(user=request.user)
    form = EmployerForm(
        request.POST or None,
        municipalities=choices if len(choices) > 1 else None,
        with_location=True,
        initial={"account_manager": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "municipality" in data:
            municipality, _choices = municipality_for(
                user=request.user, municipality_id=data["municipality"]
            )
        try:
            employer = services.employer_create(
                municipality=municipality,
                kvk_number=data["kvk_number"],
                name=data["name"],
                sbi_code=data["sbi_code"],
                account_manager=data["account_manager"],
                by=request.user,
                address=data["address"],
                postcode=data["postcode"],
                city=data["city"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("Werkgever %(name)s is vastgelegd.") % {"name": employer.name}
            )
            return redirect("employers:employer_detail", pk=employer.pk)
    status = 422 if form.errors else 200
    return render(
        request, "employers/employer_form.html", {"form": form, "employer": None}, status=status
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def employer_edit(request, pk: int):
    employer = _employer(request, pk)
    form = EmployerForm(
        request.POST or None,
        initial={
            "name": employer.name,
            "kvk_number": employer.kvk_number,
            "sbi_code": employer.sbi_code,
            "account_manager": employer.account_manager_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employer_update(
                employer=employer,
                kvk_number=data["kvk_number"],
                name=data["name"],
                sbi_code=data["sbi_code"],
                account_manager=data["account_manager"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De gegevens van de werkgever zijn bijgewerkt."))
            return redirect("employers:employer_detail", pk=employer.pk)
    status = 422 if form.errors else 200
    return render(
        request, "employers/employer_form.html", {"form": form, "employer": employer}, status=status
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def location_add(request, pk: int):
    employer = _employer(request, pk)
    form = LocationForm(request.POST, prefix="location")
    if form.is_valid():
        try:
            services.employer_location_add(employer=employer, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De vestiging is toegevoegd."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return _employer_page(request, employer, location_form=form)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def contact_add(request, pk: int):
    employer = _employer(request, pk)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.employer_contact_add(employer=employer, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De contactpersoon is toegevoegd."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return _employer_page(request, employer, contact_form=form)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def commitment_set(request, pk: int):
    employer = _employer(request, pk)
    form = CommitmentForm(request.POST, prefix="commitment")
    if form.is_valid():
        try:
            services.employer_commitment_set(
                employer=employer, by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De toezegging is vastgelegd."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return _employer_page(request, employer, commitment_form=form)


def _vacancy_values(form: VacancyForm) -> dict:
    data = form.cleaned_data
    return {
        "occupation": data["occupation"],
        "title": data["title"],
        "hours_per_week": data["hours_per_week"],
        "postcode": data["postcode"],
        "education_level": data["education_level"],
        "requirements": data["requirements"],
        "start_date": data["start_date"],
        "banenafspraak": data["banenafspraak"],
        "loonkostensubsidie": data["loonkostensubsidie"],
    }


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_create(request, pk: int):
    employer = _employer(request, pk)
    location = employer.locations.first()
    form = VacancyForm(
        request.POST or None, initial={"postcode": location.postcode if location else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(
                employer=employer, by=request.user, **_vacancy_values(form)
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De vacature is vastgelegd."))
            return redirect("employers:vacancy_detail", pk=vacancy.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "employers/vacancy_form.html",
        {"form": form, "employer": employer, "vacancy": None},
        status=status,
    )


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
        return redirect("employers:vacancy_detail", pk=vacancy.pk)
    form = VacancyForm(
        request.POST or None,
        initial={
            "title": vacancy.title,
            "occupation": vacancy.occupation_id,
            "hours_per_week": str(vacancy.hours_per_week).replace(".", ","),
            "postcode": vacancy.postcode,
            "education_level": vacancy.education_level,
            "requirements": vacancy.requirements,
            "start_date": vacancy.start_date,
            "banenafspraak": vacancy.banenafspraak,
            "loonkostensubsidie": vacancy.loonkostensubsidie,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, by=request.user, **_vacancy_values(form))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De vacature is bijgewerkt."))
            return redirect("employers:vacancy_detail", pk=vacancy.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "employers/vacancy_form.html",
        {"form": form, "employer": vacancy.employer, "vacancy": vacancy},
        status=status,
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def vacancy_close(request, pk: int):
    vacancy = _vacancy(request, pk)
    form = VacancyCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_close(
                vacancy=vacancy,
                on=form.cleaned_data["closed_on"],
                result=form.cleaned_data["result"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("De vacature is gesloten."))
            return redirect("employers:vacancy_detail", pk=vacancy.pk)
    status = 422 if form.errors else 200
    return render(
        request, "employers/vacancy_close.html", {"vacancy": vacancy, "form": form}, status=status
    )


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
                messages.success(request, _("%(n)s vacatures geïmporteerd.") % {"n": created})
                return redirect("employers:employer_detail", pk=employer.pk)
    status = 422 if form.errors or row_errors else 200
    return render(
        request,
        "employers/vacancy_import.html",
        {"form": form, "employer": employer, "row_errors": row_errors},
        status=status,
    )
