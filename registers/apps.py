from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """Base registers the caseload consults (the BRP) and the new-application flow built on them."""

    name = "registers"
    verbose_name = "Registers"

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register
        from common.timeline import timeline_provider_register

        from .selectors import application_decisions

        nav_register(
            label=_("Nieuwe aanvraag"),
            url_name="registers:start",
            roles=[Role.CONSULENT, Role.TEAMLEIDER],
            order=11,
        )
        # the decision on an application, on the dossier's timeline on the day it was taken
        timeline_provider_register(application_decisions)
