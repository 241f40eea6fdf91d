"""Template helpers for permissions and field grants.

``{% if user|has_permission:"caseload.reassign_resident" %}`` and
``{% for e in timeline|visible_entries:user %}`` (drops timeline entries whose kind needs a
field grant the user lacks, per ``settings.TIMELINE_KIND_PERMISSIONS``).
"""

from __future__ import annotations

from django import template
from django.conf import settings

from common.permissions import user_has_permission

register = template.Library()


@register.filter
def has_permission(user, perm: str) -> bool:
    return user_has_permission(user, perm)


def entries_visible_to(entries, user) -> list:
    needs = settings.TIMELINE_KIND_PERMISSIONS
    return [e for e in entries if e.kind not in needs or user_has_permission(user, needs[e.kind])]


@register.filter
def visible_entries(entries, user) -> list:
    return entries_visible_to(entries, user)
