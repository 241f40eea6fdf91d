from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiauthConfig(AppConfig):
    name = "apiauth"
    verbose_name = _("API-toegang en import")

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register

        from . import schema  # noqa: F401 - registers the OpenAPI auth extension

        nav_register(
            label=_("API-sleutels"),
            url_name="apiauth:token-list",
            roles=[Role.BEHEER],
            order=900,
        )
        nav_register(
            label=_("API-sleutels goedkeuren"),
            url_name="apiauth:token-approvals",
            roles=[Role.PRIVACY],
            order=82,
        )
        nav_register(
            label=_("Caseload importeren"),
            url_name="apiauth:import-create",
            roles=[Role.BEHEER],
            order=910,
        )
