"""Main-menu entries, registered by each app in ``AppConfig.ready`` so no app edits another's
templates. The menu shows an entry only to the roles it names (superusers see all)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100


_items: dict[str, NavItem] = {}


def nav_register(*, label: str, url_name: str, roles: list[str], order: int = 100) -> None:
    """Register a menu entry; registering the same URL name twice is a configuration error."""
    if url_name in _items and _items[url_name].label != label:
        raise ValueError(f"menu entry {url_name!r} registered twice")
    _items[url_name] = NavItem(label=label, url_name=url_name, roles=frozenset(roles), order=order)


def nav_for(user, path: str | None = None) -> list[dict[str, str | bool]]:
    """The menu entries ``user`` may see, in order. With ``path`` (the request's), the entry
    whose URL is the longest prefix of it is marked ``current`` (a dossier under the caseload
    marks the caseload entry), so the template can set ``aria-current``."""
    if not getattr(user, "is_authenticated", False):
        return []
    from django.conf import settings

    if settings.TWO_FACTOR_ENFORCED and not getattr(user, "is_verified", lambda: False)():
        return []  # until the second step is done, every menu entry would only redirect
    if not (user.is_superuser or user.access_granted):
        return []  # no role permission until the privacy officer approves the access
    items = sorted(_items.values(), key=lambda i: (i.order, str(i.label)))
    entries: list[dict[str, str | bool]] = [
        {"label": str(item.label), "url": reverse(item.url_name), "url_name": item.url_name}
        for item in items
        if user.is_superuser or getattr(user, "role", None) in item.roles
    ]
    if path:
        matching = [e for e in entries if path.startswith(str(e["url"])) and e["url"] != "/"]
        if matching:
            longest = max(matching, key=lambda e: len(str(e["url"])))
            for e in entries:
                e["current"] = e is longest
    return entries
