"""The broad intake (brede intake), the group proposal rules and the plan van aanpak.

Invariants live in database constraints (at most one draft intake per resident, one assessment
per capacity, scores 1-5, an override of the proposed group carries a reason); the services check
the same rules first to give a clear Dutch message.

Capacity and health notes record *functional conclusions* only ("kan 4 uur per dag staand werk
doen"), never diagnoses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from caseload.models import EducationLevel, Group, LanguageLevel


class Capacity(models.TextChoices):
    """The five capacities (vermogens) of the broad intake, in the order of the steps."""

    WORK = "werk", _("Werkvermogen")
    FINANCIAL = "financieel", _("Financieel vermogen")
    PHYSICAL = "fysiek", _("Fysiek vermogen")
    MENTAL = "mentaal", _("Mentaal vermogen")
    SOCIAL = "sociaal", _("Sociaal vermogen")


class Score(models.IntegerChoices):
    """The meaning of a capacity score; the same scale for all five capacities."""

    SEVERE = 1, _("1 - Ernstig beperkt: nu niet inzetbaar op dit vlak")
    LARGE = 2, _("2 - Sterk beperkt: langdurige, intensieve ondersteuning nodig")
    SOME = 3, _("3 - Deels beperkt: gerichte ondersteuning nodig")
    LIGHT = 4, _("4 - Licht beperkt: weinig ondersteuning nodig")
    NONE = 5, _("5 - Niet beperkt: zelfstandig")


class Barrier(models.TextChoices):
    """Barriers recorded in step 6; each is a boolean plus notes on the intake."""

    DEBTS = "debts", _("Schulden")
    LANGUAGE = "language", _("Taal")
    CHILDCARE = "childcare", _("Kinderopvang")
    HEALTH = "health", _("Gezondheid")
    HOUSING = "housing", _("Huisvesting")


#: Steps of the intake form, in order: five capacities, barriers, education and wishes, proposal.
STEP_CAPACITIES = {
    1: Capacity.WORK,
    2: Capacity.FINANCIAL,
    3: Capacity.PHYSICAL,
    4: Capacity.MENTAL,
    5: Capacity.SOCIAL,
}
STEP_BARRIERS = 6
STEP_EDUCATION = 7
STEP_PROPOSAL = 8
STEP_COUNT = 8


class IntakeQuerySet(models.QuerySet):
    def drafts(self) -> IntakeQuerySet:
        return self.filter(status=Intake.Status.DRAFT)

    def completed(self) -> IntakeQuerySet:
        return self.filter(status=Intake.Status.COMPLETED)


class Intake(models.Model):
    class Status(models.TextChoices):
        DRAFT = "concept", _("Concept (nog niet afgerond)")
        COMPLETED = "afgerond", _("Afgerond")

    resident = models.ForeignKey(
        "caseload.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="intakes",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    current_step = models.PositiveSmallIntegerField(
        _("huidige stap"), default=1, help_text=_("De stap waar de intake wordt hervat.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgerond door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Step 6: barriers (drempels); notes are functional, never diagnoses.
    has_debts = models.BooleanField(_("schulden"), default=False)
    debts_notes = models.TextField(_("toelichting schulden"), blank=True)
    has_language_barrier = models.BooleanField(_("taal"), default=False)
    language_notes = models.TextField(_("toelichting taal"), blank=True)
    has_childcare_barrier = models.BooleanField(_("kinderopvang"), default=False)
    childcare_notes = models.TextField(_("toelichting kinderopvang"), blank=True)
    has_health_barrier = models.BooleanField(_("gezondheid"), default=False)
    health_notes = models.TextField(_("toelichting gezondheid"), blank=True)
    has_housing_barrier = models.BooleanField(_("huisvesting"), default=False)
    housing_notes = models.TextField(_("toelichting huisvesting"), blank=True)
    barriers_saved = models.BooleanField(_("drempels vastgelegd"), default=False)

    # Step 7: education (also written to the resident) and wishes.
    education_level = models.CharField(
        _("opleidingsniveau"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    has_startkwalificatie = models.BooleanField(_("startkwalificatie"), default=False)
    language_level = models.CharField(
        _("taalniveau Nederlands"), max_length=20, choices=LanguageLevel.choices, blank=True
    )
    wishes = models.TextField(_("wensen van de inwoner"), blank=True)
    education_saved = models.BooleanField(_("opleiding en wensen vastgelegd"), default=False)

    # Step 8: the proposal and the decision.
    proposed_group = models.PositiveSmallIntegerField(
        _("voorgestelde groep"), choices=Group.choices, null=True, blank=True
    )
    proposal_reason = models.TextField(_("reden voorstel"), blank=True)
    proposal_rule = models.ForeignKey(
        "intake.GroupProposalRule",
        verbose_name=_("toegepaste regel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_group = models.PositiveSmallIntegerField(
        _("vastgestelde groep"), choices=Group.choices, null=True, blank=True
    )
    override_reason = models.TextField(_("reden afwijking van voorstel"), blank=True)
    education_first = models.BooleanField(
        _("eerst onderwijs"),
        default=False,
        help_text=_("Jonger dan 27 zonder startkwalificatie op het moment van afronden."),
    )
    group_assignment = models.OneToOneField(
        "caseload.GroupAssignment",
        verbose_name=_("groepsindeling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake",
    )

    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("brede intake")
        verbose_name_plural = _("brede intakes")
        ordering = ["resident", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status="concept"),
                name="intake_one_draft_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(current_step__gte=1) & Q(current_step__lte=STEP_COUNT),
                name="intake_step_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["concept", "afgerond"]), name="intake_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="concept")
                    & Q(completed_at__isnull=True)
                    & Q(confirmed_group__isnull=True)
                )
                | (
                    Q(status="afgerond")
                    & Q(completed_at__isnull=False)
                    & Q(proposed_group__isnull=False)
                    & Q(confirmed_group__isnull=False)
                ),
                name="intake_completed_consistent",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_group__isnull=True)
                | Q(confirmed_group=F("proposed_group"))
                | ~Q(override_reason=""),
                name="intake_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(proposed_group__isnull=True) | Q(proposed_group__in=[1, 2, 3]),
                name="intake_proposed_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_group__isnull=True) | Q(confirmed_group__in=[1, 2, 3]),
                name="intake_confirmed_group_valid",
            ),
            models.CheckConstraint(
                condition=~Q(has_startkwalificatie=True)
                | ~Q(education_level__in=["geen", "vso_pro", "vmbo", "mbo1"]),
                name="intake_startkwalificatie_needs_level",
            ),
        ]

    def __str__(self) -> str:
        return f"Brede intake {self.started_at:%d-%m-%Y}" if self.started_at else "Brede intake"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_override(self) -> bool:
        return self.confirmed_group is not None and self.confirmed_group != self.proposed_group

    def barrier_flags(self) -> dict[str, bool]:
        return {
            Barrier.DEBTS: self.has_debts,
            Barrier.LANGUAGE: self.has_language_barrier,
            Barrier.CHILDCARE: self.has_childcare_barrier,
            Barrier.HEALTH: self.has_health_barrier,
            Barrier.HOUSING: self.has_housing_barrier,
        }


class CapacityAssessment(models.Model):
    """One capacity's score (see :class:`Score` for the meaning) and functional notes."""

    intake = models.ForeignKey(
        Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="assessments"
    )
    capacity = models.CharField(_("vermogen"), max_length=20, choices=Capacity.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    notes = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Alleen functionele conclusies (wat kan de inwoner wel), geen diagnoses."),
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("beoordeling vermogen")
        verbose_name_plural = _("beoordelingen vermogens")
        ordering = ["intake", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "capacity"], name="assessment_one_per_capacity"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="assessment_score_1_5"
            ),
            models.CheckConstraint(
                condition=Q(capacity__in=Capacity.values), name="assessment_capacity_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_capacity_display()}: {self.score}"


class GroupProposalRule(models.Model):
    """One row of the group proposal rule table, edited by functioneel beheer in the admin.

    Active rules are tried in ascending ``priority``; the first rule whose conditions all hold
    gives the proposed group and its reason. An empty condition always holds, so a rule without
    conditions is a catch-all. Rules of the resident's municipality are used when it has any,
    otherwise the general rules (no municipality). See docs/intake.md.
    """

    municipality = models.ForeignKey(
        "caseload.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: geldt voor gemeenten zonder eigen regels."),
    )
    priority = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("Lagere nummers worden eerst geprobeerd.")
    )
    group = models.PositiveSmallIntegerField(_("voorgestelde groep"), choices=Group.choices)
    min_work_score = models.PositiveSmallIntegerField(
        _("minimale score werkvermogen"), choices=Score.choices, null=True, blank=True
    )
    max_work_score = models.PositiveSmallIntegerField(
        _("maximale score werkvermogen"), choices=Score.choices, null=True, blank=True
    )
    min_lowest_score = models.PositiveSmallIntegerField(
        _("minimale laagste score (alle vermogens)"),
        choices=Score.choices,
        null=True,
        blank=True,
        help_text=_("Elk van de vijf vermogens moet minstens deze score hebben."),
    )
    max_barriers = models.PositiveSmallIntegerField(
        _("maximaal aantal drempels"),
        null=True,
        blank=True,
        help_text=_("0 betekent: alleen als er geen enkele drempel is."),
    )
    reason = models.CharField(
        _("reden (getoond aan de consulent)"),
        max_length=300,
        help_text=_("Nederlandse tekst die als reden bij het voorstel wordt getoond."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("regel groepsvoorstel")
        verbose_name_plural = _("regels groepsvoorstel")
        ordering = ["municipality", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "priority"],
                nulls_distinct=False,
                name="proposal_rule_unique_priority",
            ),
            models.CheckConstraint(condition=Q(group__in=[1, 2, 3]), name="proposal_rule_group"),
            models.CheckConstraint(
                condition=(Q(min_work_score__isnull=True) | Q(min_work_score__range=(1, 5)))
                & (Q(max_work_score__isnull=True) | Q(max_work_score__range=(1, 5)))
                & (Q(min_lowest_score__isnull=True) | Q(min_lowest_score__range=(1, 5))),
                name="proposal_rule_scores_1_5",
            ),
            models.CheckConstraint(
                condition=Q(min_work_score__isnull=True)
                | Q(max_work_score__isnull=True)
                | Q(min_work_score__lte=F("max_work_score")),
                name="proposal_rule_min_le_max",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="proposal_rule_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: groep {self.group} - {self.reason}"


class PlanVanAanpak(models.Model):
    """Plan of action: goals, agreed actions, the resident's own commitments and the business
    case (expected saving on the benefit at the configured average cost)."""

    class ExpectedOutflow(models.TextChoices):
        NONE = "geen", _("Geen uitstroom verwacht")
        PARTIAL = "gedeeltelijk", _("Gedeeltelijke uitstroom (deeltijdwerk of meer uren)")
        FULL = "volledig", _("Volledige uitstroom")

    resident = models.ForeignKey(
        "caseload.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    intake = models.ForeignKey(
        Intake,
        verbose_name=_("intake"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    goals = models.TextField(_("doelen"))
    commitments = models.TextField(
        _("eigen inzet van de inwoner (wederkerigheid)"),
        help_text=_("Wat de inwoner zelf doet, ook als tegenprestatie."),
    )
    expected_outflow = models.CharField(
        _("verwachte uitstroom"),
        max_length=20,
        choices=ExpectedOutflow.choices,
        default=ExpectedOutflow.NONE,
    )
    expected_fraction = models.DecimalField(
        _("deel van de uitkering dat vervalt"),
        max_digits=4,
        decimal_places=3,
        default=0,
        help_text=_("0 tot 1; volledig = 1."),
    )
    business_case_year = models.PositiveSmallIntegerField(_("jaar business case"))
    average_benefit_cost = models.DecimalField(
        _("gemiddelde kosten uitkering per jaar (gebruikt)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg als voor dit jaar geen gemiddelde kosten zijn ingesteld."),
    )
    expected_saving = models.DecimalField(
        _("verwachte besparing per jaar"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opgesteld op"), auto_now_add=True)
    signed_on = models.DateField(
        _("ondertekend op"),
        null=True,
        blank=True,
        help_text=_("Datum waarop de inwoner het plan heeft ondertekend; leeg als nog niet."),
    )

    class Meta:
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        ordering = ["resident", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(expected_outflow="geen") & Q(expected_fraction=0))
                | (
                    Q(expected_outflow="gedeeltelijk")
                    & Q(expected_fraction__gt=0)
                    & Q(expected_fraction__lt=1)
                )
                | (Q(expected_outflow="volledig") & Q(expected_fraction=1)),
                name="plan_fraction_matches_outflow",
            ),
            models.CheckConstraint(
                condition=Q(expected_saving__isnull=True) | Q(expected_saving__gte=0),
                name="plan_saving_nonneg",
            ),
            models.CheckConstraint(condition=~Q(goals=""), name="plan_goals_required"),
            models.CheckConstraint(condition=~Q(commitments=""), name="plan_commitments_required"),
        ]

    def __str__(self) -> str:
        return f"Plan van aanpak {self.created_at:%d-%m-%Y}" if self.created_at else "Plan"


class PlanAction(models.Model):
    """An agreed action of a plan, with a due date and who carries it out."""

    class Owner(models.TextChoices):
        RESIDENT = "inwoner", _("Inwoner")
        CONSULENT = "consulent", _("Consulent")
        TOGETHER = "samen", _("Samen")
        PARTNER = "partner", _("Ketenpartner")

    plan = models.ForeignKey(
        PlanVanAanpak, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("actie"), max_length=300)
    due_on = models.DateField(_("uiterste datum"))
    owner = models.CharField(
        _("uitvoerder"), max_length=20, choices=Owner.choices, default=Owner.RESIDENT
    )
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["plan", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="plan_action_description"),
            models.CheckConstraint(
                condition=Q(owner__in=["inwoner", "consulent", "samen", "partner"]),
                name="plan_action_owner_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.description
