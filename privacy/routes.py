"""The part of the system a processing record was made in, in words a privacy officer and a
resident (in a subject access export) can read.

A record stores its ``route``: the URL name of the page or API operation (``caseload:dossier``,
``caseload-api:resident-detail``, ``admin:caseload_resident_change``) or the name of the task.
:func:`route_label` turns it into Dutch: a page by its own label, an API operation by its
resource and operation, an admin page by its model and operation. A route without a label
(a page added later) is shown as stored, never hidden; ``tests/privacy/test_routes.py`` fails
for a page that writes records without one.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PAGES = {
    # caseload: the consulent's workspace
    "caseload:worklist": gettext_lazy("Werkvoorraad"),
    "caseload:worklist_export": gettext_lazy("Werkvoorraad, export"),
    "caseload:dossier": gettext_lazy("Dossier van de inwoner"),
    "caseload:trajectory_start": gettext_lazy("Traject starten"),
    "caseload:trajectory_close": gettext_lazy("Traject afsluiten"),
    "caseload:outflow_record": gettext_lazy("Uitstroom vastleggen"),
    "caseload:contact_record": gettext_lazy("Contactmoment vastleggen"),
    "caseload:ladder_record": gettext_lazy("Participatieladder vastleggen"),
    "caseload:group_change": gettext_lazy("Doelgroep wijzigen"),
    "caseload:ww_prevention": gettext_lazy("WW-preventie vastleggen"),
    "caseload:reassign": gettext_lazy("Andere consulent toewijzen"),
    "caseload:contact_details": gettext_lazy("Contactgegevens wijzigen"),
    "caseload:fact_correct": gettext_lazy("Gegeven corrigeren"),
    "caseload:fact_withdraw": gettext_lazy("Gegeven intrekken"),
    # registers: a new resident, the BRP, applications
    "registers:start": gettext_lazy("Inwoner zoeken in de BRP"),
    "registers:register": gettext_lazy("Inwoner registreren"),
    "registers:application_new": gettext_lazy("Aanvraag vastleggen"),
    "registers:application_decide": gettext_lazy("Besluit op aanvraag"),
    # intake and the plan van aanpak
    "intake:intake": gettext_lazy("Brede intake"),
    "intake:step": gettext_lazy("Brede intake, stap"),
    "intake:plan": gettext_lazy("Plan van aanpak"),
    "intake:plan_action_add": gettext_lazy("Plan van aanpak, actie toevoegen"),
    "intake:plan_action_done": gettext_lazy("Plan van aanpak, actie afgerond"),
    "intake:plan_sign": gettext_lazy("Plan van aanpak ondertekenen"),
    "intake:plan_print": gettext_lazy("Plan van aanpak, afdrukken"),
    "intake:plan_pdf": gettext_lazy("Plan van aanpak, pdf"),
    "intake:summary": gettext_lazy("Samenvatting van de intake"),
    # indicators: the residents behind a figure
    "indicators:residents": gettext_lazy("Inwoners achter een indicator"),
    # matching: profiles, vacancies, proposals
    "matching:profile": gettext_lazy("Werkprofiel"),
    "matching:experience_add": gettext_lazy("Werkprofiel, ervaring toevoegen"),
    "matching:experience_remove": gettext_lazy("Werkprofiel, ervaring verwijderen"),
    "matching:consent_give": gettext_lazy("Toestemming voor bemiddeling geven"),
    "matching:consent_withdraw": gettext_lazy("Toestemming voor bemiddeling intrekken"),
    "matching:resident_vacancies": gettext_lazy("Passende vacatures van de inwoner"),
    "matching:incomplete": gettext_lazy("Onvolledige werkprofielen"),
    "matching:candidates": gettext_lazy("Kandidaten voor een vacature"),
    "matching:propose": gettext_lazy("Kandidaat voordragen"),
    "matching:answer": gettext_lazy("Antwoord van de werkgever"),
    "matching:placement": gettext_lazy("Plaatsing vastleggen"),
    "matching:placements": gettext_lazy("Plaatsingen"),
    # the privacy officer's own pages (their reads are logged too)
    "privacy:break_glass": gettext_lazy("Doorbraak (reden opgeven)"),
    "privacy:break_glass_review": gettext_lazy("Doorbraken beoordelen"),
    "privacy:access_approvals": gettext_lazy("Toegang van medewerkers goedkeuren"),
    "privacy:log_search": gettext_lazy("Verwerkingenlog zoeken"),
    "privacy:log_resident": gettext_lazy("Verwerkingenlog van een inwoner"),
    "privacy:log_resident_export": gettext_lazy("Verwerkingenlog van een inwoner, export"),
    "privacy:log_person": gettext_lazy("Verwerkingenlog van een persoon (BSN)"),
    "privacy:log_user": gettext_lazy("Verwerkingenlog van een medewerker"),
    "privacy:subject_access": gettext_lazy("Inzageverzoek"),
    "privacy:subject_access_export": gettext_lazy("Inzageverzoek, export"),
    # imports through the page for API keys and imports
    "apiauth:import-create": gettext_lazy("Caseload importeren"),
    "apiauth:import-detail": gettext_lazy("Caseload-import, resultaat"),
    # background tasks
    "privacy.retention_anonymise_overdue": gettext_lazy(
        "Bewaartermijn verstreken: gegevens geanonimiseerd (automatisch)"
    ),
}

#: API resources (the router's basename) and what they hold
API_RESOURCES = {
    "resident": gettext_lazy("inwoners"),
    "household": gettext_lazy("huishoudens"),
    "benefit": gettext_lazy("uitkeringen"),
    "application": gettext_lazy("aanvragen"),
    "group-assignment": gettext_lazy("doelgroepen"),
    "trajectory": gettext_lazy("trajecten"),
    "outflow-event": gettext_lazy("uitstroom"),
    "contact-moment": gettext_lazy("contactmomenten"),
    "ladder-score": gettext_lazy("participatieladder"),
    "fraud-investigation": gettext_lazy("handhavingsonderzoeken"),
    "debt-case": gettext_lazy("schuldhulp"),
    "proposal": gettext_lazy("voordrachten"),
    "placement": gettext_lazy("plaatsingen"),
    "vacancy": gettext_lazy("vacatures"),
}

#: the operation at the end of an API route name, longest first
API_OPERATIONS = (
    ("consent-withdraw", gettext_lazy("toestemming intrekken")),
    ("consents", gettext_lazy("toestemmingen")),
    ("profile", gettext_lazy("werkprofiel")),
    ("vacancies", gettext_lazy("passende vacatures")),
    ("candidates", gettext_lazy("kandidaten")),
    ("withdraw", gettext_lazy("intrekken")),
    ("correct", gettext_lazy("corrigeren")),
    ("decide", gettext_lazy("besluit")),
    ("answer", gettext_lazy("antwoord")),
    ("search", gettext_lazy("zoeken")),
    ("detail", gettext_lazy("één gegeven")),
    ("close", gettext_lazy("afsluiten")),
    ("list", gettext_lazy("lijst")),
)

ADMIN_OPERATIONS = {
    "changelist": gettext_lazy("overzicht"),
    "add": gettext_lazy("toevoegen"),
    "change": gettext_lazy("wijzigen"),
    "delete": gettext_lazy("verwijderen"),
    "history": gettext_lazy("geschiedenis"),
}


def _api_label(name: str) -> str | None:
    for suffix, operation in API_OPERATIONS:
        if name.endswith(f"-{suffix}"):
            resource = API_RESOURCES.get(name[: -len(suffix) - 1])
            if resource is not None:
                return _("Koppeling (API): %(resource)s, %(operation)s") % {
                    "resource": resource,
                    "operation": operation,
                }
    return None


def _admin_label(name: str) -> str | None:
    for suffix, operation in ADMIN_OPERATIONS.items():
        if not name.endswith(f"_{suffix}"):
            continue
        for model in apps.get_models():
            meta = model._meta
            if name == f"{meta.app_label}_{meta.model_name}_{suffix}":
                return _("Beheerscherm: %(model)s, %(operation)s") % {
                    "model": meta.verbose_name,
                    "operation": operation,
                }
    return None


def route_label(route: str) -> str:
    """``route`` in Dutch words; the stored value itself when it has none (never empty for a
    route that was stored)."""
    if not route:
        return ""
    if route in PAGES:
        return str(PAGES[route])
    namespace, _sep, name = route.rpartition(":")
    label = None
    if namespace.endswith("-api"):
        label = _api_label(name)
    elif namespace == "admin":
        label = _admin_label(name)
    return label or route
