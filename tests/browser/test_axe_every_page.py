"""axe-core on every HTML page of every staff role, and on the error state of every form
(issue 14, acceptance: 0 WCAG 2.1 A/AA violations on every page and error state).

The pages are found, not listed: every named, non-API, non-admin URL pattern of the project
(``tests.security.conftest.url_routes``), its path arguments filled from the route matrix's world
(one resident with everything in the role's own team, the municipality's imports, reports and
vacancies). What a role may open (status 200, HTML) is then opened in Chromium as that role and
checked with axe (htmx fragments, such as an import's status row, are checked inside the
page that holds them). Then each page's forms that take input are sent empty: the page that comes
back (the form with its messages, mostly a 422) is checked too. Violations are collected over
all pages, so one run names every page that fails."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.browser.conftest import axe_violations
from tests.security.conftest import url_routes
from tests.security.test_route_matrix import MISSING, _build_world, _page_kwargs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "geheim-wachtwoord-123"
ROLES = ("consulent", "teamleider", "manager", "financien", "beheer", "privacy", "anonymous")
# not pages of the staff roles' work: the admin (Django's own templates) and the API (JSON,
# the browsable API), the log-out (POST only) and the login steps (checked anonymously)
SKIP_PREFIXES = ("admin:", "api", "apiauth:schema", "apiauth:docs")
SKIP = {"logout"}


def _html_pages(world, identity: str) -> list[str]:
    """The URLs of every HTML page ``identity`` may open (GET 200, text/html)."""
    client = world.clients[identity]
    urls = []
    for route in url_routes():
        if route.is_drf or route.name.startswith(SKIP_PREFIXES) or route.name in SKIP:
            continue
        try:
            kwargs = _page_kwargs(world, route, "own")
        except AssertionError:
            continue  # a path argument the world has no value for
        if MISSING in kwargs.values():
            continue
        # every step of the intake the world's draft has reached (later ones redirect)
        variants = [{**kwargs, "step": n} for n in range(1, 9)] if "step" in kwargs else [kwargs]
        for values in variants:
            url = reverse(route.name, kwargs=values)
            response = client.get(url)
            if (
                response.status_code == 200
                and response["Content-Type"].startswith("text/html")
                # a page, not an htmx fragment (an import's status row is checked in its page)
                and b"<html" in response.content[:500]
            ):
                urls.append(url)
    return urls


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


# Sends the index-th POST form of <main> that has a field to type in, with every typed field
# emptied and the browser's own checks off (the server's messages are what is checked).
EMPTY_SUBMIT = """(index) => {
  const forms = [...document.querySelectorAll('main form')].filter(f =>
    (f.getAttribute('method') || '').toLowerCase() === 'post' &&
    f.querySelector('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea'));
  const form = forms[index];
  if (!form) return false;
  form.noValidate = true;
  form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea')
    .forEach(el => { el.removeAttribute('required'); el.value = ''; });
  const button = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
  if (button) { button.click(); } else { form.submit(); }
  return true;
}"""
COUNT_FORMS = """() => [...document.querySelectorAll('main form')].filter(f =>
  (f.getAttribute('method') || '').toLowerCase() === 'post' &&
  f.querySelector('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea')).length"""


#: ids that occur more than once on the page (WCAG 2.1, 4.1.1; axe no longer checks it): a label,
#: an error summary's link or aria-describedby would point at the first of them (the walk of
#: 3 December found each row's sign-off form on the reconciliation page as ``field-note``)
DUPLICATE_IDS = """() => { const n = {};
  for (const e of document.querySelectorAll('[id]')) n[e.id] = (n[e.id] || 0) + 1;
  return Object.keys(n).filter(k => n[k] > 1); }"""


def _check(page, where: str, found: dict) -> None:
    violations = axe_violations(page)
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        violations.append({"id": "duplicate-id", "nodes": duplicates[:5]})
    if violations:
        found[where] = violations


@pytest.mark.parametrize("identity", ROLES)
def test_every_page_and_form_error_state_of_a_role_is_axe_clean(
    page, live_server, identity, tmp_path
):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        world = _build_world(tmp_path)
        urls = _html_pages(world, identity)
        assert len(urls) >= (2 if identity == "anonymous" else 3), urls
        base = live_server.url
        if identity != "anonymous":  # anonymous: the login and password-reset pages
            _login(page, base, world.users[identity].username)
        found: dict = {}
        with_forms = []
        for url in urls:
            response = page.goto(f"{base}{url}")
            assert response.status == 200, url
            _check(page, url, found)
            if page.evaluate(COUNT_FORMS):
                with_forms.append((url, page.evaluate(COUNT_FORMS)))
        # the error state of every form: sent empty, the page that comes back
        states = 0
        for url, count in with_forms:
            for index in range(count):
                page.goto(f"{base}{url}")
                with page.expect_navigation():
                    if not page.evaluate(EMPTY_SUBMIT, index):
                        break
                if page.url.startswith(base) and "html" in (
                    page.evaluate("document.contentType") or ""
                ):
                    states += 1
                    _check(page, f"{url} (form {index + 1} sent empty)", found)
        print(f"{identity}: {len(urls)} pages, {states} form error states", urls)
        assert found == {}, found
        assert states, with_forms  # every role has a form to send (the password reset at least)
