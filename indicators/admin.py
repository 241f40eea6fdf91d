"""Admin for functioneel beheer: targets and manual values (saved through the services);
computed values are read-only, and shown only to who sees small counts exactly."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from . import services
from .models import IndicatorValue, ManualValue, Target
from .registry import indicator_all
from .selectors import has_case_access


def _code_choices(*, manual_only: bool = False) -> list[tuple[str, str]]:
    return [
        (d.code, f"{d.label} ({d.code})") for d in indicator_all() if d.manual or not manual_only
    ]


def _add_problems(form: forms.ModelForm, problems) -> None:
    """The service's refusals as field errors (the walk of 4 December: a target of -1 or 250 %
    answered 500, raised by the service after the form had passed)."""
    for problem in problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


class TargetForm(forms.ModelForm):
    code = forms.ChoiceField(label="Indicator", choices=_code_choices)
    # the bounds of the database constraint, as a Dutch field error (was the raw constraint)
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)

    class Meta:
        model = Target
        fields = ["municipality", "year", "code", "baseline", "target", "note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code"):
            _add_problems(
                self,
                services.target_problems(
                    code=cleaned["code"],
                    baseline=cleaned.get("baseline"),
                    target=cleaned.get("target"),
                ),
            )
        return cleaned


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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code"):
            _add_problems(
                self,
                services.manual_value_problems(
                    code=cleaned["code"],
                    value=cleaned.get("value"),
                    source=cleaned.get("source") or "",
                    source_date=cleaned.get("source_date"),
                ),
            )
        return cleaned


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
        obj.pk, obj.period_start, obj.period_end = saved.pk, saved.period_start, saved.period_end


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
        "changed_at",
    ]
    list_filter = ["code", "period_kind", "dimension"]

    def has_view_permission(self, request, obj=None):
        # the stored rows are exact: small counts that every other channel hides from a role
        # without case access (the dashboards, the export, the API, the region), so the admin
        # shows them only to who may see them exactly (security review of 3 December: the
        # functioneel beheerder read hidden cells here)
        return super().has_view_permission(request, obj) and has_case_access(request.user)

    def history_view(self, request, object_id, extra_context=None):
        # Django looks the row up before it checks the permission (a missing one redirects)
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
