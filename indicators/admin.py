"""Admin for functioneel beheer: targets and manual values (saved through the services);
computed values are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from . import services
from .models import IndicatorValue, ManualValue, Target
from .registry import indicator_all


def _code_choices(*, manual_only: bool = False) -> list[tuple[str, str]]:
    return [
        (d.code, f"{d.label} ({d.code})") for d in indicator_all() if d.manual or not manual_only
    ]


class TargetForm(forms.ModelForm):
    code = forms.ChoiceField(label="Indicator", choices=_code_choices)

    class Meta:
        model = Target
        fields = ["municipality", "year", "code", "baseline", "target", "note"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetForm
    list_display = ["code", "year", "municipality", "baseline", "target", "updated_at"]
    list_filter = ["year", "municipality", "code"]

    def save_model(self, request, obj, form, change):
        saved = services.target_set(
            municipality_id=obj.municipality_id,
            year=obj.year,
            code=obj.code,
            baseline=obj.baseline,
            target=obj.target,
            note=obj.note,
            by=request.user,
        )
        obj.pk = saved.pk


class ManualValueForm(forms.ModelForm):
    code = forms.ChoiceField(label="Indicator", choices=lambda: _code_choices(manual_only=True))
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)

    class Meta:
        model = ManualValue
        fields = ["municipality", "code", "year", "value", "source", "source_date"]


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    form = ManualValueForm
    list_display = ["code", "period_start", "municipality", "value", "source", "source_date"]
    list_filter = ["code", "municipality"]

    def save_model(self, request, obj, form, change):
        saved = services.manual_value_set(
            municipality_id=obj.municipality_id,
            code=obj.code,
            year=form.cleaned_data["year"],
            value=obj.value,
            source=obj.source,
            source_date=obj.source_date,
            by=request.user,
        )
        obj.pk = saved.pk


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "period_kind",
        "period_start",
        "dimension",
        "dimension_value",
        "value",
        "numerator",
        "denominator",
        "computed_at",
    ]
    list_filter = ["code", "period_kind", "dimension"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
