"""Admin: functioneel beheer edits the group proposal rules; intakes and plans are read-only
(they change only through the services, so every change keeps its audit trail and invariants)."""

from django.contrib import admin

from .models import CapacityAssessment, GroupProposalRule, Intake, PlanAction, PlanVanAanpak


@admin.register(GroupProposalRule)
class GroupProposalRuleAdmin(admin.ModelAdmin):
    list_display = [
        "priority",
        "municipality",
        "group",
        "min_work_score",
        "max_work_score",
        "min_lowest_score",
        "max_barriers",
        "reason",
        "is_active",
    ]
    list_display_links = ["priority", "reason"]
    list_filter = ["municipality", "group", "is_active"]
    ordering = ["municipality", "priority"]
    fieldsets = [
        (None, {"fields": ["municipality", "priority", "group", "reason", "is_active"]}),
        (
            "Voorwaarden (leeg = geen voorwaarde; alle ingevulde voorwaarden moeten gelden)",
            {"fields": ["min_work_score", "max_work_score", "min_lowest_score", "max_barriers"]},
        ),
    ]


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CapacityAssessmentInline(ReadOnlyMixin, admin.TabularInline):
    model = CapacityAssessment
    fields = ["capacity", "score", "notes"]
    readonly_fields = fields
    extra = 0


@admin.register(Intake)
class IntakeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "resident",
        "status",
        "current_step",
        "started_at",
        "completed_at",
        "proposed_group",
        "confirmed_group",
    ]
    list_filter = ["status", "confirmed_group"]
    list_select_related = ["resident"]
    raw_id_fields = ["resident"]
    inlines = [CapacityAssessmentInline]
    date_hierarchy = "started_at"


class PlanActionInline(ReadOnlyMixin, admin.TabularInline):
    model = PlanAction
    fields = ["description", "due_on", "owner", "done_on"]
    readonly_fields = fields
    extra = 0


@admin.register(PlanVanAanpak)
class PlanVanAanpakAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "resident", "created_at", "expected_outflow", "expected_saving"]
    list_select_related = ["resident"]
    inlines = [PlanActionInline]
