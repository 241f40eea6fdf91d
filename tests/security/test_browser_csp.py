"""In a real browser (Debian Chromium): two-factor setup and login with CSP on, and the pages
with charts (chart.js) and htmx run without a single Content-Security-Policy violation (the
``page`` fixture fails the test on any violation reported to the console)."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "geheim-wachtwoord-123"


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_two_factor_setup_and_chart_pages_under_csp(page, live_server, settings, transactional_db):
    settings.TWO_FACTOR_ENFORCED = True
    factories.MunicipalityYearFactory()  # a municipality with figures for the dashboards
    user = factories.UserFactory(beheer=True, username="beheerder1")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    base = live_server.url

    page.goto(f"{base}/inloggen/")
    assert page.get_by_text("authenticator-app").count() >= 1
    page.fill("#id_username", "beheerder1")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/inloggen/tweestapsverificatie/instellen/**")
    assert page.locator("figure.app-qr svg").count() == 1
    assert page.locator("#totp-secret").inner_text().strip()
    assert_accessible(page)
    save_screenshot(page, "two-factor-setup.png")

    page.fill("#id_token", current_code(user))
    page.locator("#two-factor-setup button[type=submit]").click()
    page.wait_for_url(f"{base}/")

    for path in ("/indicatoren/", "/budget/", "/beheer/import/"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.htmx") == "object", (path, page.content()[:300])
        # every <style> element was applied (a CSP-blocked one has no stylesheet)
        assert page.evaluate(
            "[...document.querySelectorAll('style')].every(s => s.sheet !== null)"
        ), path
        assert_accessible(page)
    page.goto(f"{base}/indicatoren/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.Chart") == "function"
    # the admin and the browsable API (third-party templates) run under the same policy
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    for path in (
        "/beheer/",
        f"/beheer/caseload/user/{user.pk}/change/",
        "/api/v1/caseload/residents/",
    ):
        response = page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
