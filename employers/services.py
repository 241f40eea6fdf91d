"""Writes of the employer services: employers (with locations, contacts and commitments) and
their vacancies. Keyword-only, typed, atomic; a refusal is a ``DomainError`` with a Dutch message,
a stable code and the field it is about. The acting user is ``by``.

Closing a vacancy has the shape of the other closes (``caseload.services``):
``vacancy_close(*, vacancy, on, result, by)`` locks the row and checks, in this order: already
closed, a valid result (vervuld or ingetrokken), ``on`` not before the day it was opened, ``on``
not in the future.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from caseload.models import EducationLevel, Municipality, Role, User
from common.exceptions import DomainError
from common.postcode import postcode_normalise
from common.tabular_read import RowForm, TabularFileError, read_table

from .calculations import kvk_is_valid, sbi_normalise, sbi_section
from .models import (
    CommitmentKind,
    Employer,
    EmployerCommitment,
    EmployerContact,
    EmployerLocation,
    Occupation,
    Vacancy,
    VacancyStatus,
)

MAX_HOURS = Decimal("40")

#: how far before the day a vacancy is registered (``opened_on``) its start may lie. An
#: accountmanager registers a vacancy that is still to be filled: its start is ahead, "per
#: direct", or a job that started a little while ago and is still open; a start of decades ago
#: (1-1-1990 was accepted: the walk of 3 December, night) is a typing error that rewrote the
#: fill time indicators. One year, as for the melding of a new application.
START_MAX_MONTHS_BACK = 12


def _start_problem(start_date: dt.date, *, opened_on: dt.date) -> DomainError | None:
    earliest = opened_on - relativedelta(months=START_MAX_MONTHS_BACK)
    if start_date < earliest:
        return DomainError(
            "De startdatum ligt meer dan een jaar vóór de registratie van de vacature "
            f"({opened_on:%-d-%-m-%Y}); controleer de datum.",
            code="start_too_early",
            field="start_date",
        )
    return None


def _today() -> dt.date:
    return timezone.localdate()


def _kvk(number: str) -> str:
    number = (number or "").strip().replace(" ", "")
    if not kvk_is_valid(number):
        message = (
            "00000000 is geen KvK-nummer: vul het nummer uit het Handelsregister in."
            if number == "00000000"
            else "Een KvK-nummer bestaat uit acht cijfers."
        )
        raise DomainError(message, code="kvk_invalid", field="kvk_number")
    return number


def _sbi(code: str) -> str:
    code = sbi_normalise(code)
    if sbi_section(code) is None:
        raise DomainError(
            "Vul een SBI-code in van twee tot vijf cijfers waarvan de eerste twee een afdeling "
            "van SBI 2008 zijn, bijvoorbeeld 4711 (supermarkten) of 86 (gezondheidszorg).",
            code="sbi_invalid",
            field="sbi_code",
        )
    return code


def _postcode(text: str, *, field: str = "postcode") -> str:
    postcode = postcode_normalise(text)
    if postcode is None:
        raise DomainError("Vul een postcode in als 1234 AB.", code="postcode_invalid", field=field)
    return postcode


#: the format checks, for the forms (every field's mistake at once, the walk of 4 December: the
#: employer form showed one error per submit, as the service stops at the first)
kvk_checked, sbi_checked, postcode_checked = _kvk, _sbi, _postcode


def _required(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"Vul {label} in.", code="required", field=field)
    return value


def _account_manager(user: User | None) -> User | None:
    if user is not None and (user.role != Role.ACCOUNT_MANAGER or not user.is_active):
        raise DomainError(
            "Alleen een actieve accountmanager kan accountmanager van een werkgever zijn.",
            code="account_manager_invalid",
            field="account_manager",
        )
    return user


def _kvk_unique(*, municipality: Municipality, kvk_number: str, exclude: int | None) -> None:
    qs = Employer.objects.filter(municipality=municipality, kvk_number=kvk_number)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise DomainError(
            "Er is al een werkgever met dit KvK-nummer in deze gemeente.",
            code="kvk_duplicate",
            field="kvk_number",
        )


@transaction.atomic
def employer_create(
    *,
    municipality: Municipality,
    kvk_number: str,
    name: str,
    sbi_code: str,
    account_manager: User | None,
    by: User,
    address: str = "",
    postcode: str = "",
    city: str = "",
) -> Employer:
    """Register an employer; with ``address`` its first location."""
    kvk_number = _kvk(kvk_number)
    name = _required(name, field="name", label="de naam van de werkgever")
    sbi_code = _sbi(sbi_code)
    _account_manager(account_manager)
    _kvk_unique(municipality=municipality, kvk_number=kvk_number, exclude=None)
    employer = Employer.objects.create(
        municipality=municipality,
        kvk_number=kvk_number,
        name=name,
        sbi_code=sbi_code,
        account_manager=account_manager,
    )
    if address or postcode or city:
        employer_location_add(
            employer=employer, address=address, postcode=postcode, city=city, by=by
        )
    return employer


@transaction.atomic
def employer_update(
    *,
    employer: Employer,
    kvk_number: str,
    name: str,
    sbi_code: str,
    account_manager: User | None,
    by: User,
) -> Employer:
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    kvk_number = _kvk(kvk_number)
    name = _required(name, field="name", label="de naam van de werkgever")
    sbi_code = _sbi(sbi_code)
    _account_manager(account_manager)
    _kvk_unique(municipality=employer.municipality, kvk_number=kvk_number, exclude=employer.pk)
    employer.kvk_number = kvk_number
    employer.name = name
    employer.sbi_code = sbi_code
    employer.account_manager = account_manager
    employer.save()
    return employer


@transaction.atomic
def employer_location_add(
    *, employer: Employer, address: str, postcode: str, city: str, by: User
) -> EmployerLocation:
    address = _required(address, field="address", label="het adres (straat en huisnummer)")
    postcode = _postcode(postcode)
    city = _required(city, field="city", label="de plaats")
    return EmployerLocation.objects.create(
        employer=employer, address=address, postcode=postcode, city=city
    )


@transaction.atomic
def employer_contact_add(
    *, employer: Employer, name: str, role: str, phone: str, email: str, by: User
) -> EmployerContact:
    name = _required(name, field="name", label="de naam van de contactpersoon")
    phone = (phone or "").strip()
    email = (email or "").strip()
    if not phone and not email:
        raise DomainError(
            "Vul een telefoonnummer of een e-mailadres in.",
            code="contact_unreachable",
            field="phone",
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                "Vul een geldig e-mailadres in.", code="email_invalid", field="email"
            ) from None
    return EmployerContact.objects.create(
        employer=employer, name=name, role=(role or "").strip(), phone=phone, email=email
    )


@transaction.atomic
def employer_commitment_set(
    *, employer: Employer, kind: str, year: int, number: int, by: User
) -> EmployerCommitment:
    """The employer's SROI or banenafspraak commitment for ``year`` (replaces that year's)."""
    if kind not in CommitmentKind.values:
        raise DomainError("Kies SROI of banenafspraak.", code="kind_invalid", field="kind")
    if not 2000 <= year <= 2100:
        raise DomainError("Vul een jaar in tussen 2000 en 2100.", code="year_invalid", field="year")
    if number < 0:
        raise DomainError(
            "Het aantal plaatsen kan niet negatief zijn.", code="number_invalid", field="number"
        )
    commitment, _ = EmployerCommitment.objects.update_or_create(
        employer=employer, kind=kind, year=year, defaults={"number": number}
    )
    return commitment


def _vacancy_fields(
    *,
    occupation: Occupation | None,
    title: str,
    hours_per_week: Decimal | str,
    postcode: str,
    education_level: str,
    start_date: dt.date | None,
    opened_on: dt.date | None,
) -> dict:
    """The checked fields of a vacancy. ``opened_on``: the day the vacancy was (or is now)
    registered; its start may lie at most ``START_MAX_MONTHS_BACK`` months before it. None: the
    start is not checked against it (an update that keeps the start)."""
    if occupation is None:
        raise DomainError("Kies een beroep (ISCO-08).", code="required", field="occupation")
    title = _required(title, field="title", label="de functietitel")
    try:
        hours = Decimal(str(hours_per_week).replace(",", "."))
    except InvalidOperation:
        hours = Decimal("-1")
    if (
        not hours.is_finite()
        or hours <= 0
        or hours > MAX_HOURS
        or hours != hours.quantize(Decimal("0.1"))
    ):
        raise DomainError(
            "Vul het aantal uren per week in: meer dan 0, hoogstens 40, op een tiende uur.",
            code="hours_invalid",
            field="hours_per_week",
        )
    if education_level and education_level not in EducationLevel.values:
        raise DomainError(
            "Kies een opleidingsniveau uit de lijst.",
            code="education_level_invalid",
            field="education_level",
        )
    if start_date is None:
        raise DomainError("Vul de startdatum in.", code="required", field="start_date")
    problem = None if opened_on is None else _start_problem(start_date, opened_on=opened_on)
    if problem is not None:
        raise problem
    return {
        "occupation": occupation,
        "title": title,
        "hours_per_week": hours,
        "postcode": _postcode(postcode),
        "education_level": education_level or "",
        "start_date": start_date,
    }


@transaction.atomic
def vacancy_create(
    *,
    employer: Employer,
    occupation: Occupation | None,
    title: str,
    hours_per_week: Decimal | str,
    postcode: str,
    education_level: str,
    requirements: str,
    start_date: dt.date | None,
    banenafspraak: bool,
    loonkostensubsidie: bool,
    by: User,
) -> Vacancy:
    fields = _vacancy_fields(
        occupation=occupation,
        title=title,
        hours_per_week=hours_per_week,
        postcode=postcode,
        education_level=education_level,
        start_date=start_date,
        opened_on=_today(),
    )
    return Vacancy.objects.create(
        employer=employer,
        requirements=(requirements or "").strip(),
        banenafspraak=banenafspraak,
        loonkostensubsidie=loonkostensubsidie,
        opened_on=_today(),
        **fields,
    )


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    occupation: Occupation | None,
    title: str,
    hours_per_week: Decimal | str,
    postcode: str,
    education_level: str,
    requirements: str,
    start_date: dt.date | None,
    banenafspraak: bool,
    loonkostensubsidie: bool,
    by: User,
) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if not vacancy.is_open:
        raise DomainError(
            "Een gesloten vacature kan niet meer worden gewijzigd.",
            code="vacancy_closed",
            field="status",
        )
    fields = _vacancy_fields(
        occupation=occupation,
        title=title,
        hours_per_week=hours_per_week,
        postcode=postcode,
        education_level=education_level,
        start_date=start_date,
        # a start typed anew follows the rule of a new vacancy (from the day it was opened);
        # an unchanged start stays, also of a vacancy registered before the rule
        opened_on=vacancy.opened_on if start_date != vacancy.start_date else None,
    )
    for key, value in fields.items():
        setattr(vacancy, key, value)
    vacancy.requirements = (requirements or "").strip()
    vacancy.banenafspraak = banenafspraak
    vacancy.loonkostensubsidie = loonkostensubsidie
    vacancy.save()
    return vacancy


CLOSE_RESULTS = (VacancyStatus.FILLED, VacancyStatus.WITHDRAWN)


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, on: dt.date, result: str, by: User | None) -> Vacancy:
    """Close a vacancy as filled (vervuld) or withdrawn (ingetrokken) on ``on``."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if not vacancy.is_open:
        raise DomainError("Deze vacature is al gesloten.", code="already_closed", field="closed_on")
    if result not in CLOSE_RESULTS:
        raise DomainError(
            "Kies of de vacature vervuld of ingetrokken is.", code="result_invalid", field="result"
        )
    if on < vacancy.opened_on:
        raise DomainError(
            "De sluitdatum kan niet voor de datum van openstelling liggen.",
            code="before_start",
            field="closed_on",
        )
    if on > _today():
        raise DomainError(
            "De sluitdatum kan niet in de toekomst liggen.", code="in_future", field="closed_on"
        )
    vacancy.status = result
    vacancy.closed_on = on
    vacancy.save(update_fields=["status", "closed_on", "updated_at"])
    return vacancy


# --- vacancy import (CSV or XLSX) -----------------------------------------------------------

IMPORT_REQUIRED = ("titel", "isco", "uren", "postcode", "startdatum")


class VacancyRow(RowForm):
    """One row of a vacancy file; the column names are the field names."""

    titel = forms.CharField(max_length=200)
    isco = forms.RegexField(regex=r"^[0-9]{4}$", error_messages={"invalid": "Vier cijfers."})
    uren = forms.CharField(max_length=6)
    postcode = forms.CharField(max_length=7)
    startdatum = forms.DateField(input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    opleidingsniveau = forms.CharField(required=False)
    eisen = forms.CharField(required=False)
    banenafspraak = forms.CharField(required=False)
    loonkostensubsidie = forms.CharField(required=False)

    def _yes_no(self, name: str) -> bool:
        text = str(self.cleaned_data.get(name) or "").strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        # the walk of 4 December: "misschien" and "Yes" were imported as "nee"
        raise forms.ValidationError("Vul ja of nee in (of laat leeg voor nee).", code="yes_no")

    def clean_banenafspraak(self) -> bool:
        return self._yes_no("banenafspraak")

    def clean_loonkostensubsidie(self) -> bool:
        return self._yes_no("loonkostensubsidie")


#: what a vacancy file may say for yes and for no (empty is no)
YES = frozenset({"ja", "j", "1", "true", "waar", "x", "yes", "y"})
NO = frozenset({"", "nee", "n", "0", "false", "onwaar", "no"})


@transaction.atomic
def vacancies_import(
    *, employer: Employer, filename: str, content: bytes, by: User
) -> tuple[int, list[tuple[int, str | None, str]]]:
    """Import an employer's vacancies from a CSV or XLSX file, all or nothing: returns the number
    written and the errors per row (line, column, message); with any error nothing is written.
    A file that cannot be read at all is a ``DomainError``. No cell value is repeated in a
    message."""
    try:
        table = read_table(content, filename=filename, required=IMPORT_REQUIRED)
    except TabularFileError as exc:
        raise DomainError(exc.message, code="file_invalid", field="file") from None
    occupations = {o.code: o for o in Occupation.objects.all()}
    errors: list[tuple[int, str | None, str]] = []
    valid: list[dict] = []
    try:
        rows = list(table)
    except TabularFileError as exc:
        raise DomainError(exc.message, code="file_invalid", field="file") from None
    if not rows:
        raise DomainError("Het bestand bevat geen vacatures.", code="file_empty", field="file")
    for row in rows:
        form = VacancyRow(row.values)
        if not form.is_valid():
            errors.extend((row.line, column, message) for column, message in form.row_errors())
            continue
        data = form.cleaned_data
        level = (data["opleidingsniveau"] or "").strip()
        try:
            fields = _vacancy_fields(
                occupation=occupations.get(data["isco"]),
                title=data["titel"],
                hours_per_week=data["uren"],
                postcode=data["postcode"],
                education_level=level,
                start_date=data["startdatum"],
                opened_on=_today(),
            )
        except DomainError as exc:
            column = {
                "occupation": "isco",
                "title": "titel",
                "hours_per_week": "uren",
                "postcode": "postcode",
                "education_level": "opleidingsniveau",
                "start_date": "startdatum",
            }.get(exc.field or "")
            message = "Onbekende ISCO-08-code." if column == "isco" else exc.message
            errors.append((row.line, column, message))
            continue
        fields |= {
            "requirements": (data["eisen"] or "").strip(),
            "banenafspraak": data["banenafspraak"],
            "loonkostensubsidie": data["loonkostensubsidie"],
        }
        valid.append(fields)
    if errors:
        return 0, errors
    today = _today()
    Vacancy.objects.bulk_create(
        [Vacancy(employer=employer, opened_on=today, **fields) for fields in valid]
    )
    return len(valid), []
