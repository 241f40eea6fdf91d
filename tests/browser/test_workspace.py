"""A consulent's day in a real browser (Debian Chromium via Playwright) with axe-core checks."""

import datetime as dt
import re

import pytest

from caseload import models
from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot

# serialized_rollback: the flush after each browser test must not lose the rows migrations seed
# (group rules, instrument catalogue) that later tests rely on; see tests/conftest.py.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = dt.date.today()
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def world(transactional_db):
    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team, username="consulent1")
    resident = factories.ResidentFactory(
        team=team,
        consulent=consulent,
        household__municipality=team.municipality,
        first_name="Fatima",
        last_name="Zwartjes",
    )
    factories.BenefitFactory(applicant=resident)
    for i in range(5):
        factories.ResidentFactory(
            team=team,
            consulent=consulent,
            household__municipality=team.municipality,
            last_name=f"Achternaam{i}",
        )
    factories.InstrumentFactory(name="Werkfit-traject", code="werkfit")
    return {"team": team, "consulent": consulent, "resident": resident}


def login(page, base, username):
    page.goto(f"{base}/inloggen/")
    assert_accessible(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def submit(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_consulent_walkthrough(page, live_server, world):
    base = live_server.url
    resident = world["resident"]
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    login(page, base, "consulent1")
    assert_accessible(page)
    page.get_by_role("link", name="Mijn caseload").first.click()
    page.wait_for_url(re.compile(r"/caseload/$"))
    assert_accessible(page)
    save_screenshot(page, "worklist.png")

    # Find the resident by name; then by BSN (a POST: the BSN never appears in a URL).
    page.fill("#id_q", "Zwartjes")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"q=Zwartjes"))
    page.fill("#id_bsn-bsn", "12345")
    page.get_by_role("button", name="Zoek op BSN").click()
    page.wait_for_load_state()
    assert page.locator("#id_bsn-bsn_error").is_visible()
    assert_accessible(page)
    page.fill("#id_bsn-bsn", resident.bsn)
    page.get_by_role("button", name="Zoek op BSN").click()
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))
    assert_accessible(page)

    # Brede intake over several steps, with a reload in the middle (see docs/intake.md).
    page.get_by_role("link", name="Brede intake", exact=True).click()
    page.wait_for_url(re.compile(rf"/intake/{resident.pk}/$"))
    assert_accessible(page)
    page.locator("#intake-start").click()
    page.wait_for_url(re.compile(r"/stap/1/"))
    scores = ["4", "4", "4", "4", "4"]
    for step, score in enumerate(scores, start=1):
        page.wait_for_url(re.compile(rf"/stap/{step}/"))
        if step == 1:
            page.locator("#intake-step-save").click()  # error state: no score
            page.wait_for_load_state()
            assert page.locator("#id_score_error").count() == 1
            assert_accessible(page)
        page.select_option("#id_score", score)
        page.fill("#id_notes", f"Toelichting stap {step}")
        assert_accessible(page)
        if step == 3:
            save_screenshot(page, "intake.png")
        page.locator("#intake-step-save").click()
        if step == 3:
            page.wait_for_url(re.compile(r"/stap/4/"))
            page.reload()  # a broken connection loses nothing: resume at step 4
            page.goto(f"{base}/intake/{resident.pk}/")
            page.wait_for_url(re.compile(r"/stap/4/"))
    page.wait_for_url(re.compile(r"/stap/6/"))
    assert_accessible(page)
    page.locator("#intake-step-save").click()
    page.wait_for_url(re.compile(r"/stap/7/"))
    page.select_option("#id_education_level", "mbo2")
    page.fill("#id_wishes", "Werken in de zorg")
    assert_accessible(page)
    page.locator("#intake-step-save").click()
    page.wait_for_url(re.compile(r"/stap/8/"))
    assert_accessible(page)
    assert "groep 1" in page.locator("#proposal").inner_text().lower()
    page.locator("#intake-complete").click()  # confirm the proposed group
    page.wait_for_url(re.compile(r"/plan/"))
    assert_accessible(page)
    page.fill("#id_goals", "Binnen een jaar deeltijdwerk")
    page.fill("#id_commitments", "Solliciteert twee keer per maand")
    page.select_option("#id_expected_outflow", "gedeeltelijk")
    page.fill("#id_partial_percentage", "50")
    page.fill("#id_action_1_description", "Cv bijwerken")
    page.fill("#id_action_1_due_on", (TODAY + dt.timedelta(days=14)).isoformat())
    page.select_option("#id_action_1_owner", index=1)
    page.locator("#plan-save").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Start a trajectory (with its error state first).
    page.goto(f"{base}/caseload/inwoners/{resident.pk}/")
    page.get_by_role("link", name="Traject starten").click()
    assert_accessible(page)
    page.fill("#id_provider", "Werkbedrijf Noord")
    submit(page)
    assert page.locator("#id_started_on_error").is_visible()
    assert page.input_value("#id_provider") == "Werkbedrijf Noord"
    assert page.get_attribute("#id_started_on", "aria-describedby") == "id_started_on_error"
    assert_accessible(page)
    page.select_option("#id_instrument", label="Werkfit-traject")
    page.fill("#id_started_on", TODAY.isoformat())
    submit(page)
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))

    # Record a partial outflow (error state first: no date).
    page.get_by_role("link", name="Uitstroom vastleggen").click()
    page.select_option("#id_kind", "gedeeltelijk")
    page.fill("#id_employer", "Zorggroep De Linde")
    submit(page)
    assert page.locator("#id_occurred_on_error").is_visible()
    assert page.input_value("#id_employer") == "Zorggroep De Linde"
    assert_accessible(page)
    page.fill("#id_occurred_on", TODAY.isoformat())
    page.fill("#id_hours_per_week", "16")
    page.fill("#id_sector", "Zorg")
    page.select_option("#id_contract_type", "tijdelijk")
    submit(page)
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))

    # Everything on the dossier timeline.
    assert_accessible(page)
    timeline = page.locator(".app-timeline").inner_text()
    assert "Groep 1" in timeline
    assert "Traject gestart: Werkfit-traject" in timeline
    assert "Gedeeltelijke uitstroom" in timeline and "Zorggroep De Linde" in timeline
    kinds = page.locator(".app-timeline li").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert "intake_completed" in kinds and "plan" in kinds
    save_screenshot(page, "dossier.png")
    assert not [u for u in requested if resident.bsn in u]
    assert models.OutflowEvent.objects.filter(resident=resident, kind="gedeeltelijk").exists()


def test_forms_error_states_accessible(page, live_server, world):
    base = live_server.url
    resident = world["resident"]
    t = factories.TrajectoryFactory(resident=resident, created_by=world["consulent"])
    login(page, base, "consulent1")
    for path in ["contact", "ladder", "groep", f"traject/{t.pk}/afsluiten"]:
        page.goto(f"{base}/caseload/inwoners/{resident.pk}/{path}/")
        assert_accessible(page)
        if path == "contact":  # its date defaults to today (walk of 3 December): clear it
            page.fill("input[name=occurred_on]", "")
        submit(page)
        assert page.locator(".utrecht-form-field-error-message").count() >= 1
        assert_accessible(page)


def test_keyboard_skip_link(page, live_server, world):
    base = live_server.url
    login(page, base, "consulent1")
    page.goto(f"{base}/caseload/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; })()"
    )
    assert outline, "focus is not visible on the skip link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # Focus moved to main: the next Tab lands inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")
