"""Issue 14, "see at a glance", in a real browser (Debian Chromium via Playwright) with axe-core:
marking a plan action done, the worklist sorted and filtered with defaults that hide nobody,
the intake summary, the printable plan and the error pages."""

import datetime as dt
import re

import pytest

from caseload import models
from intake import services as intake_services
from intake.models import PlanAction
from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = dt.date.today()
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def world(transactional_db):
    team = factories.TeamFactory()
    me = factories.UserFactory(
        team=team, username="consulent1", first_name="Anne", last_name="Smit"
    )
    colleague = factories.UserFactory(
        team=team, username="consulent2", first_name="Bram", last_name="Visser"
    )
    people = {}
    for name, consulent, contact_days in [
        ("Zwartjes", me, 3),
        ("Bakker", me, 400),
        ("Jansen", colleague, 30),
        ("Achterberg", colleague, None),
    ]:
        r = factories.ResidentFactory(
            team=team,
            consulent=consulent,
            household__municipality=team.municipality,
            first_name="Fatima" if name == "Zwartjes" else "Kees",
            last_name=name,
        )
        people[name] = r
        if contact_days is not None:
            models.ContactMoment.objects.create(
                resident=r,
                occurred_on=TODAY - dt.timedelta(days=contact_days),
                channel="telefoon",
                by=consulent,
            )
    resident = people["Zwartjes"]
    factories.GroupAssignmentFactory(
        resident=resident,
        group=2,
        decided_by=me,
        decided_on=TODAY - dt.timedelta(days=200),
        reassess_on=TODAY - dt.timedelta(days=5),
    )
    intake = intake_services.intake_start(resident=resident, by=me)
    for n in range(1, 6):
        intake_services.intake_step_save(
            intake=intake, step=n, data={"score": 3, "notes": f"Toelichting {n}"}, by=me
        )
    intake_services.intake_step_save(
        intake=intake, step=6, data={"has_debts": True, "debts_notes": "Schuldhulp loopt"}, by=me
    )
    intake_services.intake_step_save(
        intake=intake,
        step=7,
        data={"education_level": "mbo2", "wishes": "Werken in de zorg"},
        by=me,
    )
    proposed = intake_services.intake_group_propose(intake=intake).group
    intake_services.intake_complete(intake=intake, confirmed_group=proposed, by=me)
    # the group decided at the intake, long ago: its herbeoordeling is overdue
    models.GroupAssignment.objects.filter(resident=resident, ended_on__isnull=True).update(
        decided_on=TODAY - dt.timedelta(days=200), reassess_on=TODAY - dt.timedelta(days=5)
    )
    plan = intake_services.plan_create(
        resident=resident,
        by=me,
        goals="Binnen een jaar deeltijdwerk",
        commitments="Solliciteert twee keer per maand",
        actions=[
            {"description": "Cv bijwerken", "due_on": TODAY + dt.timedelta(days=7)},
            {"description": "Gesprek met werkcoach", "due_on": TODAY + dt.timedelta(days=9)},
        ],
    )
    # one action past its date (created earlier, as in practice)
    PlanAction.objects.filter(plan=plan, description="Gesprek met werkcoach").update(
        due_on=TODAY - dt.timedelta(days=2)
    )
    return {"me": me, "resident": resident, "people": people, "plan": plan}


def login(page, base, username):
    page.goto(f"{base}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _names(page):
    return page.locator("#worklist tbody th a").all_inner_texts()


def test_mark_plan_action_done_sign_and_print(page, live_server, world):
    """Issue 14: the dossier header, the plan's action marked done, the signed date (with its
    error state), the printable plan and the intake summary; axe on each."""
    base = live_server.url
    resident = world["resident"]
    login(page, base, "consulent1")
    page.goto(f"{base}/caseload/inwoners/{resident.pk}/")
    header = page.locator("#dossier-header").inner_text()
    assert "verlopen" in header and "1 over datum" in header and "2 open acties" in header
    assert_accessible(page)
    save_screenshot(page, "dossier-at-a-glance.png")

    page.locator("#dossier-header").get_by_role("link", name=re.compile("opgesteld")).click()
    page.wait_for_url(re.compile(rf"/intake/{resident.pk}/plan/"))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Afgerond.*Gesprek met werkcoach")).click()
    page.wait_for_url(re.compile(rf"/intake/{resident.pk}/plan/"))
    row = page.locator("tr", has_text="Gesprek met werkcoach").inner_text()
    assert f"afgerond op {TODAY:%-d-%-m-%Y}" in row
    assert "is afgerond" in page.locator(".utrecht-alert").first.inner_text()
    assert_accessible(page)
    assert PlanAction.objects.get(description="Gesprek met werkcoach").done_on == TODAY

    # the signed date: a date in the future first (error state), then today
    page.fill("#id_sign-signed_on", (TODAY + dt.timedelta(days=3)).isoformat())
    page.locator("#plan-sign").click()
    page.wait_for_load_state()
    assert page.locator("#id_sign-signed_on_error").is_visible()
    assert_accessible(page)
    page.fill("#id_sign-signed_on", TODAY.isoformat())
    page.locator("#plan-sign").click()
    page.wait_for_url(re.compile(r"/plan/"))
    assert f"ondertekend op {TODAY:%-d-%-m-%Y}" in page.locator(".app-plan").first.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Afdrukken")).click()
    page.wait_for_url(re.compile(r"/afdrukken/"))
    assert "Cv bijwerken" in page.content()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".tools").is_visible()
    page.emulate_media(media="screen")

    page.goto(f"{base}/caseload/inwoners/{resident.pk}/")
    page.get_by_role("link", name="Samenvatting brede intake").click()
    page.wait_for_url(re.compile(r"/samenvatting/"))
    text = page.locator("main").inner_text()
    assert "Toelichting 1" in text and "Schuldhulp loopt" in text and "Werken in de zorg" in text
    assert_accessible(page)
    save_screenshot(page, "intake-summary.png")
    # the way back
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name=re.compile("Dossier")
    ).click()
    page.wait_for_url(re.compile(rf"/caseload/inwoners/{resident.pk}/$"))


def test_worklist_sorted_and_filtered_with_defaults_that_hide_nobody(page, live_server, world):
    """Issue 14: every filter starts at "alle" and the whole team shows, the count says how
    many; a column sorts both ways (aria-sort); the overdue views are one click away; the
    consulent filter offers names."""
    base = live_server.url
    login(page, base, "consulent1")
    page.goto(f"{base}/caseload/")
    assert sorted(_names(page)) == sorted(
        r.full_name for r in world["people"].values()
    )  # the colleague's residents too
    assert "4 inwoners" in page.locator("#worklist-total").inner_text()
    for select in page.locator(".app-filters select").all():
        assert select.evaluate("s => s.options[s.selectedIndex].text") == "alle"
    assert_accessible(page)
    save_screenshot(page, "worklist-sorted.png")

    page.locator('th[data-sort-key="contact"] a').click()
    page.wait_for_url(re.compile(r"sort=contact"))
    assert page.get_attribute('th[data-sort-key="contact"]', "aria-sort") == "ascending"
    assert _names(page) == ["Kees Bakker", "Kees Jansen", "Fatima Zwartjes", "Kees Achterberg"]
    page.locator('th[data-sort-key="contact"] a').click()
    page.wait_for_url(re.compile(r"sort=-contact"))
    assert page.get_attribute('th[data-sort-key="contact"]', "aria-sort") == "descending"
    assert _names(page)[0] == "Fatima Zwartjes"
    assert_accessible(page)

    page.get_by_role("link", name="Acties over datum").first.click()
    page.wait_for_url(re.compile(r"actions=verlopen"))
    assert _names(page) == ["Fatima Zwartjes"]
    page.get_by_role("link", name="Geen contact in 12 maanden").click()
    page.wait_for_url(re.compile(r"contact_overdue=1"))
    assert sorted(_names(page)) == ["Kees Achterberg", "Kees Bakker"]
    page.get_by_role("link", name="Herbeoordeling verlopen").click()
    page.wait_for_url(re.compile(r"reassessment_due=1"))
    assert _names(page) == ["Fatima Zwartjes"]
    assert_accessible(page)

    page.get_by_role("link", name="Alle inwoners").click()
    page.select_option("#id_consulent", label="Bram Visser")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"consulent="))
    assert sorted(_names(page)) == ["Kees Achterberg", "Kees Jansen"]
    assert "2 inwoners" in page.locator("#worklist-total").inner_text()
    assert_accessible(page)


def test_error_pages_accessible(page, live_server, world):
    """Issue 14: the 404 and 403 pages in the layout, with next steps, pass axe."""
    base = live_server.url
    login(page, base, "consulent1")
    page.goto(f"{base}/caseload/inwoners/999999999/")
    assert "Wat kunt u doen?" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{base}/caseload/export.csv")
    assert "Geen toegang" in page.locator("main").inner_text()
    assert_accessible(page)
