import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# the Chromium ``page`` fixture of the browser tests (used by test_browser_csp.py)
from tests.browser.conftest import page  # noqa: F401

# --- shared by the generated route matrix (test_route_matrix.py) ------------------------------


@dataclass(frozen=True)
class Route:
    """One named URL pattern: its full name (``ns:name``), the full pattern text and the names
    of its path arguments."""

    name: str
    pattern: str
    args: tuple[str, ...]
    callback: object

    @property
    def is_drf(self) -> bool:
        """A REST framework view (documented in the OpenAPI schema, not a page)."""
        return hasattr(self.callback, "cls") and hasattr(self.callback.cls, "permission_classes")


def url_routes(*, unnamed: bool = False) -> list[Route]:
    """Every named URL pattern of the project, the admin included (unnamed patterns, such as
    the admin's catch-all redirects, have no name to put in a table and are skipped; with
    ``unnamed`` they are listed too, named ``""`` or ``<namespace>:``). The one walker of the
    URLconf for the tests."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and (entry.name or unnamed):
                text = prefix + str(entry.pattern)
                # path() arguments (<int:pk>) and regex groups ((?P<pk>...)) alike
                found = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", text)
                args = tuple(a or b for a, b in found)
                name = f"{namespace}:{entry.name or ''}" if namespace else (entry.name or "")
                yield Route(name, text, args, entry.callback)

    return sorted(walk(get_resolver().url_patterns), key=lambda r: r.name)
