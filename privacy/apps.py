from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from caseload.models import Role
        from caseload.selectors import resident_access_hooks_register
        from common.navigation import nav_register
        from common.timeline import timeline_provider_register

        from . import access, checks  # noqa: F401 (registers the system checks)
        from .admin_logging import log_admin_views
        from .timeline import retention_timeline_entries

        resident_access_hooks_register(
            outside_scope=access.outside_scope, accessed=access.resident_accessed
        )
        nav_register(
            label=_("Verwerkingenlog"),
            url_name="privacy:log_search",
            roles=[Role.PRIVACY],
            order=80,
        )
        nav_register(
            label=_("Doorbraken"),
            url_name="privacy:break_glass_review",
            roles=[Role.TEAMLEIDER, Role.PRIVACY],
            order=81,
        )
        nav_register(
            label=_("Toegang medewerkers goedkeuren"),
            url_name="privacy:access_approvals",
            roles=[Role.PRIVACY],
            order=83,
        )
        timeline_provider_register(retention_timeline_entries)
        log_admin_views()
        from caseload.services import close_listener_register

        from .closes import close_logged

        close_listener_register(close_logged)  # issue 16, point 12: who closed a record
        from caseload.services import correction_listener_register

        from .corrections import correction_logged

        correction_listener_register(correction_logged)  # issue 14: corrections are logged
        from caseload.services import bulk_write_listener_register

        from .bulk_writes import bulk_write_logged

        bulk_write_listener_register(bulk_write_logged)  # issue 15: the payments import
        # the nightly retention run is scheduled with every other job in config/schedule.py
