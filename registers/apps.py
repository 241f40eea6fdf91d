from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """Base registers the caseload consults (the BRP) and the new-application flow built on them."""

    name = "registers"
    verbose_name = "Registers"

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register

        nav_register(
            label=_("Nieuwe aanvraag"),
            url_name="registers:start",
            roles=[Role.CONSULENT, Role.TEAMLEIDER],
            order=11,
        )
