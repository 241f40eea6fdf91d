"""A new application in a real browser (Debian Chromium via Playwright): an unknown BSN looked up
in the BRP simulator over HTTP, decided "toegekend" from the dossier and the outflow then
recorded; and the "BRP unavailable" path by hand; axe-core on every page and error state
(issue 14, acceptance)."""

import datetime as dt
import re

import pytest

from caseload.models import Application, Benefit, OutflowEvent, Resident, ResidentSource
from registers.brp import simulator
from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot
from tests.browser.test_workspace import login
from tests.registers.conftest import brp_server  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def consulent(transactional_db):
    # Hilversum (GM0402): the simulator registers a quarter of its people there, and a person
    # the BRP registers in another municipality is refused (art. 40 Participatiewet)
    municipality = factories.MunicipalityFactory(cbs_code="GM0402", name="Hilversum (demo)")
    team = factories.TeamFactory(municipality=municipality)
    return factories.UserFactory(team=team, username="consulent1")


def _unknown_with_partner() -> dict:
    population = simulator.generated_population()
    for bsn in simulator.unknown_applicants("GM0402"):
        if population[bsn].get("partners"):
            return population[bsn]
    raise AssertionError


def _submit(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_new_application_for_an_unknown_bsn_from_the_brp(page, live_server, consulent, brp_server):  # noqa: F811
    base = live_server.url
    person = _unknown_with_partner()
    bsn = person["burgerservicenummer"]
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    login(page, base, "consulent1")
    page.get_by_role("link", name="Nieuwe aanvraag").first.click()
    page.wait_for_url(re.compile(r"/aanvraag/nieuw/$"))
    assert_accessible(page)

    # a BSN that fails the 11-test: "ongeldig", the typed number stays
    page.fill("#id_bsn", "123456789")
    _submit(page)
    assert "Ongeldig BSN" in page.locator("#id_bsn_error").inner_text()
    assert page.input_value("#id_bsn") == "123456789"
    assert_accessible(page)

    # not in the BRP: "niet gevonden", a different message
    page.fill("#id_bsn", "999900055")
    _submit(page)
    assert "Niet gevonden" in page.locator("#id_bsn_error").inner_text()
    assert_accessible(page)

    # unknown to the gemeente, known to the BRP: the person and the household to confirm
    page.fill("#id_bsn", bsn)
    _submit(page)
    page.wait_for_url(re.compile(r"/aanvraag/nieuw/gegevens/$"))
    assert page.input_value("#id_last_name") == person["naam"]["geslachtsnaam"]
    assert page.locator("#id_last_name").is_disabled()
    household = page.locator("section[aria-labelledby=huishouden-brp]").inner_text()
    assert person["partners"][0]["naam"]["geslachtsnaam"] in household
    assert_accessible(page)
    save_screenshot(page, "new_application.png")

    # the application: a date in the future is refused, what was typed stays
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    page.fill("#id_received_on", future)
    page.select_option("#id_regime", "ioaw")
    _submit(page)
    assert "toekomst" in page.locator("#id_received_on_error").inner_text()
    assert page.input_value("#id_received_on") == future
    assert page.input_value("#id_regime") == "ioaw"
    assert_accessible(page)
    page.fill("#id_received_on", dt.date.today().isoformat())
    _submit(page)

    resident = Resident.objects.get(bsn=bsn)
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))
    assert "Uit BRP" in page.locator("main").inner_text()
    assert_accessible(page)
    assert resident.source == ResidentSource.BRP
    assert resident.household.members.count() == 2
    assert Application.objects.get(resident=resident).regime == "ioaw"
    assert not [u for u in requested if bsn in u]
    _decide_granted_then_outflow(page, resident)


def _decide_granted_then_outflow(page, resident):
    """The journey on: no benefit yet, so the outflow form says so before anything is typed;
    "Aanvraag beslissen" from the dossier (a future date refused first, what was typed kept),
    toegekend; the benefit runs and the outflow is recorded."""
    dossier = page.url
    today = dt.date.today()
    page.get_by_role("link", name="Uitstroom vastleggen").click()
    page.wait_for_load_state()
    assert "geen lopende uitkering" in page.locator("#geblokkeerd").inner_text()
    assert page.locator("main form button[type=submit]").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Aanvraag beslissen").first.click()
    page.wait_for_url(re.compile(rf"/inwoners/{resident.pk}/beslissen/$"))
    assert page.input_value("#id_decided_on") == today.isoformat()
    assert page.input_value("#id_benefit_start") == today.isoformat()  # the day of the melding
    assert_accessible(page)

    future = (today + dt.timedelta(days=2)).isoformat()
    page.select_option("#id_outcome", "toegekend")
    page.fill("#id_decided_on", future)
    _submit(page)
    assert "toekomst" in page.locator("#id_decided_on_error").inner_text()
    assert page.input_value("#id_decided_on") == future
    assert page.input_value("#id_outcome") == "toegekend"
    assert_accessible(page)
    page.fill("#id_decided_on", today.isoformat())
    _submit(page)
    page.wait_for_url(dossier)
    main = page.locator("main").inner_text()
    assert "De aanvraag is toegekend" in main
    assert "Besluit op aanvraag IOAW: toegekend" in main
    assert page.get_by_role("link", name="Aanvraag beslissen").count() == 0
    assert_accessible(page)
    benefit = Benefit.objects.get(household=resident.household, end_date__isnull=True)
    assert (benefit.regime, benefit.start_date) == ("ioaw", today)

    page.get_by_role("link", name="Uitstroom vastleggen").click()
    page.wait_for_load_state()
    page.select_option("#id_kind", "volledig")
    page.select_option("#id_reason", "werk")
    page.fill("#id_occurred_on", today.isoformat())
    page.fill("#id_hours_per_week", "32")
    page.select_option("#id_contract_type", "vast")
    _submit(page)
    page.wait_for_url(dossier)
    assert "Volledige uitstroom" in page.locator("main").inner_text()
    assert OutflowEvent.objects.get(resident=resident).benefit_id == benefit.pk


def test_brp_unavailable_register_by_hand(page, live_server, consulent, brp_server):  # noqa: F811
    base = live_server.url
    login(page, base, "consulent1")
    page.goto(f"{base}/aanvraag/nieuw/")
    page.fill("#id_bsn", "999900018")  # the simulator answers 503
    _submit(page)
    page.wait_for_url(re.compile(r"/aanvraag/nieuw/gegevens/$"))
    assert "niet bereikbaar" in page.locator("main").inner_text()
    assert page.input_value("#id_bsn") == "999900018"
    assert_accessible(page)
    page.fill("#id_first_name", "Anouk")
    _submit(page)  # error state: the rest is missing
    assert page.locator(".utrecht-form-field-error-message").count() >= 4
    assert page.input_value("#id_first_name") == "Anouk"
    assert_accessible(page)
    page.fill("#id_last_name", "Handwerk")
    page.fill("#id_birth_date", "1990-04-01")
    page.fill("#id_street", "Stationsstraat")
    page.fill("#id_house_number", "3")
    page.fill("#id_postcode", "1211 AB")
    page.fill("#id_city", "Hilversum")
    # the leefvorm is chosen, not preset (the walk of 3 December, night: "Alleenstaand" stood
    # selected and sets the norm)
    assert page.input_value("#id_household_type") == ""
    _submit(page)
    assert "Kies de leefvorm." in page.locator("#id_household_type_error").inner_text()
    assert page.input_value("#id_street") == "Stationsstraat"
    page.select_option("#id_household_type", "alleenstaand")
    _submit(page)
    resident = Resident.objects.get(bsn="999900018")
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))
    assert "Niet uit BRP" in page.locator("main").inner_text()
    assert_accessible(page)


def test_couple_registered_by_hand_then_found_by_address(page, live_server, consulent, brp_server):  # noqa: F811
    """Issue 14: the BRP does not know the person; the consulent registers a couple by hand,
    the partner included (a partner BSN failing the 11-test first: said at the field, what was
    typed kept), then finds the household again by postcode and house number."""
    base = live_server.url
    login(page, base, "consulent1")
    page.goto(f"{base}/aanvraag/nieuw/")
    page.fill("#id_bsn", "999900055")  # the simulator: not found
    _submit(page)
    assert "Niet gevonden" in page.locator("#id_bsn_error").inner_text()
    page.goto(f"{base}/aanvraag/nieuw/gegevens/")
    assert "Niet gevonden in de BRP" in page.locator("main").inner_text()
    for field, value in {
        "#id_first_name": "Anouk",
        "#id_last_name": "Handwerk",
        "#id_birth_date": "1990-04-01",
        "#id_street": "Stationsstraat",
        "#id_house_number": "3a",
        "#id_postcode": "1211 AB",
        "#id_city": "Hilversum",
        "#id_partner_bsn": "111222334",  # fails the 11-test
        "#id_partner_first_name": "Bram",
        "#id_partner_last_name": "Handwerk",
        "#id_partner_birth_date": "1988-11-30",
    }.items():
        page.fill(field, value)
    page.select_option("#id_household_type", "gehuwd")
    save_screenshot(page, "new-application-by-hand.png")
    _submit(page)
    assert "Ongeldig BSN" in page.locator("#id_partner_bsn_error").inner_text()
    assert page.input_value("#id_partner_first_name") == "Bram"
    assert_accessible(page)
    page.fill("#id_partner_bsn", "111222333")
    _submit(page)
    applicant = Resident.objects.get(bsn="999900055")
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{applicant.pk}/$"))
    partner = Resident.objects.get(bsn="111222333")
    assert partner.household_id == applicant.household_id
    assert partner.source == ResidentSource.MANUAL
    assert "Bram Handwerk" in page.locator("main").inner_text()  # a member of the household
    assert_accessible(page)

    # found again by address: the two of them, listed; the address in no URL
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{base}/caseload/")
    page.fill("#id_adres-postcode", "1211ab")
    page.fill("#id_adres-house_number", "3")
    page.get_by_role("button", name="Zoek op adres").click()
    page.wait_for_load_state()
    results = page.locator("#adres-resultaat")
    assert "2 inwoners op dit adres" in results.inner_text()
    assert results.locator("a").count() == 2
    assert_accessible(page)
    save_screenshot(page, "address-search.png")
    assert not [u for u in requested if "1211" in u or "111222333" in u]
    page.fill("#id_adres-postcode", "1211ab")
    page.fill("#id_adres-house_number", "99")
    page.get_by_role("button", name="Zoek op adres").click()
    page.wait_for_load_state()
    assert "Geen inwoner van uw team" in page.locator("#id_adres-house_number_error").inner_text()
    assert_accessible(page)
