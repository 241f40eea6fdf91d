"""Template helpers of the consulent's pages (worklist, dossier), written for speed: these run
once per row of a page (issue 17, pages under load: the worklist and the dossier were mostly
Python rendering). Each gives exactly what the template expression it replaces gave.

``{{ d|dmy }}`` is ``{{ d|date:"j-n-Y" }}``, ``{{ d|iso_date }}`` is ``{{ d|date:"Y-m-d" }}``
(without Django's general format parser), ``{% resident_url "caseload:dossier" r.pk %}`` is
``{% url "caseload:dossier" r.pk %}`` for a route whose one argument is the resident id (the
pattern reversed once per page, not once per row), and
``{% fact_actions entry resident.pk can_correct %}`` is the "Corrigeren" and "Intrekken" links
of one timeline entry (formerly the include ``caseload/_fact_actions.html``), with the two URL
patterns reversed once per page.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def dmy(value: dt.date | None) -> str:
    """A date as the pages show it: day and month without leading zeros ("3-2-2026"; the year
    in four digits, as Django's ``Y``); "" for no date (so ``|default:`` applies, as after
    ``|date``)."""
    if not isinstance(value, dt.date):
        return ""
    return f"{value.day}-{value.month}-{value.year:04d}"


@register.filter(expects_localtime=True, is_safe=False)
def iso_date(value: dt.date | None) -> str:
    """A date as ``2026-02-03`` (a ``<time datetime>``); "" for no date."""
    if not isinstance(value, dt.date):
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


#: an id that no resident has: a route is reversed once with it and the real id put in its place
_RESIDENT = 918273645


@register.simple_tag(takes_context=True)
def resident_url(context, name: str, resident_id: int) -> str:
    """``reverse(name, args=[resident_id])`` for a route whose only argument is an ``<int:>``
    resident id; the route is reversed once per page render."""
    key = ("caseload_resident_url", name)
    parts = context.render_context.get(key)
    if parts is None:
        parts = reverse(name, args=[_RESIDENT]).split(str(_RESIDENT))
        context.render_context[key] = parts
    return f"{parts[0]}{int(resident_id)}{parts[1]}"


#: a fact type and id that no real fact has: the URL pattern is reversed once with these and
#: the real ones are put in their place (the slug and int converters keep them as written)
_TYPE, _ID = "feittype", 918273645


def _fact_urls(context, resident_id: int) -> tuple[list[str], list[str]]:
    """The correct and withdraw URLs of ``resident_id``'s facts, each split around the fact's
    type and id; once per page render."""
    key = ("caseload_fact_urls", resident_id)
    found = context.render_context.get(key)
    if found is None:
        found = tuple(
            reverse(name, args=[resident_id, _TYPE, _ID]).split(f"{_TYPE}/{_ID}")
            for name in ("caseload:fact_correct", "caseload:fact_withdraw")
        )
        context.render_context[key] = found
    return found


def _links(urls, fact_type, fact_id, hidden: str) -> SafeString:
    (c1, c2), (w1, w2) = urls
    where = f"{fact_type}/{fact_id}"
    return format_html(
        '<span class="app-fact-actions">(<a class="utrecht-link" href="{}">{}'
        '<span class="app-visually-hidden">: {}</span></a> · <a class="utrecht-link" href="{}">{}'
        '<span class="app-visually-hidden">: {}</span></a>)</span>',
        c1 + where + c2,
        _("Corrigeren"),
        hidden,
        w1 + where + w2,
        _("Intrekken"),
        hidden,
    )


@register.simple_tag(takes_context=True)
def fact_actions(context, entry, resident_id: int, can_correct: bool) -> SafeString:
    """Issue 14: "Corrigeren" and "Intrekken" for one timeline entry's recorded fact
    (``entry.extra.fact_type``/``fact_id``) or, for a plan, each of its actions
    (``entry.extra.facts``); no links without ``can_correct`` (``caseload.correct_facts``).
    A plan's actions are listed here only (not again in the entry's detail), so also without
    ``can_correct``."""
    extra = entry.extra
    if not (extra.get("facts") or (can_correct and extra.get("fact_type"))):
        return mark_safe("\n")  # noqa: S308 - a constant
    urls = _fact_urls(context, resident_id) if can_correct else None
    html = ""
    if can_correct and extra.get("fact_type"):
        hidden = format_html("{}, {}", entry.title, dmy(entry.date))
        html += "\n" + _links(urls, extra["fact_type"], extra["fact_id"], hidden)
    if extra.get("facts"):
        if can_correct:
            items = format_html_join(
                "",
                "<li>{} {}</li>",
                (
                    (f["label"], _links(urls, f["fact_type"], f["fact_id"], f["label"]))
                    for f in extra["facts"]
                ),
            )
        else:
            items = format_html_join("", "<li>{}</li>", ((f["label"],) for f in extra["facts"]))
        html += "\n" + format_html('<ul class="app-fact-list">{}</ul>', items)
    return mark_safe(html + "\n")  # noqa: S308 - built by format_html above
