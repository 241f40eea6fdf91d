from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Profielen en matching")

    def ready(self) -> None:
        from caseload.models import Role
        from caseload.services import case_change_listener_register
        from common.navigation import nav_register
        from common.personal_data import personal_data_register
        from common.rls import rls_protect
        from common.timeline import timeline_provider_register

        from . import indicators  # noqa: F401 - registers the matching indicators
        from .personal_data import matching_anonymise, matching_sections
        from .tasks import case_changed
        from .timeline import matching_timeline_entries

        # derived tables with residents' facts: isolated per municipality like their sources
        rls_protect("matching.CandidateFacts", path="municipality")
        rls_protect("matching.StoredMatch", path="municipality")
        # a case change (group, benefit, intake, address) refreshes the municipality's facts
        case_change_listener_register(case_changed)

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
