"""The matching pages in a real browser (Chromium via Playwright), axe-core on each page and
error state (issue 18): the consulent's profile (with a refused value kept), passende
vacatures and the incomplete profiles; the account manager's candidates, proposing, the
employer's answer, the placement form and the placements worklist."""

from __future__ import annotations

import datetime as dt
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


def _outflow_figure(page, base, municipality) -> str:  # noqa: F811
    page.goto(f"{base}/indicatoren/outflow.to_work/?jaar=2026&gemeente={municipality.pk}")
    return page.locator(".app-indicator-value").first.inner_text().strip()


def test_account_manager_from_vacancy_to_placement_and_outflow(
    page,  # noqa: F811
    live_server,
    region,
):
    """Issue 18, acceptance: an account manager registers an employer and a vacancy, gets ranked
    candidates with the reason per factor, proposes the first; the consulent sees the proposal
    on the resident's profile; the employer's answer and the placement record the outflow event
    (linked both ways), and the outflow figure on the dashboard follows once the recompute
    outbox is drained (synchronously here, as the worker would)."""
    from caseload.models import OutflowEvent
    from employers.models import Employer, Vacancy
    from indicators.outbox import outbox_drain
    from matching.models import Placement
    from tests import factories
    from tests.browser.test_employers import employer_form_fill, vacancy_form_fill

    base = live_server.url
    baker = region.resident(sought=("7512",), hours="32", first_name="Bram", last_name="Bakker")
    other = region.resident(sought=("5322",), hours="32", first_name="Otto", last_name="Overig")
    factories.UserFactory(team=region.team, teamleider=True, username="tl")
    outbox_drain()
    login(page, base, "tl")
    before = _outflow_figure(page, base, region.municipality)
    page.context.clear_cookies()

    login(page, base, "am")
    page.goto(f"{base}/werkgevers/nieuw/")
    employer_form_fill(page, kvk_number="87654321")
    if page.locator("#id_municipality").count():
        page.select_option("#id_municipality", str(region.municipality.pk))
    _submit(page)
    employer = Employer.objects.get(kvk_number="87654321")
    page.wait_for_url(re.compile(rf"/werkgevers/{employer.pk}/$"))
    page.get_by_role("link", name="Vacature toevoegen").click()
    vacancy_form_fill(page, hours="32", start_date=dt.date(2026, 12, 1))
    _submit(page)
    vacancy = Vacancy.objects.get(employer=employer)

    # Ranked candidates with the reason per factor, no name before the proposal.
    page.goto(f"{base}/werkgevers/vacatures/{vacancy.pk}/")
    page.get_by_role("link", name="Kandidaten en voordrachten").click()
    page.wait_for_url(re.compile(rf"/matching/vacatures/{vacancy.pk}/kandidaten/"))
    rows = page.locator("main table").first.locator("tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0), rows.nth(1)
    assert first.get_attribute("data-profile") == str(baker.matching_profile.pk)
    assert second.get_attribute("data-profile") == str(other.matching_profile.pk)
    reasons = first.locator(".app-reasons").inner_text()
    for factor in ("Beroep", "Uren", "Reisafstand", "Opleiding", "Groep", "Drempels"):
        assert f"{factor}:" in reasons

    def score(row) -> float:  # Dutch notation: 95,0
        return float(row.locator("td").nth(2).inner_text().replace(",", "."))

    assert score(first) > score(second)
    main = page.locator("main").inner_text()
    assert baker.full_name not in main and baker.bsn not in main
    assert_accessible(page)
    first.get_by_role("button", name=re.compile("Voordragen")).click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert proposal.resident_id == baker.pk
    assert baker.full_name in page.locator("main").inner_text()
    page.context.clear_cookies()

    # The consulent sees the proposal on the resident's profile.
    login(page, base, "cons")
    page.goto(f"{base}/caseload/inwoners/{baker.pk}/")
    page.get_by_role("link", name="Profiel en passende vacatures").click()
    proposals = page.locator("section[aria-labelledby=voordrachten]").inner_text()
    assert "Bakkersassistent" in proposals and "Bakkerij De Gooische Bol" in proposals
    page.context.clear_cookies()

    # The employer's answer and the placement.
    login(page, base, "am")
    page.goto(f"{base}/matching/vacatures/{vacancy.pk}/kandidaten/")
    page.get_by_role("link", name=re.compile("Antwoord werkgever vastleggen")).click()
    page.check("input[value=aangenomen]")
    page.fill("#id_answered_on", "2026-11-22")
    _submit(page)
    page.goto(f"{base}/matching/vacatures/{vacancy.pk}/kandidaten/")
    page.get_by_role("link", name=re.compile("Plaatsing vastleggen")).click()
    page.fill("#id_start_date", "2026-11-22")
    page.fill("#id_hours_per_week", "32")
    page.select_option("#id_outflow_kind", "volledig")
    page.select_option("#id_contract_type", "vast")
    page.check("#id_loonkostensubsidie")
    _submit(page)
    placement = Placement.objects.get()
    outflow = OutflowEvent.objects.get(resident=baker)
    assert placement.outflow_id == outflow.pk and outflow.placement == placement
    assert outflow.reason == OutflowEvent.Reason.WORK and outflow.is_subsidised
    vacancy.refresh_from_db()
    assert not vacancy.is_open
    page.context.clear_cookies()

    outbox_drain()  # the recompute as the worker runs it after the commit
    login(page, base, "tl")
    assert int(_outflow_figure(page, base, region.municipality)) == int(before) + 1
