"""Template helpers of the privacy officer's pages."""

from __future__ import annotations

import functools

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: what a processing record's ``object_type`` names, in Dutch (the walk of 3 December read
#: ``resident``, ``resident_list`` and ``trajectory`` on the officer's screen); a model's own
#: name (the API's records: ``trajectory``, ``debtcase``) is its verbose name, and a code not
#: known here is shown as stored
OBJECT_TYPE_LABELS = {
    "resident": _("inwoner"),
    "resident_list": _("lijst van inwoners"),
    "medewerker": _("medewerker"),
    "plan_van_aanpak": _("plan van aanpak"),
    "brp_persoon": _("persoon in de BRP"),
    "processing_log": _("verwerkingenlog"),
    "processing_log_search": _("zoeken in het verwerkingenlog"),
    "matching_profile": _("matchingprofiel"),
    "matching_consent": _("toestemming matching"),
    "matching_vacancies": _("vacatures voor een inwoner"),
    "matching_incomplete": _("onvolledige profielen"),
    "vacancy_candidates": _("kandidaten voor een vacature"),
    "intake": _("brede intake"),
    "break_glass": _("doorbraak"),
    "break_glass_review": _("overzicht doorbraken"),
    "subject_access": _("inzage (AVG)"),
    "resident_import": _("import van inwoners"),
    "proposal": _("voordracht"),
    "placement": _("plaatsing"),
    "placements": _("plaatsingen"),
    "benefitpayment": _("betaling op een uitkering"),
    "indicator_residents": _("inwoners achter een indicator"),
}


@functools.cache
def _model_names() -> dict[str, object]:
    """Every model's name -> its verbose name (lazy), built once rather than per row."""
    return {model._meta.model_name: model._meta.verbose_name for model in apps.get_models()}


@register.filter
def object_type_label(code: str) -> str:
    """The Dutch name of a processing record's ``object_type`` (``correctie:traject`` is
    "correctie van traject")."""
    if code in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[code])
    prefix, _sep, rest = code.partition(":")
    if rest and prefix == "correctie":
        return f"{_('correctie van')} {rest}"
    return str(_model_names().get(code, code))
