"""The account manager registers an employer and a vacancy in a real browser (Debian Chromium via
Playwright); axe-core finds no violation on the new pages and their error states (issue 18,
employers and vacancies)."""

import datetime as dt
import re

import pytest

from caseload.models import Role
from employers.models import Employer, Vacancy
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def accountmanager(transactional_db):
    factories.MunicipalityFactory(name="Hilversum", cbs_code="GM0402")
    return factories.UserFactory(username="am1", role=Role.ACCOUNT_MANAGER, team=None)


def _submit(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def employer_form_fill(page, *, kvk_number: str) -> None:
    """The employer form as an account manager fills it in: a Hilversum bakery (also the start
    of the matching journey, tests/matching/test_browser.py)."""
    page.fill("#id_name", "Bakkerij De Gooische Bol")
    page.fill("#id_kvk_number", kvk_number)
    page.fill("#id_sbi_code", "1071")
    page.fill("#id_address", "Kerkstraat 1")
    page.fill("#id_postcode", "1211 AB")
    page.fill("#id_city", "Hilversum")


def vacancy_form_fill(page, *, hours: str, start_date: dt.date) -> None:
    """The vacancy form for the bakery's Bakkersassistent."""
    page.fill("#id_title", "Bakkersassistent")
    page.select_option("#id_occupation", label="7512 Bakkers en banketbakkers")
    page.fill("#id_hours_per_week", hours)
    page.fill("#id_start_date", start_date.isoformat())


def test_account_manager_registers_employer_and_vacancy(page, live_server, accountmanager):
    base = live_server.url
    login(page, base, "am1")
    page.get_by_role("link", name="Werkgevers").first.click()
    page.wait_for_url(re.compile(r"/werkgevers/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Werkgever toevoegen").click()
    assert_accessible(page)

    employer_form_fill(page, kvk_number="1234")
    _submit(page)
    assert "acht cijfers" in page.locator("#id_kvk_number_error").inner_text()
    assert page.input_value("#id_name") == "Bakkerij De Gooische Bol"
    assert_accessible(page)
    page.fill("#id_kvk_number", "12345678")
    _submit(page)
    employer = Employer.objects.get()
    page.wait_for_url(re.compile(rf"/werkgevers/{employer.pk}/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Vacature toevoegen").click()
    vacancy_form_fill(page, hours="45", start_date=dt.date.today() + dt.timedelta(days=10))
    page.check("#id_banenafspraak")
    _submit(page)
    assert "hoogstens 40" in page.locator("#id_hours_per_week_error").inner_text()
    assert_accessible(page)
    page.fill("#id_hours_per_week", "32")
    _submit(page)
    vacancy = Vacancy.objects.get()
    assert vacancy.banenafspraak and vacancy.postcode == "1211AB"
    assert_accessible(page)

    page.get_by_role("link", name="Vacatures", exact=True).first.click()
    page.wait_for_url(re.compile(r"/werkgevers/vacatures/$"))
    assert "Bakkersassistent" in page.locator("#vacancies").inner_text()
    assert_accessible(page)
