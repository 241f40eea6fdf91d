"""Admin for functioneel beheer: the vangnet rule table and the SiSa labels are editable;
imports, receipts, corrections and reports are read-only (they are written by the services)."""

from __future__ import annotations

from django.contrib import admin

from .models import BuigReport, JournalCorrection, LedgerImport, Receipt, SisaLabel, VangnetRule


@admin.register(VangnetRule)
class VangnetRuleAdmin(admin.ModelAdmin):
    list_display = [
        "year_from",
        "year_to",
        "entry_threshold",
        "multi_year_kind",
        "multi_year_threshold",
        "band_lower",
        "band_upper",
        "band_rate",
        "above_rate",
    ]


@admin.register(SisaLabel)
class SisaLabelAdmin(admin.ModelAdmin):
    """Functioneel beheer sets the SiSa indicator code and wording per regime, kind and range of
    years, from the SiSa annex of each year (a new year with other codes: end the old row with
    "tot en met jaar" and add a row from the new year)."""

    list_display = ["regime", "kind", "year_from", "year_to", "code", "label"]
    list_filter = ["regime", "kind"]
    fields = ["regime", "kind", "year_from", "year_to", "code", "label"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "municipality", "status", "accepted_rows", "created_at"]
    exclude = ["errors"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["reference", "regime", "month", "kind", "amount"]
    list_filter = ["regime", "kind"]


@admin.register(JournalCorrection)
class JournalCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["regime", "month", "kind", "amount", "author", "created_at"]


@admin.register(BuigReport)
class BuigReportAdmin(ReadOnlyAdmin):
    list_display = ["year", "municipality", "status", "created_by", "created_at", "xlsx_sha256"]
