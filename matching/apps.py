from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Profielen en matching")

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register
        from common.personal_data import personal_data_register
        from common.timeline import timeline_provider_register

        from . import indicators  # noqa: F401 - registers the matching indicators
        from .personal_data import matching_anonymise, matching_sections
        from .timeline import matching_timeline_entries

        timeline_provider_register(matching_timeline_entries)
        personal_data_register(
            app_label=self.label, anonymise=matching_anonymise, sections=matching_sections
        )
        nav_register(
            label=_("Plaatsingen"),
            url_name="matching:placements",
            roles=[Role.ACCOUNT_MANAGER],
            order=17,
        )
        nav_register(
            label=_("Profielen onvolledig"),
            url_name="matching:incomplete",
            roles=[Role.CONSULENT, Role.TEAMLEIDER],
            order=12,
        )
