"""Prevention at the end of the WW in the browser (issue 17): the consulent opens the page from
the dossier, records a melding, sends the outcome form with a date before the melding and
gets the Dutch message with what was typed; axe-core finds no violations on the page, its
error state and the page with a running melding."""

from __future__ import annotations

import pytest

from caseload.models import Application
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ww_prevention_page_and_its_error_states_are_accessible(page, live_server):
    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team, username="consulent.ww")
    resident = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    base = live_server.url
    login(page, base, "consulent.ww")
    page.goto(f"{base}/caseload/inwoners/{resident.pk}/")
    page.get_by_role("link", name="Preventie einde WW (melding en uitkomst)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Preventie einde WW"
    assert_accessible(page)

    # an empty melding: the message at the field
    page.get_by_role("button", name="Melding opslaan").click()
    page.wait_for_load_state()
    assert page.locator("#id_melding-received_on_error").count() == 1
    assert_accessible(page)

    page.fill("#id_melding-received_on", "2026-01-05")
    page.get_by_role("button", name="Melding opslaan").click()
    page.wait_for_url(f"{base}/caseload/inwoners/{resident.pk}/")
    assert Application.objects.get(resident=resident).prevention_route == "ww_coaching"

    page.goto(f"{base}/caseload/inwoners/{resident.pk}/preventie-ww/")
    assert_accessible(page)  # with the running melding and its outcome form
    page.fill("#id_uitkomst-decided_on", "2025-12-31")
    page.get_by_role("button", name="Uitkomst opslaan").click()
    page.wait_for_load_state()
    assert "De besluitdatum ligt voor de datum van de melding." in page.content()
    assert page.input_value("#id_uitkomst-decided_on") == "2025-12-31"
    assert_accessible(page)
