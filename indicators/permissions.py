"""Permission codenames of the indicators (see caseload/permissions.py for the pattern)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class IndicatorPermission(TextChoices):
    VIEW_DASHBOARDS = "indicators.view_dashboards", _("Dashboards (geaggregeerd) bekijken")
    VIEW_RESIDENTS = "indicators.view_residents", _("Inwoners achter een cijfer bekijken")
    EDIT_TARGETS = "indicators.edit_targets", _("Streefwaarden beheren")
