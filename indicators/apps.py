from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicatoren")

    def ready(self) -> None:
        from caseload.models import Role
        from caseload.services import case_change_listener_register
        from common.navigation import nav_register

        from . import definitions  # noqa: F401 - registers the preloaded indicators
        from .tasks import case_changed

        case_change_listener_register(case_changed)
        nav_register(
            label=_("Indicatoren"),
            url_name="indicators:overview",
            roles=[Role.MANAGER, Role.TEAMLEIDER, Role.BEHEER, Role.FINANCE],
            order=40,
        )
