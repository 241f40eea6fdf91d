"""Issue 14 and 15, acceptance: Dutch amounts in the number fields, in a real browser. The
vangnet simulator takes ``10.000.000`` and ``11.500.000,00``; the business case takes its own
pre-filled ``14.400,00`` and ``14.400``, and refuses the ambiguous ``14.40`` with a clear message
and the value kept; functioneel beheer enters a target of ``1.100``. Surpluses of earlier years
read as a sum in the vangnet steps (``-€ 139.715,27 (2020) - € 968.045,77 (2021)``, never
``+ -€``). axe-core on each state."""

from __future__ import annotations

import pytest

from indicators.models import Target
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people(transactional_db):
    municipality = factories.MunicipalityFactory()
    factories.MunicipalityYearFactory(municipality=municipality, year=2022)
    factories.UserFactory(finance=True, username="financien1")
    factories.UserFactory(beheer=True, username="beheer1")
    return municipality


def test_dutch_amounts_in_the_finance_and_target_forms(page, live_server, people):
    base = live_server.url
    query = f"?jaar=2022&gemeente={people.pk}"
    login(page, base, "financien1")

    page.goto(f"{base}/budget/vangnet/{query}")
    page.fill("#id_year", "2022")
    page.fill("#id_budget", "10.000.000")
    page.fill("#id_netto_lasten", "11.500.000,00")
    page.fill("#id_deficit_t_minus_2", "0")
    page.fill("#id_deficit_t_minus_1", "0")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "€ 1.500.000,00" in main  # the tekort of 11,5 million against 10 million
    assert "Vul een getal in" not in main
    assert_accessible(page)

    # surpluses in the years before: a sum that reads as a sum, not "+ -€ 968.045,77"
    page.fill("#id_deficit_t_minus_2", "-139.715,27")
    page.fill("#id_deficit_t_minus_1", "-968.045,77")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "(-€ 139.715,27 (2020) - € 968.045,77 (2021) + € 1.500.000,00 (2022))" in main, main
    assert "+ -" not in main

    page.goto(f"{base}/budget/businesscase/{query}")
    cost = page.locator("#id_average_cost")
    shown = cost.input_value()
    page.fill("#id_full_count", "26")
    page.fill("#id_partial_count", "0")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_load_state()
    assert "Vul een getal in" not in page.locator("main").inner_text(), shown

    page.fill("#id_average_cost", "14.40")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "komma (14,40)" in main and "punt (14.400)" in main
    assert page.locator("#id_average_cost").input_value() == "14.40"  # what was typed
    assert_accessible(page)

    page.fill("#id_average_cost", "14.400")
    page.fill("#id_full_count", "26")
    page.fill("#id_partial_count", "0")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_load_state()
    assert "€ 374.400,00" in page.locator("main").inner_text()  # 26 x 14.400

    page.context.clear_cookies()
    login(page, base, "beheer1")
    page.goto(f"{base}/indicatoren/streefwaarden/?jaar=2022&gemeente={people.pk}")
    row = page.locator("input[name$='-target']").first
    name = row.get_attribute("name")
    row.fill("1.100")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Target.objects.filter(municipality=people, year=2022, target=1100).exists(), name
