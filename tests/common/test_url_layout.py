"""Issue 16, point 5: the token and import pages live under /beheer/, the privacy pages under
/privacy/, the old paths answer a permanent redirect for one release, and "is this an API request"
comes from the resolved view, not from the /api/ prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(beheer=True)


def _style_src(response) -> str:
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    return directives["style-src"]


def test_point_5_pages_have_their_new_paths():
    """Issue 16, point 5: token and import pages under /beheer/, the key approvals and the
    privacy pages under /privacy/."""
    assert reverse("apiauth:token-list") == "/beheer/sleutels/"
    assert reverse("apiauth:token-revoke", args=[3]) == "/beheer/sleutels/3/intrekken/"
    assert reverse("apiauth:import-create") == "/beheer/import/"
    assert reverse("apiauth:import-detail", args=[4]) == "/beheer/import/4/"
    assert reverse("apiauth:token-approvals") == "/privacy/sleutels/goedkeuren/"
    assert reverse("privacy:log_search") == "/privacy/verwerkingen/"
    assert reverse("privacy:break_glass", args=[5]) == "/privacy/doorbraak/5/"


def test_point_5_unverified_user_on_token_page_is_sent_to_second_step(client, settings, beheerder):
    """Issue 16, point 5: a user between password and second factor who opens the token page
    gets the redirect to the two-factor step, not the API's JSON 403."""
    settings.TWO_FACTOR_ENFORCED = True
    client.force_login(beheerder)
    for url in (reverse("apiauth:token-list"), reverse("apiauth:import-create")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
    # an API call by the same session still gets the JSON error
    response = client.get("/api/v1/caseload/residents/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "two_factor_required"


def test_point_5_token_and_import_pages_get_the_strict_csp(client, beheerder):
    """Issue 16, point 5: the token and import pages are our own templates: no 'unsafe-inline'
    (the admin and the browsable API keep their relaxation)."""
    client.force_login(beheerder)
    for url in (reverse("apiauth:token-list"), reverse("apiauth:import-create")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
    assert "'unsafe-inline'" in _style_src(client.get("/beheer/login/"))
    assert "'unsafe-inline'" in _style_src(client.get(reverse("admin:index")))
    browsable = client.get("/api/v1/caseload/residents/", HTTP_ACCEPT="text/html")
    assert "'unsafe-inline'" in _style_src(browsable)


def test_point_5_page_errors_are_pages_and_api_errors_json(client, beheerder):
    """Issue 16, point 5: the error format follows the view: a missing import job on the beheer
    page is the Dutch 404 page, a missing resident in the API is the JSON error, a path nothing
    answers under the API is JSON too."""
    client.force_login(beheerder)
    page = client.get(reverse("apiauth:import-detail", args=[999999]))
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    api = client.get("/api/v1/caseload/nergens/")
    assert api.status_code == 404
    assert api.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/api/v1/caseload/beheer/sleutels/", "/beheer/sleutels/"),
        ("/api/v1/caseload/beheer/sleutels/goedkeuren/", "/privacy/sleutels/goedkeuren/"),
        ("/api/v1/caseload/beheer/import/", "/beheer/import/"),
        ("/api/v1/caseload/beheer/import/12/", "/beheer/import/12/"),
        ("/caseload/privacy/verwerkingen/", "/privacy/verwerkingen/"),
        ("/caseload/privacy/doorbraken/?week=2026-03-02", "/privacy/doorbraken/?week=2026-03-02"),
    ],
)
def test_point_5_old_paths_redirect_permanently(client, beheerder, old, new):
    """Issue 16, point 5: bookmarks to the old paths get a 301 to the new ones (GET only)."""
    client.force_login(beheerder)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_point_5_old_paths_do_not_redirect_posts(client, beheerder):
    """Issue 16, point 5: a form post to an old path is refused (405), not redirected (a 301
    would drop the body)."""
    client.force_login(beheerder)
    for old in ("/api/v1/caseload/beheer/sleutels/", "/caseload/privacy/verwerkingen/"):
        assert client.post(old, {"name": "x"}).status_code == 405, old
