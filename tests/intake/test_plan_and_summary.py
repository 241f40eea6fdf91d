"""Issue 14, "see at a glance": the completed intake in full, the scores before the group is
confirmed, plan actions done, the printable plan and its PDF, the signed date."""

import datetime as dt

import pytest
from django.urls import reverse

from common import clock
from common.exceptions import DomainError
from intake import services
from intake.models import PlanAction
from privacy.models import ProcessingRecord

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def client_in(client, consulent):
    client.force_login(consulent)
    return client


def _complete(resident, consulent, **step7):
    intake = services.intake_start(resident=resident, by=consulent)
    notes = {1: "Kan 32 uur", 2: "Budgetbeheer nodig", 3: "Rugklachten", 4: "Stabiel", 5: "Netwerk"}
    for n, score in zip(range(1, 6), [4, 2, 3, 4, 5], strict=True):
        services.intake_step_save(
            intake=intake, step=n, data={"score": score, "notes": notes[n]}, by=consulent
        )
    services.intake_step_save(
        intake=intake,
        step=6,
        data={"has_debts": True, "debts_notes": "Schuld bij energiebedrijf"},
        by=consulent,
    )
    services.intake_step_save(
        intake=intake,
        step=7,
        data={"education_level": "mbo2", "wishes": "Werken in de zorg", **step7},
        by=consulent,
    )
    return intake


def _plan(resident, consulent, *actions):
    return services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk in de zorg",
        commitments="Twee sollicitaties per week",
        actions=[{"description": d, "due_on": TODAY + dt.timedelta(days=n)} for d, n in actions],
    )


def test_finding_completed_intake_is_visible_in_full(client_in, resident, consulent):
    """Issue 14, completed intake: all scores, notes, barriers, education and wishes are
    visible afterwards (the overview showed only the groups and the reason)."""
    intake = _complete(resident, consulent)
    proposed = services.intake_group_propose(intake=intake).group
    confirmed = 3 if proposed != 3 else 2
    services.intake_complete(
        intake=intake, confirmed_group=confirmed, override_reason="Eerst schulden", by=consulent
    )
    r = client_in.get(reverse("intake:summary", args=[resident.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    for text in (
        "Kan 32 uur",
        "Budgetbeheer nodig",
        "Rugklachten",
        "Netwerk",
        "Sterk beperkt",
        "Schuld bij energiebedrijf",
        "Werken in de zorg",
        "Eerst schulden",
        f"vastgesteld: groep {confirmed}",
    ):
        assert text in html, text
    # reachable from the dossier and from the intake overview
    dossier = client_in.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert reverse("intake:summary", args=[resident.pk]) in dossier
    overview = client_in.get(reverse("intake:intake", args=[resident.pk])).content.decode()
    assert reverse("intake:summary", args=[resident.pk]) in overview


def test_summary_hides_health_without_the_grant(client, resident, consulent, settings):
    """The physical and mental capacity and the health barrier need intake.view_health."""
    intake = _complete(
        resident,
        consulent,
    )
    services.intake_complete(intake=intake, confirmed_group=2, override_reason="x", by=consulent)
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "consulent": [
            p for p in settings.ROLE_PERMISSIONS["consulent"] if p != "intake.view_health"
        ],
    }
    client.force_login(consulent)
    html = client.get(reverse("intake:summary", args=[resident.pk])).content.decode()
    assert "Rugklachten" not in html and "afgeschermd (gezondheid)" in html
    assert "Kan 32 uur" in html


def test_finding_step_8_shows_the_scores_before_confirming(client_in, resident, consulent):
    """Issue 14, completed intake: step 8 shows a summary of the scores before the consulent
    confirms the group."""
    _complete(resident, consulent)
    html = client_in.get(reverse("intake:step", args=[resident.pk, 8])).content.decode()
    scores = html[html.index('id="intake-scores"') : html.index('id="proposal"')]
    for text in ("Werkvermogen", "Financieel vermogen", "Sterk beperkt", "Budgetbeheer nodig"):
        assert text in scores, text
    assert "schulden" in scores  # the barriers present


def test_finding_plan_action_can_be_marked_done(client_in, resident, consulent):
    """Issue 14, plan van aanpak: actions can be marked done (there was no way to)."""
    plan = _plan(resident, consulent, ("CV maken", 5), ("Gesprek UWV", 9))
    action = plan.actions.get(description="CV maken")
    url = reverse("intake:plan_action_done", args=[resident.pk, plan.pk])
    before = ProcessingRecord.objects.count()
    r = client_in.post(url, {"actie": action.pk})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY
    assert ProcessingRecord.objects.count() == before + 1
    assert ProcessingRecord.objects.order_by("-id").first().action == "update"
    html = client_in.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    assert f"afgerond op {TODAY:%-d-%-m-%Y}" in html
    # again: refused with a Dutch message, nothing changes
    r = client_in.post(url, {"actie": action.pk})
    assert r.status_code == 422 and "al afgerond" in r.content.decode()
    # an id that is no action of this plan, or none: the page with a message
    for value in (10**9, "", "x"):
        r = client_in.post(url, {"actie": value})
        assert r.status_code == 422 and "hoort niet" in r.content.decode()


def test_plan_action_done_service_rules(resident, consulent):
    plan = _plan(resident, consulent, ("CV", 5))
    action = plan.actions.get()
    with pytest.raises(DomainError) as exc:
        services.plan_action_done(action=action, on=TODAY + dt.timedelta(days=1), by=consulent)
    assert exc.value.code == "future_date"
    with pytest.raises(DomainError) as exc:
        services.plan_action_done(action=action, on=TODAY - dt.timedelta(days=3), by=consulent)
    assert exc.value.code == "before_plan"
    services.plan_action_done(action=action, on=TODAY, by=consulent)
    assert PlanAction.objects.get(pk=action.pk).done_on == TODAY


def test_finding_overdue_plan_actions_show_on_the_worklist(client_in, resident, consulent):
    """Issue 14, plan van aanpak: overdue actions appear on the worklist; done ones do not."""
    plan = _plan(resident, consulent, ("CV", 5), ("Gesprek", 6))
    PlanAction.objects.filter(plan=plan).update(due_on=TODAY - dt.timedelta(days=1))
    r = client_in.get(reverse("caseload:worklist"), {"actions": "verlopen"})
    assert [x.pk for x in r.context["residents"]] == [resident.pk]
    assert r.context["residents"][0].overdue_actions == 2
    for a in plan.actions.all():
        services.plan_action_done(action=a, on=TODAY, by=consulent)
    r = client_in.get(reverse("caseload:worklist"), {"actions": "verlopen"})
    assert list(r.context["residents"]) == []


def test_finding_plan_can_be_printed_and_downloaded_as_pdf(client_in, resident, consulent):
    """Issue 14, plan van aanpak: a print page and a PDF for signature, one template."""
    plan = _plan(resident, consulent, ("CV maken", 5))
    r = client_in.get(reverse("intake:plan_print", args=[resident.pk, plan.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "plan_print.css" in html and "CV maken" in html and "Werk in de zorg" in html
    assert resident.bsn not in html
    plan_page = client_in.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    assert reverse("intake:plan_pdf", args=[resident.pk, plan.pk]) in plan_page
    r = client_in.get(reverse("intake:plan_pdf", args=[resident.pk, plan.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and len(r.content) > 2000
    assert r["Content-Disposition"].startswith("attachment")
    assert ProcessingRecord.objects.order_by("-id").first().action == "export"


def test_finding_plan_signed_date_is_recorded(client_in, resident, consulent):
    """Issue 14, plan van aanpak: the signed date is recorded; a date in the future is refused
    with the input kept."""
    plan = _plan(resident, consulent, ("CV", 5))
    url = reverse("intake:plan_sign", args=[resident.pk, plan.pk])
    future = (TODAY + dt.timedelta(days=2)).isoformat()
    r = client_in.post(url, {"sign-signed_on": future})
    assert r.status_code == 422
    html = r.content.decode()
    assert "niet in de toekomst" in html and f'value="{future}"' in html
    r = client_in.post(url, {"sign-signed_on": TODAY.isoformat()})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.signed_on == TODAY
    html = client_in.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    assert f"ondertekend op {TODAY:%-d-%-m-%Y}" in html
    dossier = client_in.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert f"ondertekend {TODAY:%-d-%-m-%Y}" in dossier
    r = client_in.post(url, {"sign-signed_on": TODAY.isoformat()})
    assert r.status_code == 422 and "al ondertekend" in r.content.decode()


def test_every_intake_page_has_a_way_back(client_in, resident, consulent):
    """Issue 14, labels: every page has a way back (dossier, intake, plan)."""
    intake = _complete(resident, consulent)
    dossier = reverse("caseload:dossier", args=[resident.pk])
    pages = [
        reverse("intake:step", args=[resident.pk, 8]),
        reverse("intake:step", args=[resident.pk, 3]),
        reverse("intake:plan", args=[resident.pk]),
        reverse("intake:summary", args=[resident.pk]),
    ]
    for url in pages:
        html = client_in.get(url).content.decode()
        assert f'href="{dossier}"' in html and 'aria-label="Kruimelpad"' in html, url
        assert f'href="{reverse("intake:plan", args=[resident.pk])}"' in html, url
    services.intake_complete(intake=intake, confirmed_group=2, override_reason="x", by=consulent)
    html = client_in.get(reverse("intake:intake", args=[resident.pk])).content.decode()
    assert f'href="{dossier}"' in html
