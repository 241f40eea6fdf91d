"""BUIG budget, receipts, vangnet rules, ledger imports and BUIG reports.

Besteding (spending) is not stored here: it is derived from ``caseload.BenefitPayment``.
Baten (receipts excluding the state: recoveries, verhaal) come from the ledger import
(``Receipt``) plus manual ``JournalCorrection`` rows with reason and author.
Every write goes through ``budget.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from caseload.models import Municipality, Regime
from common.jobs import Job, job_status_field

from .payments import COLUMNS

YEAR_RANGE = Q(year__gte=2000) & Q(year__lte=2100)


class BudgetYear(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))

    class Meta:
        verbose_name = _("budgetjaar")
        verbose_name_plural = _("budgetjaren")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="budget_year_unique"),
            models.CheckConstraint(condition=YEAR_RANGE, name="budget_year_range"),
        ]

    def __str__(self) -> str:
        return f"BUIG {self.municipality} {self.year}"


class BudgetAllocation(models.Model):
    """One BUIG allocation moment; the one with the latest date is current."""

    class Moment(models.TextChoices):
        VOORLOPIG = "voorlopig", _("Voorlopig budget")
        NADER_VOORLOPIG = "nader_voorlopig", _("Nader voorlopig budget")
        DEFINITIEF = "definitief", _("Definitief budget")

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="allocations"
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    decided_on = models.DateField(_("datum"))
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    loonkostensubsidie = models.DecimalField(
        _("waarvan loonkostensubsidie"), max_digits=14, decimal_places=2, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budgettoekenning")
        verbose_name_plural = _("budgettoekenningen")
        ordering = ["budget_year", "decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "moment"], name="budget_allocation_one_per_moment"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_allocation_positive"),
            models.CheckConstraint(
                condition=Q(loonkostensubsidie__gte=0) & Q(loonkostensubsidie__lte=F("amount")),
                name="budget_allocation_lks_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(moment__in=["voorlopig", "nader_voorlopig", "definitief"]),
                name="budget_allocation_moment_valid",
            ),
        ]


class VangnetRule(models.Model):
    """A row of the vangnet rule table (edited by functioneel beheer; preloaded per DOMAIN.md)."""

    class MultiYearKind(models.TextChoices):
        WINDOW = "window", _("Tekort van de vorige jaren plus jaar T")
        SINCE = "since", _("Cumulatief tekort sinds een beginjaar")

    year_from = models.PositiveSmallIntegerField(_("vanaf jaar"))
    year_to = models.PositiveSmallIntegerField(_("tot en met jaar"))
    entry_threshold = models.DecimalField(_("instapdrempel"), max_digits=6, decimal_places=4)
    multi_year_kind = models.CharField(
        _("meerjarige toets"), max_length=10, choices=MultiYearKind.choices
    )
    multi_year_threshold = models.DecimalField(
        _("drempel meerjarige toets"), max_digits=6, decimal_places=4
    )
    multi_year_window = models.PositiveSmallIntegerField(_("aantal vorige jaren"), default=2)
    multi_year_since = models.PositiveSmallIntegerField(_("beginjaar"), null=True, blank=True)
    band_lower = models.DecimalField(_("ondergrens schijf"), max_digits=6, decimal_places=4)
    band_upper = models.DecimalField(_("bovengrens schijf"), max_digits=6, decimal_places=4)
    band_rate = models.DecimalField(_("vergoeding in schijf"), max_digits=5, decimal_places=4)
    above_rate = models.DecimalField(_("vergoeding boven schijf"), max_digits=5, decimal_places=4)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("vangnetregel")
        verbose_name_plural = _("vangnetregels")
        ordering = ["year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")), name="vangnet_rule_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(band_upper__gt=F("band_lower")) & Q(band_lower__gte=0),
                name="vangnet_rule_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(band_rate__gte=0)
                & Q(band_rate__lte=1)
                & Q(above_rate__gte=0)
                & Q(above_rate__lte=1),
                name="vangnet_rule_rates_fraction",
            ),
            models.CheckConstraint(
                condition=~Q(multi_year_kind="since") | Q(multi_year_since__isnull=False),
                name="vangnet_rule_since_has_year",
            ),
            models.UniqueConstraint(fields=["year_from"], name="vangnet_rule_year_from_unique"),
        ]

    def __str__(self) -> str:
        return f"Vangnet {self.year_from}-{self.year_to}"

    def clean(self) -> None:
        super().clean()
        if self.year_from and self.year_to and self.year_to < self.year_from:
            raise ValidationError({"year_to": _("Het eindjaar ligt voor het beginjaar.")})
        if (
            self.band_lower is not None
            and self.band_upper is not None
            and self.band_upper <= self.band_lower
        ):
            raise ValidationError({"band_upper": _("De bovengrens ligt niet boven de ondergrens.")})
        if self.multi_year_kind == self.MultiYearKind.SINCE and not self.multi_year_since:
            raise ValidationError(
                {"multi_year_since": _("Geef het beginjaar van de meerjarige toets.")}
            )
        overlap = VangnetRule.objects.filter(
            year_from__lte=self.year_to, year_to__gte=self.year_from
        ).exclude(pk=self.pk)
        if self.year_from and self.year_to and overlap.exists():
            raise ValidationError(_("De jaren overlappen met een andere vangnetregel."))


class SisaLabel(models.Model):
    """The SiSa indicator (code and wording) on which a regime's besteding or baten of the BUIG is
    reported, for a range of years (the codes of the SiSa annex change by year). Functioneel
    beheer sets them from the annex of each year; a row without a code is not yet set and the
    pages and the report say so: the system does not guess a code."""

    class Kind(models.TextChoices):
        BESTEDING = "besteding", _("Besteding")
        BATEN = "baten", _("Baten")

    regime = models.CharField(_("regeling"), max_length=20, choices=Regime.choices)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    year_from = models.PositiveSmallIntegerField(
        _("vanaf jaar"), default=2015, help_text=_("Eerste verantwoordingsjaar van deze regel.")
    )
    year_to = models.PositiveSmallIntegerField(
        _("tot en met jaar"),
        null=True,
        blank=True,
        help_text=_("Laatste verantwoordingsjaar; leeg als de regel nog geldt."),
    )
    code = models.CharField(
        _("SiSa-indicatorcode"),
        max_length=20,
        blank=True,
        help_text=_(
            "De code uit de SiSa-bijlage van dat jaar; leeg zolang functioneel beheer hem niet "
            "heeft ingesteld."
        ),
    )
    label = models.CharField(
        _("omschrijving"),
        max_length=200,
        help_text=_("De omschrijving van de indicator zoals in de SiSa-bijlage."),
    )

    class Meta:
        verbose_name = _("SiSa-indicator")
        verbose_name_plural = _("SiSa-indicatoren")
        ordering = ["regime", "kind", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "kind", "year_from"], name="sisa_label_unique_from"
            ),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=F("year_from")),
                name="sisa_label_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or '-'} {self.label}"

    def clean(self) -> None:
        super().clean()
        if self.year_from and self.year_to and self.year_to < self.year_from:
            raise ValidationError({"year_to": _("Het eindjaar ligt voor het beginjaar.")})
        last = self.year_to or 9999
        others = SisaLabel.objects.filter(regime=self.regime, kind=self.kind).exclude(pk=self.pk)
        for other in others:
            if other.year_from <= last and self.year_from <= (other.year_to or 9999):
                raise ValidationError(
                    _("De jaren overlappen met een andere SiSa-regel voor deze regeling en soort.")
                )


class LedgerImport(Job):
    """A ledger file's import (a :class:`common.jobs.Job`: status, progress in rows, line
    errors ``[{"line": n, "reason": "..."}]``, lease, timestamps)."""

    upload_fields = ("file",)  # deleted when the import ends, however (issue 13, finding 5)
    task_name = "budget.ledger_import_run"  # sent again when left queued

    status = job_status_field(succeeded=_("Verwerkt"))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("bestand"), upload_to="budget/ledger/")
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    accepted_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("grootboekimport")
        verbose_name_plural = _("grootboekimports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "checksum"],
                condition=Q(status__in=["queued", "running", "succeeded"]),
                name="ledger_import_checksum_once",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")) | Q(progress_total=0),
                name="ledger_import_progress_bounded",
            ),
        ]


class Receipt(models.Model):
    """One ledger line for a regime and month: baten (recovery, verhaal, other), or the benefit
    costs booked (``uitkering``), which are no baten and serve only the reconciliation with the
    payments feed (``selectors.reconciliation``)."""

    class Kind(models.TextChoices):
        RECOVERY = "terugvordering", _("Terugvordering")
        VERHAAL = "verhaal", _("Verhaal")
        OTHER = "overig", _("Overige baten")
        BENEFIT_COSTS = "uitkering", _("Uitkeringslasten (ter aansluiting)")

    #: the kinds that are baten (netto lasten = besteding - baten)
    BATEN = (Kind.RECOVERY, Kind.VERHAAL, Kind.OTHER)

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="receipts"
    )
    line_number = models.PositiveIntegerField(_("regelnummer"))
    reference = models.CharField(_("boekingskenmerk"), max_length=40)
    regime = models.CharField(_("regeling"), max_length=20, choices=Regime.choices)
    month = models.DateField(_("maand"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("ontvangst (baten)")
        verbose_name_plural = _("ontvangsten (baten)")
        indexes = [models.Index(fields=["municipality", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="receipt_reference_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="receipt_month_first_day"),
            models.CheckConstraint(condition=Q(regime__in=Regime.values), name="receipt_regime"),
        ]


class JournalCorrection(models.Model):
    """A manual memoriaalboeking on besteding or baten of a regime and month, signed."""

    class Kind(models.TextChoices):
        BESTEDING = "besteding", _("Besteding")
        BATEN = "baten", _("Baten")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    regime = models.CharField(_("regeling"), max_length=20, choices=Regime.choices)
    month = models.DateField(_("maand"))
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reden"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("memoriaalboeking")
        verbose_name_plural = _("memoriaalboekingen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="correction_month_first_day"),
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(condition=~Q(amount=0), name="correction_nonzero"),
            models.CheckConstraint(condition=Q(regime__in=Regime.values), name="correction_regime"),
        ]


class BuigReport(Job):
    """A BUIG report's generation (a :class:`common.jobs.Job`: status, progress in percent of
    ``progress_total`` = 100, errors ``[{"line": 0, "reason": "..."}]``, lease, timestamps)."""

    task_name = "budget.buig_report_generate"  # sent again when left queued

    status = job_status_field(succeeded=_("Klaar"))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    xlsx_file = models.FileField(upload_to="budget/reports/", blank=True)
    csv_file = models.FileField(upload_to="budget/reports/", blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)
    payments_total = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("BUIG-verantwoording")
        verbose_name_plural = _("BUIG-verantwoordingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=YEAR_RANGE, name="buig_report_year_range"),
            models.CheckConstraint(
                condition=Q(progress_done__lte=100), name="buig_report_progress"
            ),
            models.CheckConstraint(
                condition=~Q(status="succeeded") | ~Q(xlsx_sha256=""),
                name="buig_report_done_has_file",
            ),
        ]

    @property
    def error(self) -> str:
        """The message shown when the report failed."""
        return " ".join(str(e.get("reason", "")) for e in self.errors if isinstance(e, dict))


class PaymentMonthTotal(models.Model):
    """Besteding per municipality, month and regime, summed from ``caseload.BenefitPayment`` by
    ``budget.services.payment_totals_refresh`` (beat: the current year every few minutes and
    every year nightly; after a demo load; before each BUIG report), so that no budget page
    aggregates the payment table during a request. The row with an empty regime holds the
    month's total over all regimes, with the number of distinct households paid."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("maand"))
    regime = models.CharField(_("regeling"), max_length=30, blank=True)
    amount_paid = models.DecimalField(_("betaald"), max_digits=16, decimal_places=2)
    payments = models.PositiveIntegerField(_("betalingen"))
    households = models.PositiveIntegerField(_("huishoudens"))
    computed_at = models.DateTimeField(_("berekend op"))

    class Meta:
        verbose_name = _("besteding per maand")
        verbose_name_plural = _("bestedingen per maand")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "regime"], name="payment_month_total_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="payment_month_total_first"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.month:%Y-%m} {self.regime or 'totaal'}"


class PaymentColumnMapping(models.Model):
    """Per municipality: the header name of each column of the payments format in the export of
    its benefits administration (``budget/payments.py``). Blank means the documented name."""

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    bsn = models.CharField(_("kolom BSN aanvrager"), max_length=60, blank=True)
    regeling = models.CharField(_("kolom regeling"), max_length=60, blank=True)
    maand = models.CharField(_("kolom maand"), max_length=60, blank=True)
    bruto = models.CharField(_("kolom bruto bedrag"), max_length=60, blank=True)
    verrekende_inkomsten = models.CharField(
        _("kolom verrekende inkomsten"), max_length=60, blank=True
    )
    netto = models.CharField(_("kolom netto betaald"), max_length=60, blank=True)
    correctie = models.CharField(_("kolom correctie"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("kolomindeling betalingen")
        verbose_name_plural = _("kolomindelingen betalingen")

    def as_mapping(self) -> dict[str, str]:
        return {column: getattr(self, column) for column in COLUMNS}


class PaymentImport(Job):
    """A payments file's import (a :class:`common.jobs.Job`): every row validated, then all
    applied in one transaction or none; line errors ``[{"line": n, "reason": "..."}]``."""

    upload_fields = ("file",)
    task_name = "budget.payments_import_run"  # sent again when left queued

    status = job_status_field(succeeded=_("Verwerkt"))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("bestand"), upload_to="budget/payments/")
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    mapping = models.JSONField(_("kolomindeling"), default=dict)
    accepted_rows = models.PositiveIntegerField(_("verwerkte regels"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("ongewijzigde regels"), default=0)
    corrected_rows = models.PositiveIntegerField(_("gecorrigeerde regels"), default=0)
    rejected_rows = models.PositiveIntegerField(_("afgekeurde regels"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("betalingenimport")
        verbose_name_plural = _("betalingenimports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "checksum"],
                condition=Q(status__in=["queued", "running", "succeeded"]),
                name="payment_import_checksum_once",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")) | Q(progress_total=0),
                name="payment_import_progress_bounded",
            ),
        ]


class PaymentRecord(models.Model):
    """What an import delivered for one benefit and month (the history behind
    ``caseload.BenefitPayment``, which holds the current amounts): gross, income set off, net, and
    for a correction the amounts it replaced. No BSN: the benefit is named by its id."""

    payment_import = models.ForeignKey(
        PaymentImport, on_delete=models.CASCADE, related_name="records"
    )
    line_number = models.PositiveIntegerField(_("regelnummer"))
    benefit_id = models.BigIntegerField(_("uitkering"))
    regime = models.CharField(_("regeling"), max_length=20, choices=Regime.choices)
    month = models.DateField(_("maand"))
    gross = models.DecimalField(_("bruto"), max_digits=9, decimal_places=2)
    income_offset = models.DecimalField(_("verrekende inkomsten"), max_digits=9, decimal_places=2)
    net = models.DecimalField(_("netto betaald"), max_digits=9, decimal_places=2)
    is_correction = models.BooleanField(_("correctie"), default=False)
    replaced_net = models.DecimalField(
        _("vervangen netto"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    replaced_income_offset = models.DecimalField(
        _("vervangen verrekende inkomsten"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("betalingsregel")
        verbose_name_plural = _("betalingsregels")
        indexes = [models.Index(fields=["benefit_id", "month"])]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="payment_record_month_first"),
        ]


class ReconciliationSignoff(models.Model):
    """The controller's sign-off of one month and regime of the reconciliation between the
    payments feed and the ledger: the difference accepted, with a note. When the difference
    changes afterwards, the row asks for a new review."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("maand"))
    regime = models.CharField(_("regeling"), max_length=20, choices=Regime.choices)
    difference = models.DecimalField(_("geaccepteerd verschil"), max_digits=14, decimal_places=2)
    note = models.TextField(_("toelichting"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("afgetekend op"))

    class Meta:
        verbose_name = _("aftekening aansluiting")
        verbose_name_plural = _("aftekeningen aansluiting")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "regime"], name="reconciliation_signoff_once"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="reconciliation_month_first"),
        ]
