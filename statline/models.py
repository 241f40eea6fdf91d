"""National series published by CBS StatLine, imported as published (issue 17).

A series is one measure of one StatLine table for one selection of its dimensions (e.g. table
85585NED, "Personen met bijstand (aantal)", every dimension at its total), with where it comes
from: the table, its page, the licence and the date the snapshot was taken. Its values are one
figure per period, exactly as CBS published them. No personal data: these are national totals.
Written only by ``statline.services.series_import`` (whole file or nothing).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class NationalSeries(models.Model):
    code = models.CharField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("Vaste code waarmee een indicator de reeks leest."),
    )
    table_id = models.CharField(_("CBS-tabel"), max_length=20)
    title = models.CharField(_("titel van de tabel"), max_length=200)
    measure = models.CharField(_("onderwerp"), max_length=200)
    selection = models.JSONField(_("selectie"), default=dict)
    description = models.TextField(_("wat de cijfers zijn"))
    publisher = models.CharField(_("uitgever"), max_length=200)
    url = models.URLField(_("bron (pagina)"))
    licence = models.CharField(_("licentie"), max_length=100)
    retrieved_on = models.DateField(_("datum van de momentopname"))
    source_file = models.CharField(_("bestand"), max_length=200)
    imported_at = models.DateTimeField(_("ingelezen op"))

    class Meta:
        verbose_name = _("landelijke reeks")
        verbose_name_plural = _("landelijke reeksen")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(table_id=""), name="statline_series_table"),
            models.CheckConstraint(condition=~Q(licence=""), name="statline_series_licence"),
        ]

    def __str__(self) -> str:
        return f"{self.table_id} {self.measure}"


class NationalSeriesValue(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month", _("maand")
        QUARTER = "quarter", _("kwartaal")
        YEAR = "year", _("jaar")

    series = models.ForeignKey(
        NationalSeries, on_delete=models.CASCADE, related_name="values", verbose_name=_("reeks")
    )
    period_code = models.CharField(_("periode (CBS-code)"), max_length=8)
    period_kind = models.CharField(_("soort periode"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("begin periode"))
    period_end = models.DateField(_("einde periode"))
    value = models.DecimalField(_("waarde"), max_digits=18, decimal_places=4)
    provisional = models.BooleanField(
        _("voorlopig"), default=False, help_text=_("CBS markeerde het cijfer als voorlopig (*).")
    )

    class Meta:
        verbose_name = _("waarde van een landelijke reeks")
        verbose_name_plural = _("waarden van landelijke reeksen")
        ordering = ["series", "period_start", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_kind", "period_start"], name="statline_value_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="statline_value_period"
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=["month", "quarter", "year"]),
                name="statline_value_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period_code}"
