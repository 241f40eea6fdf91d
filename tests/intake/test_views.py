import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload.models import GroupAssignment
from intake import services
from intake.models import Intake, PlanVanAanpak
from intake.selectors import intake_timeline_entries
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, consulent):
    client.force_login(consulent)
    return client


def step_url(resident, n):
    return reverse("intake:step", kwargs={"resident_id": resident.pk, "step": n})


def start(client, resident):
    return client.post(reverse("intake:intake", kwargs={"resident_id": resident.pk}))


def test_start_page_then_start_redirects_to_step_1(client_in, resident):
    url = reverse("intake:intake", kwargs={"resident_id": resident.pk})
    page = client_in.get(url)
    assert page.status_code == 200 and "Intake starten" in page.content.decode()
    response = start(client_in, resident)
    assert response.status_code == 302 and response.url == step_url(resident, 1)
    assert (
        'for="id_score">Score werkvermogen' in client_in.get(step_url(resident, 1)).content.decode()
    )


def test_reload_resumes_at_saved_step_with_saved_values(client_in, resident):
    start(client_in, resident)
    r = client_in.post(step_url(resident, 1), {"score": "4", "notes": "Kan 32 uur per week"})
    assert r.status_code == 302 and r.url == step_url(resident, 2)
    client_in.post(step_url(resident, 2), {"score": "2", "notes": "Budgetbeheer"})
    # a "reload": open the intake again from the start
    r = client_in.get(reverse("intake:intake", kwargs={"resident_id": resident.pk}))
    assert r.url == step_url(resident, 3)
    back = client_in.get(step_url(resident, 1)).content.decode()
    assert 'value="4" selected' in back and "Kan 32 uur per week" in back
    # a step beyond the resume point sends back to it
    assert client_in.get(step_url(resident, 6)).url == step_url(resident, 3)


def test_error_state_keeps_input_and_marks_field(client_in, resident):
    start(client_in, resident)
    r = client_in.post(step_url(resident, 1), {"score": "", "notes": "Wat ik typte"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "Wat ik typte" in html
    assert 'id="id_score_error"' in html and 'aria-invalid="true"' in html
    assert "Kies een score van 1 tot en met 5." in html
    # the summary in the words of the other forms, and a score the form did not offer gets the
    # same message (the walk of 4 December: "Selecteer een geldige keuze. 9 is geen ...")
    assert "Het formulier is niet opgeslagen: 1 fout." in html
    html = client_in.post(step_url(resident, 1), {"score": "9", "notes": "x"}).content.decode()
    assert "Kies een score van 1 tot en met 5." in html and "geldige keuze" not in html


def test_a_choice_the_form_did_not_offer_gets_a_plain_dutch_message():
    """Every UI form: a posted value that is none of a choice field's options."""
    from caseload.forms import OutflowForm

    form = OutflowForm(data={"kind": "bestaat-niet"})
    assert not form.is_valid()
    assert form.errors["kind"] == ["Kies een van de mogelijkheden uit de lijst."]


def test_education_error_and_prompt(client_in, team):
    young = factories.ResidentFactory(
        young_without_startkwalificatie=True, team=team, household__municipality=team.municipality
    )
    start(client_in, young)
    intake = Intake.objects.get(resident=young)
    Intake.objects.filter(pk=intake.pk).update(current_step=7)
    page = client_in.get(step_url(young, 7)).content.decode()
    assert 'id="education-first"' in page
    r = client_in.post(
        step_url(young, 7),
        {"education_level": "vmbo", "has_startkwalificatie": "on", "wishes": "Kapper worden"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "Kapper worden" in html and "geen startkwalificatie" in html


def walk_to_proposal(client, resident, work="4", barriers=None):
    start(client, resident)
    for n in range(1, 6):
        assert (
            client.post(step_url(resident, n), {"score": work if n == 1 else "4"}).status_code
            == 302
        )
    assert client.post(step_url(resident, 6), barriers or {}).status_code == 302
    r = client.post(
        step_url(resident, 7), {"education_level": "mbo2", "has_startkwalificatie": "on"}
    )
    assert r.url == step_url(resident, 8)


def test_proposal_override_needs_reason_then_completes(client_in, resident):
    walk_to_proposal(client_in, resident)
    page = client_in.get(step_url(resident, 8)).content.decode()
    assert "Voorstel: groep 1" in page and 'id="proposal-reason"' in page
    r = client_in.post(step_url(resident, 8), {"confirmed_group": "2", "override_reason": ""})
    assert r.status_code == 422 and 'id="id_override_reason_error"' in r.content.decode()
    assert not GroupAssignment.objects.filter(resident=resident).exists()
    r = client_in.post(
        step_url(resident, 8), {"confirmed_group": "2", "override_reason": "Eerst taal"}
    )
    assert r.status_code == 302 and r.url == reverse("intake:plan", args=[resident.pk])
    assert GroupAssignment.objects.get(resident=resident).group == 2


def test_plan_form_creates_plan_and_keeps_input_on_error(client_in, resident):
    factories.MunicipalityYearFactory(
        municipality=resident.municipality, year=timezone.localdate().year
    )
    url = reverse("intake:plan", kwargs={"resident_id": resident.pk})
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    r = client_in.post(
        url,
        {
            "goals": "Werk",
            "commitments": "",
            "expected_outflow": "gedeeltelijk",
            "action_1_description": "Cv maken",
            "action_1_due_on": due,
            "action_1_owner": "inwoner",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422 and "Cv maken" in html
    assert 'id="id_commitments_error"' in html and 'id="id_partial_percentage_error"' in html
    r = client_in.post(
        url,
        {
            "goals": "Werk",
            "commitments": "Solliciteert",
            "expected_outflow": "gedeeltelijk",
            "partial_percentage": "50",
            "action_1_description": "Cv maken",
            "action_1_due_on": due,
            "action_1_owner": "inwoner",
            "action_2_owner": "inwoner",
            "action_3_owner": "inwoner",
        },
    )
    assert r.status_code == 302
    plan = PlanVanAanpak.objects.get(resident=resident)
    assert str(plan.expected_saving) == "7200.00" and plan.actions.count() == 1
    page = client_in.get(url).content.decode()
    assert "€ 7.200,00" in page and "Cv maken" in page


def test_other_team_gets_404(client, resident):
    outsider = factories.UserFactory()
    client.force_login(outsider)
    for url in [
        reverse("intake:intake", args=[resident.pk]),
        step_url(resident, 1),
        reverse("intake:plan", args=[resident.pk]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"score": "4"}).status_code == 404
    assert not Intake.objects.exists()


def test_manager_gets_404(client, resident):
    client.force_login(factories.UserFactory(manager=True))
    assert client.get(reverse("intake:intake", args=[resident.pk])).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_intake_step_query_count_is_fixed(client_in, resident, consulent):
    walk_to_proposal(client_in, resident)
    few = _count(client_in, step_url(resident, 3))
    # more history: completed intakes and assessments do not add queries
    intake = Intake.objects.get(resident=resident)
    services.intake_complete(intake=intake, confirmed_group=1, by=consulent)
    for _ in range(3):
        GroupAssignment.objects.filter(resident=resident).update(
            decided_on=dt.date(2020, 1, 1), reassess_on=dt.date(2021, 1, 1)
        )
        walk_to_proposal(client_in, resident)
        services.intake_complete(
            intake=Intake.objects.get(resident=resident, status="concept"),
            confirmed_group=1,
            by=consulent,
        )
    walk_to_proposal(client_in, resident)
    assert _count(client_in, step_url(resident, 3)) == few
    assert _count(client_in, step_url(resident, 8)) <= few + 2


def test_timeline_entries_fixed_queries(resident, consulent, django_assert_num_queries):
    intake = services.intake_start(resident=resident, by=consulent)
    for n in range(1, 6):
        services.intake_step_save(intake=intake, step=n, data={"score": 4}, by=consulent)
    services.intake_step_save(intake=intake, step=6, data={}, by=consulent)
    services.intake_step_save(intake=intake, step=7, data={"education_level": "mbo2"}, by=consulent)
    services.intake_complete(intake=intake, confirmed_group=1, by=consulent)
    due = timezone.localdate() + dt.timedelta(days=5)
    for _ in range(3):
        services.plan_create(
            resident=resident,
            by=consulent,
            goals="g",
            commitments="c",
            actions=[{"description": "a", "due_on": due}, {"description": "b", "due_on": due}],
        )
    with django_assert_num_queries(3):
        entries = intake_timeline_entries(resident)
    kinds = [e.kind for e in entries]
    assert kinds.count("intake_started") == 1 and kinds.count("intake_completed") == 1
    assert kinds.count("plan") == 3
    completed = next(e for e in entries if e.kind == "intake_completed")
    assert completed.extra["proposed_group"] == 1 and completed.extra["confirmed_group"] == 1
