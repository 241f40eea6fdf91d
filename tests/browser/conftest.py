import os
import pathlib

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs/screenshots"


def save_screenshot(page, name: str) -> None:
    """Write ``docs/screenshots/<name>`` only when asked (``make screenshots`` sets
    ``SCREENSHOTS=1``): an ordinary test run leaves the work tree clean (issue 16, point 11)."""
    if os.environ.get("SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium (Playwright)")


@pytest.fixture
def page(transactional_db):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium missing: run `make browser` (installs Debian's chromium)")
    # Playwright's sync API runs an event loop; Django must allow sync DB use from tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15000)
        # every Content-Security-Policy violation (inline script/style, foreign origin) fails
        csp_violations: list[str] = []
        pg.on(
            "console",
            lambda m: (
                csp_violations.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        try:
            yield pg
            assert csp_violations == [], csp_violations
        finally:
            context.close()
            browser.close()
            # While Playwright's event loop runs in this thread, Django's connection handler
            # (asgiref's Local) takes it for an async one and gives the test's queries a
            # connection of their own. Closed here, while it is still the one in view: left
            # open, it outlived the test database ("Error dropping the test database ...
            # being accessed by other users" at the end of every run with a browser test).
            connections.close_all()


def axe_violations(page) -> list:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # loaded from our own origin: the Content-Security-Policy forbids inline scripts
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa']})"
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
