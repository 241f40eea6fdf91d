from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Werkgevers en vacatures")

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register

        nav_register(
            label=_("Vacatures"),
            url_name="employers:worklist",
            roles=[Role.ACCOUNT_MANAGER],
            order=15,
        )
        nav_register(
            label=_("Werkgevers"),
            url_name="employers:employer_list",
            roles=[Role.ACCOUNT_MANAGER, Role.TEAMLEIDER, Role.BEHEER],
            order=16,
        )
