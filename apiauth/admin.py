from django.contrib import admin

from .models import ApiToken, ImportJob, ServiceAccount


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "description", "created_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: keys are issued and revoked on the beheer page and approved by the privacy
    officer on theirs; editing scopes, account or approval here would bypass the four eyes."""

    list_display = [
        "name",
        "prefix",
        "user",
        "municipality",
        "approval",
        "approved_by",
        "created_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["approval", "revoked_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "municipality", "status", "created_by", "created_at"]
    exclude = ["content"]
    readonly_fields = ["summary", "errors"]
