from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Brede intake")

    def ready(self) -> None:
        from common.timeline import timeline_provider_register

        from .selectors import intake_timeline_entries

        timeline_provider_register(intake_timeline_entries)
