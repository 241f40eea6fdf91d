"""Permission codenames of the broad intake (see caseload/permissions.py for the pattern)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class IntakePermission(TextChoices):
    #: field grant: physical and mental capacity notes and the health barrier notes
    VIEW_HEALTH = "intake.view_health", _("Gezondheid en fysiek/mentaal vermogen inzien")


def health_steps() -> frozenset[int]:
    """Intake steps that show health data: physical and mental capacity, and the barriers step
    (health barrier notes). Opening them needs ``IntakePermission.VIEW_HEALTH``."""
    from .models import STEP_BARRIERS, STEP_CAPACITIES, Capacity

    health = {Capacity.PHYSICAL, Capacity.MENTAL}
    return frozenset({s for s, c in STEP_CAPACITIES.items() if c in health} | {STEP_BARRIERS})
