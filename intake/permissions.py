"""Permission codenames of the broad intake (see caseload/permissions.py for the pattern)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class IntakePermission(TextChoices):
    #: field grant: physical and mental capacity notes and the health barrier notes
    VIEW_HEALTH = "intake.view_health", _("Gezondheid en fysiek/mentaal vermogen inzien")
