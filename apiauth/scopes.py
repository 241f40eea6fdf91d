"""API scopes: read or write per resource group. A token carries a list of these codes.

The resource group of an API view is its URL namespace without ``-api`` (``caseload-api`` ->
``caseload``) or the view's ``api_scope_group`` attribute. Safe methods need ``<group>:read``,
everything else ``<group>:write`` unless the view lists the action in ``api_read_actions``
(e.g. the BSN search, which is a POST but only reads) or sets ``api_read_only = True`` (a view
whose POST only calculates, such as the vangnet simulator).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCOPES: dict[str, str] = {
    "caseload:read": _("Caseload lezen (inwoners, huishoudens, uitkeringen, trajecten, ...)"),
    "caseload:write": _("Caseload schrijven (registreren, indelen, trajecten, uitstroom, ...)"),
    "indicators:read": _("Indicatoren lezen"),
    "budget:read": _("BUIG-budget lezen en de vangnetsimulator gebruiken"),
    "budget:write": _("BUIG-budget schrijven"),
    "employers:read": _("Werkgevers en vacatures lezen"),
    "employers:write": _("Werkgevers en vacatures schrijven"),
    "matching:read": _("Matching lezen (profielen, toestemming, kandidaten, voordrachten)"),
    "matching:write": _("Matching schrijven (profiel, toestemming, voordragen, plaatsen)"),
}

#: scopes that read or write residents' personal data: a key with one of these needs the privacy
#: officer's approval before it authenticates (issue 12, finding 2)
RESIDENT_SCOPES: list[str] = [
    "caseload:read",
    "caseload:write",
    # offers payments files: each line's BSN is resolved to a resident's benefit, and a rejected
    # file says per line whether it has one and what was paid (security review of 3 December,
    # finding 2)
    "budget:write",
    "matching:read",
    "matching:write",
]

#: the permissions of which the key's account needs at least one before the scope gives it
#: anything: a scope never widens the account's role (docs/api.md), so a key with a scope its
#: account cannot use answers 403 on every call of that group. The issuer is told when the key is
#: made (a service account's role is manager; ``SERVICE_ACCOUNT_PERMISSIONS`` adds to it). The
#: caseload scopes need none for a service account (its municipality and the scopes decide); for
#: a person their role decides, as in the browser. Codenames as strings: apiauth imports no app's
#: permission enum (a test checks each is declared).
SCOPE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "indicators:read": ("indicators.view_dashboards",),
    "budget:read": ("budget.view_budget",),
    "budget:write": ("budget.import_ledger",),
    "employers:read": ("employers.view_employers",),
    "employers:write": ("employers.change_employers",),
    "matching:read": (
        "caseload.view_dossier",
        "matching.view_candidates",
        "matching.propose",
        "matching.place",
    ),
    "matching:write": ("caseload.change_dossier", "matching.propose", "matching.place"),
}


def scopes_without_permission(user, scopes) -> list[str]:
    """The scopes of ``scopes`` that give ``user`` nothing: it holds none of their permissions."""
    return [
        scope
        for scope in scopes
        if SCOPE_PERMISSIONS.get(scope)
        and not any(user.has_perm(perm) for perm in SCOPE_PERMISSIONS[scope])
    ]


READ = "read"
WRITE = "write"


def scope_code(group: str, access: str) -> str:
    return f"{group}:{access}"


def needs_approval(scopes) -> bool:
    return bool(set(scopes) & set(RESIDENT_SCOPES))


def validate_scopes(scopes: list[str]) -> list[str]:
    """Return the scopes sorted and de-duplicated; raise ValueError on an unknown scope."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(", ".join(unknown))
    return sorted(set(scopes))
