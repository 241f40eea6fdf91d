from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from common.navigation import nav_register
        from common.personal_data import personal_data_register

        from .models import Role
        from .personal_data import caseload_anonymise, caseload_sections

        personal_data_register(
            app_label=self.label, anonymise=caseload_anonymise, sections=caseload_sections
        )
        from common.timeline import timeline_provider_register

        from .selectors import correction_timeline_entries

        timeline_provider_register(correction_timeline_entries)  # issue 14: corrections

        nav_register(
            label=_("Mijn caseload"),
            url_name="caseload:worklist",
            roles=[Role.CONSULENT, Role.TEAMLEIDER],
            order=10,
        )
