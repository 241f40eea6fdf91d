"""Employers and their vacancies, the werkgeversservicepunt's (WSP) side of issue 18.

Occupations are the ISCO-08 unit groups (436, four digits) with their Dutch titles, loaded from
``employers/data/`` by a data migration (sources and licence: ``employers/data/README.md``).
An employer belongs to one municipality of the installation; its sector is an SBI 2008 code
whose division (first two digits) must exist in SBI 2008 (``calculations.sbi_section``).
Every invariant has its database constraint; the services check the same rules first and say
in Dutch what is wrong.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caseload.models import EducationLevel, Municipality

KVK_REGEX = r"^[0-9]{8}$"
POSTCODE_REGEX = r"^[1-9][0-9]{3}[A-Z]{2}$"
SBI_REGEX = r"^[0-9]{2}([0-9]{1,3})?$"


class Occupation(models.Model):
    """An ISCO-08 unit group (four digits) with its Dutch title."""

    code = models.CharField(_("ISCO-08-code"), max_length=4, unique=True)
    title = models.CharField(_("beroepsgroep"), max_length=200)
    major_group = models.CharField(
        _("hoofdgroep"), max_length=1, help_text=_("Eerste cijfer van de ISCO-08-code.")
    )

    class Meta:
        verbose_name = _("beroep (ISCO-08)")
        verbose_name_plural = _("beroepen (ISCO-08)")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="occupation_code_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Employer(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, help_text=_("Acht cijfers, zoals in het Handelsregister.")
    )
    name = models.CharField(_("naam"), max_length=200)
    sbi_code = models.CharField(
        _("SBI-code"),
        max_length=5,
        help_text=_("Sector volgens SBI 2008: twee tot vijf cijfers, bijvoorbeeld 4711."),
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accountmanager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__regex=KVK_REGEX), name="employer_kvk_format"
            ),
            models.CheckConstraint(
                condition=Q(sbi_code__regex=SBI_REGEX), name="employer_sbi_format"
            ),
            models.UniqueConstraint(
                fields=["municipality", "kvk_number"], name="employer_kvk_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerLocation(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("werkgever"), on_delete=models.CASCADE, related_name="locations"
    )
    address = models.CharField(_("adres"), max_length=200, help_text=_("Straat en huisnummer."))
    postcode = models.CharField(_("postcode"), max_length=6, help_text=_("Bijvoorbeeld 1211AB."))
    city = models.CharField(_("plaats"), max_length=100)

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_REGEX), name="employer_location_postcode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address}, {self.postcode} {self.city}"


class EmployerContact(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("werkgever"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("functie"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="employer_contact_reachable"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitmentKind(models.TextChoices):
    SROI = "sroi", _("SROI (social return)")
    BANENAFSPRAAK = "banenafspraak", _("Banenafspraak")


class EmployerCommitment(models.Model):
    """How many places an employer committed to for a year (SROI or banenafspraak)."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("werkgever"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=CommitmentKind.choices)
    year = models.PositiveSmallIntegerField(_("jaar"))
    number = models.PositiveIntegerField(_("aantal plaatsen"))

    class Meta:
        verbose_name = _("toezegging")
        verbose_name_plural = _("toezeggingen")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "kind", "year"], name="employer_commitment_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="employer_commitment_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CommitmentKind.values), name="employer_commitment_kind"
            ),
        ]


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "vervuld", _("Vervuld")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class Vacancy(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("werkgever"), on_delete=models.PROTECT, related_name="vacancies"
    )
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("beroep (ISCO-08)"), on_delete=models.PROTECT
    )
    title = models.CharField(_("functietitel"), max_length=200)
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=4, decimal_places=1, help_text=_("Meer dan 0, hoogstens 40.")
    )
    postcode = models.CharField(
        _("postcode werkplek"), max_length=6, help_text=_("Bijvoorbeeld 1211AB.")
    )
    education_level = models.CharField(
        _("opleidingsniveau"),
        max_length=20,
        choices=EducationLevel.choices,
        blank=True,
        help_text=_("Leeg: geen eis."),
    )
    requirements = models.TextField(_("eisen"), blank=True)
    start_date = models.DateField(_("startdatum"))
    banenafspraak = models.BooleanField(_("geschikt voor de banenafspraak"), default=False)
    loonkostensubsidie = models.BooleanField(_("loonkostensubsidie mogelijk"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    opened_on = models.DateField(_("opengesteld op"))
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["status", "start_date"], name="vacancy_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=40),
                name="vacancy_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_REGEX), name="vacancy_postcode_format"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VacancyStatus.values), name="vacancy_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=VacancyStatus.OPEN) & Q(closed_on__isnull=True))
                | (~Q(status=VacancyStatus.OPEN) & Q(closed_on__isnull=False)),
                name="vacancy_closed_iff_not_open",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="vacancy_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(education_level="") | Q(education_level__in=EducationLevel.values),
                name="vacancy_education_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.OPEN
