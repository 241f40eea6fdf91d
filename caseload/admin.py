"""Admin for functioneel beheer: configuration is editable, personal data is read-mostly."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    District,
    Instrument,
    Municipality,
    MunicipalityYear,
    Resident,
    Team,
    User,
)


class MunicipalityYearInline(admin.TabularInline):
    model = MunicipalityYear
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    inlines = [MunicipalityYearInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind", "municipality"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Rol en team", {"fields": ("role", "team")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Rol en team", {"fields": ("role", "team")}))


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "category",
        "srg_type",
        "is_working_with_support",
        "is_participation",
        "default_cost",
        "is_active",
    ]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Read-only: personal data is changed through the workspace, where it is validated and
    logged. The BSN is not shown in the list and not searchable here."""

    list_display = ["__str__", "team", "consulent", "is_fake"]
    list_filter = ["team", "is_fake", "is_status_holder"]
    list_select_related = ["team", "consulent"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
