"""Issue 14, acceptance: in a real browser, a teamleider corrects a wrongly dated trajectory and
withdraws an outflow recorded by mistake; the dashboard figure follows once the recompute outbox
is drained (synchronously here, as the worker would)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from caseload import models, services
from indicators.outbox import outbox_drain
from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = dt.date.today()
WRONG_START = TODAY.replace(year=TODAY.year + 1)  # typed next year instead of this year


@pytest.fixture
def world(transactional_db):
    team = factories.TeamFactory()
    factories.MunicipalityYearFactory(municipality=team.municipality, year=TODAY.year)
    teamleider = factories.UserFactory(team=team, teamleider=True, username="teamleider1")
    resident = factories.ResidentFactory(
        team=team,
        consulent=teamleider,
        household__municipality=team.municipality,
        first_name="Fatima",
        last_name="Zwartjes",
    )
    factories.BenefitFactory(applicant=resident, start_date=TODAY.replace(month=1, day=1))
    instrument = factories.InstrumentFactory(name="Werkfit-traject", code="werkfit")
    trajectory = services.trajectory_start(
        resident=resident, instrument=instrument, started_on=WRONG_START, by=teamleider
    )
    outflow = services.outflow_record(
        resident=resident,
        kind="gedeeltelijk",
        reason="werk",
        occurred_on=TODAY,
        by=teamleider,
        hours_per_week=Decimal(16),
        contract_type="tijdelijk",
        employer="Zorggroep De Linde",
    )
    outbox_drain()  # the figures as the worker leaves them
    return {"team": team, "resident": resident, "trajectory": trajectory, "outflow": outflow}


def _figure(page, base):
    page.goto(f"{base}/indicatoren/outflow.to_work/?jaar={TODAY.year}")
    return page.locator(".app-indicator-value").first.inner_text().strip()


def test_correct_wrongly_dated_trajectory_and_withdraw_outflow(page, live_server, world):
    base = live_server.url
    resident, trajectory = world["resident"], world["trajectory"]
    login(page, base, "teamleider1")
    assert _figure(page, base) == "1"

    # The wrongly dated trajectory is "gepland", not the current one.
    page.goto(f"{base}/caseload/inwoners/{resident.pk}/")
    timeline = page.locator(".app-timeline")
    assert "Traject gepland: Werkfit-traject" in timeline.inner_text()
    assert page.get_by_role("link", name="Traject afsluiten: Werkfit-traject").count() == 0
    assert_accessible(page)
    entry = page.locator('.app-timeline li[data-kind="trajectory_start"]')
    entry.get_by_role("link", name=re.compile(r"^Corrigeren")).click()
    page.wait_for_url(re.compile(rf"/correctie/traject/{trajectory.pk}/corrigeren/$"))
    assert page.input_value("#id_started_on") == WRONG_START.isoformat()
    assert_accessible(page)

    # Error state first: no reason. What was typed comes back.
    page.fill("#id_started_on", TODAY.isoformat())
    page.locator("#correction-submit").click()
    page.wait_for_load_state()
    assert page.locator("#id_correction_reason_error").is_visible()
    assert page.input_value("#id_started_on") == TODAY.isoformat()
    assert_accessible(page)
    page.fill("#id_correction_reason", "Verkeerd jaar getypt")
    page.locator("#correction-submit").click()
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))
    text = page.locator(".app-timeline").inner_text()
    assert "Traject gestart: Werkfit-traject" in text
    assert "Traject gecorrigeerd: Werkfit-traject" in text and "Verkeerd jaar getypt" in text
    assert f"startdatum {WRONG_START:%-d-%-m-%Y} → {TODAY:%-d-%-m-%Y}" in text
    assert page.get_by_role("link", name="Traject afsluiten: Werkfit-traject").count() == 1
    assert_accessible(page)

    # Withdraw the outflow recorded by mistake.
    entry = page.locator('.app-timeline li[data-kind="outflow"]')
    entry.get_by_role("link", name=re.compile(r"^Intrekken")).click()
    page.wait_for_url(re.compile(r"/intrekken/$"))
    assert "Gedeeltelijke uitstroom" in page.locator("#fact-description").inner_text()
    assert_accessible(page)
    page.fill("#id_correction_reason", "Baan ging niet door, per vergissing vastgelegd")
    page.locator("#correction-submit").click()
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))
    text = page.locator(".app-timeline").inner_text()
    assert "Uitstroom ingetrokken: Zorggroep De Linde" in text
    assert 'data-kind="outflow"' not in page.content()
    save_screenshot(page, "dossier-corrections.png")
    assert not models.OutflowEvent.objects.filter(pk=world["outflow"].pk).exists()

    # The figure follows after the recompute.
    outbox_drain()
    assert _figure(page, base) == "0"
    assert_accessible(page)
