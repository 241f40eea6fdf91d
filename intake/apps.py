from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Brede intake")

    def ready(self) -> None:
        from common.personal_data import personal_data_register
        from common.timeline import timeline_provider_register

        from .personal_data import intake_anonymise, intake_sections
        from .selectors import intake_timeline_entries

        timeline_provider_register(intake_timeline_entries)
        from .corrections import register as corrections_register

        corrections_register()  # issue 14: plan actions can be corrected and withdrawn
        personal_data_register(
            app_label=self.label, anonymise=intake_anonymise, sections=intake_sections
        )
