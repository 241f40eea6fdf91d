from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatlineConfig(AppConfig):
    name = "statline"
    verbose_name = _("Landelijke reeksen (CBS StatLine)")

    def ready(self) -> None:
        from . import indicators  # noqa: F401 - registers the indicator on the national series
