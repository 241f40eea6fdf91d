"""The matching side of issue 18: a digital profile per resident, the resident's consent to be
proposed to employers, proposals (voordrachten) and placements (plaatsingen).

What the intake already knows (group, education, startkwalificatie, barriers, capacities, wishes)
is read from ``caseload`` and ``intake`` and never copied here. The profile adds what only the
matching needs: work experience, occupations sought (ISCO-08 unit groups of
``employers.Occupation``), driving licence, travel range and hours available. Every invariant has
its database constraint; the services check the same rules first and say in Dutch what is wrong.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
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


class CandidateFacts(models.Model):
    """Derived, not edited: one narrow row per profile with every fact the candidate list scores
    (docs/matching.md, "De kandidatenfeiten"). Written only by ``matching.facts.
    candidate_facts_refresh`` (set-based); consent is **not** here, the candidate list joins it
    live so that a withdrawal acts at once."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="candidate_facts"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "caseload.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    running = models.BooleanField(help_text=_("Het huishouden heeft een lopende uitkering."))
    grp = models.PositiveSmallIntegerField(null=True, help_text=_("Huidige groep (1-3)."))
    education_level = models.CharField(max_length=20, blank=True)
    barriers = models.PositiveSmallIntegerField(
        null=True, help_text=_("Drempels uit de laatste afgeronde intake; leeg: geen intake.")
    )
    in_doelgroepregister = models.BooleanField()
    hours_available = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    travel_range_km = models.PositiveSmallIntegerField(null=True)
    x_km = models.FloatField(null=True)
    y_km = models.FloatField(null=True)
    #: ISCO-08 codes sought (4 digits) and their 3- and 2-digit prefixes, for the occupation credit
    sought = ArrayField(models.CharField(max_length=4), default=list)
    sought3 = ArrayField(models.CharField(max_length=3), default=list)
    sought2 = ArrayField(models.CharField(max_length=2), default=list)
    experience = ArrayField(models.CharField(max_length=4), default=list)
    experience3 = ArrayField(models.CharField(max_length=3), default=list)
    experience2 = ArrayField(models.CharField(max_length=2), default=list)
    #: years of experience, in the order of ``experience`` (for the reason text)
    experience_years = ArrayField(models.DecimalField(max_digits=3, decimal_places=1), default=list)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kandidaatfeiten")
        verbose_name_plural = _("kandidaatfeiten")
        indexes = [
            models.Index(
                fields=["municipality"], condition=Q(running=True), name="candidatefacts_running"
            ),
            models.Index(fields=["resident"], name="candidatefacts_resident"),
        ]


class StoredMatch(models.Model):
    """The top candidates of an open vacancy as the nightly refresh scored them (derived;
    ``matching.facts.stored_matches_refresh``). Read for the vacancy worklist's column, never for
    a decision: the candidate page scores live from the facts with today's consent."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "caseload.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    score = models.DecimalField(max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opgeslagen match")
        verbose_name_plural = _("opgeslagen matches")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "rank"], name="storedmatch_rank_once"),
        ]


class VacancyMatchSummary(models.Model):
    """Per open vacancy, from the last refresh of the stored matches: how many candidates (with
    consent and a running benefit, the region) and how many of the top 10 were not in the top 10
    of the refresh before. Counts only, no resident."""

    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.CASCADE, primary_key=True, related_name="match_summary"
    )
    candidates = models.PositiveIntegerField()
    new_in_top10 = models.PositiveSmallIntegerField(
        null=True, help_text=_("Leeg: de eerste verversing van deze vacature.")
    )
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("matchoverzicht vacature")
        verbose_name_plural = _("matchoverzichten vacatures")
