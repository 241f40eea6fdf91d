"""The matching side of issue 18: a digital profile per resident, the resident's consent to be
proposed to employers, proposals (voordrachten) and placements (plaatsingen).

What the intake already knows (group, education, startkwalificatie, barriers, capacities, wishes)
is read from ``caseload`` and ``intake`` and never copied here. The profile adds what only the
matching needs: work experience, occupations sought (ISCO-08 unit groups of
``employers.Occupation``), driving licence, travel range and hours available. Every invariant has
its database constraint; the services check the same rules first and say in Dutch what is wrong.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caseload.models import OutflowEvent, Resident, User
from employers.models import Occupation, Vacancy


class Profile(models.Model):
    """Het digitale profiel van een inwoner (one per resident)."""

    resident = models.OneToOneField(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="matching_profile",
        help_text=_("Id van de inwoner."),
    )
    driving_licence = models.BooleanField(
        _("rijbewijs B"),
        null=True,
        blank=True,
        help_text=_("Rijbewijs B; leeg: nog niet gevraagd."),
    )
    travel_range_km = models.PositiveSmallIntegerField(
        _("reisafstand (km)"),
        null=True,
        blank=True,
        help_text=_("Hoe ver de inwoner wil reizen naar werk, in kilometers (hoogstens 200)."),
    )
    hours_available = models.DecimalField(
        _("beschikbare uren per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Meer dan 0, hoogstens 40."),
    )
    no_work_experience = models.BooleanField(
        _("geen werkervaring"),
        default=False,
        help_text=_("De inwoner heeft (nog) geen werkervaring om vast te leggen."),
    )
    completed_on = models.DateField(
        _("volledig sinds"),
        null=True,
        blank=True,
        help_text=_(
            "Datum waarop het profiel volledig werd (regel: matching.rules); leeg: onvolledig."
        ),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("gewijzigd door"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")
        constraints = [
            models.CheckConstraint(
                condition=Q(travel_range_km__isnull=True) | Q(travel_range_km__lte=200),
                name="profile_travel_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_available__isnull=True)
                | Q(hours_available__gt=0, hours_available__lte=40),
                name="profile_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Profiel {self.resident_id}"


class SoughtOccupation(models.Model):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="sought", verbose_name=_("profiel")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("beroep")
    )

    class Meta:
        verbose_name = _("gezocht beroep")
        verbose_name_plural = _("gezochte beroepen")
        ordering = ["occupation__code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "occupation"], name="sought_unique"),
        ]


class WorkExperience(models.Model):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="experience", verbose_name=_("profiel")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("beroep")
    )
    years = models.DecimalField(
        _("jaren"), max_digits=3, decimal_places=1, help_text=_("Meer dan 0, hoogstens 50.")
    )

    class Meta:
        verbose_name = _("werkervaring")
        verbose_name_plural = _("werkervaring")
        ordering = ["occupation__code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "occupation"], name="experience_unique"),
            models.CheckConstraint(
                condition=Q(years__gt=0, years__lte=50), name="experience_years_range"
            ),
        ]


class ConsentScope(models.TextChoices):
    PROPOSE = "voorstellen_werkgevers", _("Voorstellen aan werkgevers")


class Consent(models.Model):
    """The resident's consent to be proposed to employers. Withdrawn: out of matching at once."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="matching_consents",
        verbose_name=_("inwoner"),
    )
    scope = models.CharField(_("reikwijdte"), max_length=30, choices=ConsentScope.choices)
    given_on = models.DateField(_("gegeven op"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        verbose_name=_("ingetrokken door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_scope",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=ConsentScope.values), name="consent_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawn_by_whom",
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ProposalStatus(models.TextChoices):
    PROPOSED = "voorgedragen", _("Voorgedragen")
    ACCEPTED = "aangenomen", _("Aangenomen door werkgever")
    DECLINED = "afgewezen", _("Afgewezen door werkgever")


class Proposal(models.Model):
    """Voordracht: a resident proposed for a vacancy, and the employer's answer."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("vacature")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("inwoner")
    )
    proposed_on = models.DateField(_("voorgedragen op"))
    proposed_by = models.ForeignKey(
        User, verbose_name=_("voorgedragen door"), on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField(_("motivatie"), blank=True)
    score = models.DecimalField(
        _("matchscore bij voordracht"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    answered_on = models.DateField(_("antwoord op"), null=True, blank=True)
    decline_reason = models.TextField(_("reden afwijzing"), blank=True)

    class Meta:
        verbose_name = _("voordracht")
        verbose_name_plural = _("voordrachten")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "resident"], name="proposal_once"),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.PROPOSED) & Q(answered_on__isnull=True))
                | (
                    ~Q(status=ProposalStatus.PROPOSED) & Q(answered_on__gte=models.F("proposed_on"))
                ),
                name="proposal_answered_iff_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="proposal_decline_has_reason",
            ),
        ]


class Placement(models.Model):
    """Plaatsing after an accepted proposal; records the outflow through caseload's service."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="placement", verbose_name=_("voordracht")
    )
    start_date = models.DateField(_("startdatum"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)
    loonkostensubsidie = models.BooleanField(_("loonkostensubsidie"), default=False)
    proefplaatsing = models.BooleanField(_("proefplaatsing"), default=False)
    jobcoach = models.BooleanField(_("jobcoach"), default=False)
    outflow = models.OneToOneField(
        OutflowEvent,
        on_delete=models.PROTECT,
        related_name="placement",
        verbose_name=_("uitstroom"),
        help_text=_("De uitstroom die bij deze plaatsing is vastgelegd."),
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=40),
                name="placement_hours_range",
            ),
        ]


class Pc4Centroid(models.Model):
    """A four-digit postcode area's position, in km on a plane (``matching/data/README.md``)."""

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, unique=True)
    x_km = models.FloatField(_("x (km)"))
    y_km = models.FloatField(_("y (km)"))

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        constraints = [
            models.CheckConstraint(condition=Q(pc4__regex=r"^[1-9][0-9]{3}$"), name="pc4_format"),
        ]
