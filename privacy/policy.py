"""Privacy rules with no writes: who may break the glass, for how long, and how long a closed
dossier is kept. Read by the services (grant, retention), the selectors (destruction date),
the access hooks and the views; imports only the models."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .models import BreakGlassGrant

BREAK_GLASS_ROLES = ("consulent", "teamleider")
BREAK_GLASS_MIN_REASON = 20


def break_glass_minutes() -> int:
    return settings.PRIVACY_BREAK_GLASS_MINUTES


def retention_years() -> int:
    return settings.PRIVACY_RETENTION_YEARS


def may_break_glass(user) -> bool:
    """Whether the user's role may ever ask for a break-the-glass grant: the team roles (with a
    team). Aggregate-only roles, the privacy officer and superusers never."""
    if not getattr(user, "is_authenticated", False) or not user.access_granted:
        return False  # inactive, or new access waiting for the privacy officer
    return user.role in BREAK_GLASS_ROLES and user.team_id is not None


def break_glass_allowed(*, user, resident) -> bool:
    """Team roles only, within their own municipality; aggregate-only roles never."""
    if not may_break_glass(user):
        return False
    if resident.team_id == user.team_id:
        return False
    return resident.municipality_id == user.team.municipality_id


def current_grant(*, user, resident_id: int) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(
            user=user, resident_id=resident_id, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )
