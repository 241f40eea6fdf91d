"""The matching pages in a real browser (Chromium via Playwright), axe-core on each page and
error state (issue 18): the consulent's profile (with a refused value kept), passende
vacatures and the incomplete profiles; the account manager's candidates, proposing, the
employer's answer, the placement form and the placements worklist."""

from __future__ import annotations

import re

import pytest

from matching.models import Proposal
from tests.browser.conftest import assert_accessible, page  # noqa: F401 - the page fixture
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _submit(page):  # noqa: F811 - the fixture's name
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_matching_pages_are_accessible(page, live_server, region):  # noqa: F811
    base = live_server.url
    vacancy = region.vacancy(title="Verzorgende IG")
    resident = region.resident()
    login(page, base, "cons")
    page.goto(f"{base}/matching/inwoner/{resident.pk}/profiel/")
    assert_accessible(page)
    page.fill("#id_hours_available", "50")
    _submit(page)
    assert "hoogstens 40" in page.locator("main").inner_text()
    assert page.input_value("#id_hours_available") == "50"
    assert_accessible(page)
    page.goto(f"{base}/matching/inwoner/{resident.pk}/passende-vacatures/")
    assert "Verzorgende IG" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{base}/matching/profielen-onvolledig/")
    assert_accessible(page)
    page.context.clear_cookies()

    login(page, base, "am")
    page.goto(f"{base}/werkgevers/vacatures/{vacancy.pk}/")
    page.get_by_role("link", name="Kandidaten en voordrachten").click()
    page.wait_for_url(re.compile(rf"/matching/vacatures/{vacancy.pk}/kandidaten/"))
    assert_accessible(page)
    page.locator("main form[action$='/voordragen/'] button").first.click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert resident.full_name in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{base}/matching/voordrachten/{proposal.pk}/antwoord/")
    page.check("input[value=afgewezen]")
    _submit(page)
    assert "Vul de reden van de afwijzing in." in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{base}/matching/voordrachten/{proposal.pk}/plaatsing/")
    assert_accessible(page)
    page.goto(f"{base}/matching/plaatsingen/")
    assert_accessible(page)
