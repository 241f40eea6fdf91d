"""Targets, manual values and computed indicator values.

``IndicatorValue`` and ``FillState`` are written only by ``services.indicator_values_fill``;
``Target`` and ``ManualValue`` only by their services (edited by functioneel beheer).
Indicator codes are not foreign keys: the definitions live in code (``indicators.registry``);
the services refuse unknown codes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.models import Municipality


class Target(models.Model):
    """Nulmeting (baseline) and streefwaarde (target) of one indicator in one year."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    code = models.CharField(_("indicator"), max_length=80)
    baseline = models.DecimalField(
        _("nulmeting"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("streefwaarde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("toelichting / bron"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")
        ordering = ["municipality", "year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "code"], name="indicator_target_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="indicator_target_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class ManualValue(models.Model):
    """A value of a manual-input indicator (e.g. netto arbeidsparticipatie from CBS)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("indicator"), max_length=80)
    period_start = models.DateField(_("begin periode"))
    period_end = models.DateField(_("einde periode"))
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=4)
    source = models.CharField(_("bron"), max_length=200)
    source_date = models.DateField(_("datum bron"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now=True)

    class Meta:
        verbose_name = _("handmatige waarde")
        verbose_name_plural = _("handmatige waarden")
        ordering = ["municipality", "code", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "period_start", "period_end"],
                name="indicator_manual_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="indicator_manual_period"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="indicator_manual_source"),
        ]

    def __str__(self) -> str:
        year = self.period_start.year if self.period_start else ""
        return f"{self.code} {year}".strip()


class IndicatorValue(models.Model):
    """One computed figure: an indicator in one period, in total (dimension '') or for one
    dimension value, with the numerator and denominator it was computed from."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=80)
    period_kind = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    dimension = models.CharField(max_length=30, blank=True)
    dimension_value = models.CharField(max_length=120, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    #: when the fill last wrote this row (a new figure or a changed one). A fill that computes
    #: the same figure again leaves the row alone; when a figure was last *computed* is its
    #: period's :class:`FillState` (``computed_at``), which the pages, the export and the API
    #: show as "berekend op"
    changed_at = models.DateTimeField(_("laatst gewijzigd"))
    definition_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "code",
                    "period_start",
                    "period_end",
                    "dimension",
                    "dimension_value",
                ],
                name="indicator_value_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="indicator_value_period"
            ),
            models.CheckConstraint(
                condition=(Q(dimension="") & Q(dimension_value=""))
                | (~Q(dimension="") & ~Q(dimension_value="")),
                name="indicator_value_dimension_pair",
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=["month", "quarter", "year"]),
                name="indicator_value_period_kind",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "period_kind", "period_start", "code"],
                name="indicator_value_dashboard",
            )
        ]


class FillState(models.Model):
    """Progress of the fill service per indicator and period: 'started' is written (and
    committed) before the values are replaced, 'done' with them, so a period left 'started'
    by a crash is redone by the next resumable run."""

    class State(models.TextChoices):
        STARTED = "started", _("bezig")
        DONE = "done", _("klaar")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=80)
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices)
    definition_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField()
    #: when the period's figures were last computed: set by the 'done' mark only, so it stays
    #: while the period is being filled again ('started'); what the pages, the export and the
    #: API show as "berekend op" (a fill rewrites only the figures that changed, so a value's
    #: own ``changed_at`` can be older)
    computed_at = models.DateTimeField(_("berekend op"), null=True)

    class Meta:
        verbose_name = _("vulstatus")
        verbose_name_plural = _("vulstatussen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "period_start", "period_end"],
                name="indicator_fillstate_unique",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["started", "done"]), name="indicator_fillstate_state"
            ),
        ]


class RecomputeRequest(models.Model):
    """The outbox of case changes (issue 13, finding 1): one row per change, written by the
    case-change listener in the same transaction as the change itself, so a committed change
    always has its row and a rolled-back one never does. ``indicators.outbox.outbox_drain``
    takes the rows (``FOR UPDATE SKIP LOCKED``), recomputes each municipality from its earliest
    ``affected_from`` and deletes them in the same transaction. Rows are only ever inserted by
    the writers (never updated), so concurrent case changes never wait on each other here."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    affected_from = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herberekeningsverzoek")
        verbose_name_plural = _("herberekeningsverzoeken")
        indexes = [models.Index(fields=["municipality", "id"], name="indicator_recompute_muni")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.affected_from}"
