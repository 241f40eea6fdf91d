"""Template helpers for field grants.

A permission in a template is Django's ``perms`` (context processor
``django.contrib.auth.context_processors.auth``, answered by ``user.has_perm``):
``{% if perms.caseload.reassign_resident %}``. ``{% for e in timeline|visible_entries:user %}``
drops timeline entries whose kind needs a field grant the user lacks, per
``settings.TIMELINE_KIND_PERMISSIONS``.
"""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


def entries_visible_to(entries, user) -> list:
    needs = settings.TIMELINE_KIND_PERMISSIONS
    return [e for e in entries if e.kind not in needs or user.has_perm(needs[e.kind])]


@register.filter
def visible_entries(entries, user) -> list:
    return entries_visible_to(entries, user)
