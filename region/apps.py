from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "region"
    verbose_name = _("Regio")

    def ready(self) -> None:
        from caseload.models import Role
        from common.navigation import nav_register

        nav_register(
            label=_("Regio"), url_name="region:overview", roles=[Role.REGION, Role.BEHEER], order=45
        )
        nav_register(
            label=_("Vergelijking gemeenten"),
            url_name="region:comparison",
            roles=[Role.REGION, Role.MANAGER, Role.BEHEER],
            order=46,
        )
        nav_register(
            label=_("BUIG regio"),
            url_name="region:budget",
            # the holders of region.view_budget (ROLE_PERMISSIONS), which the view checks
            roles=[Role.REGION, Role.FINANCE, Role.BEHEER],
            order=47,
        )
