from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("BUIG-budget")

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register

        nav_register(
            label=_("Budget"),
            url_name="budget:overview",
            roles=[Role.FINANCE, Role.BEHEER],
            order=50,
        )
