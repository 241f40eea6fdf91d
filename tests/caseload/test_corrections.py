"""Issue 14, "Correct mistakes, never delete": every recorded fact can be corrected or withdrawn
with a reason; the original stays in the history, the dossier timeline shows it, the indicators
are recomputed for the affected periods and the processing log records it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from caseload import selectors, services
from caseload.models import (
    Benefit,
    ContactMoment,
    Correction,
    GroupAssignment,
    LadderScore,
    OutflowEvent,
    Trajectory,
)
from common import clock
from common.exceptions import DomainError
from intake import services as intake_services
from intake.models import PlanAction
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = clock.today()
REASON = "Verkeerde datum overgenomen uit de brief"


@pytest.fixture
def recomputes(django_capture_on_commit_callbacks):
    """The case-change listener calls (municipality id, affected_from) the services make."""
    calls: list[tuple[int, dt.date]] = []

    def listener(municipality_id, affected_from):
        calls.append((municipality_id, affected_from))

    services.case_change_listener_register(listener)
    yield calls
    services._case_change_listeners.remove(listener)


def _log(resident, fact_type):
    return list(
        ProcessingRecord.objects.filter(
            object_type=f"correctie:{fact_type}",
            subjects__contains=[resident_pseudonym(resident.pk)],
        )
    )


def _trajectory(resident, consulent, **kw):
    return factories.TrajectoryFactory(
        resident=resident, created_by=consulent, instrument__name="Werkfit", **kw
    )


# --- Trajectories -------------------------------------------------------------------------------


def test_trajectory_wrong_start_corrected_history_kept_and_recompute_from_earliest(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.trajectory_correct(
            trajectory=t, by=consulent, reason=REASON, changes={"started_on": D(2025, 1, 15)}
        )
    t.refresh_from_db()
    assert t.started_on == D(2025, 1, 15)
    c = Correction.objects.get(fact_type="traject", fact_id=t.pk)
    assert c.kind == "gecorrigeerd" and c.reason == REASON and c.by == consulent
    assert c.before["started_on"] == "2025-03-01" and c.before["instrument_id"] == t.instrument_id
    assert c.changed_fields == ["started_on"] and c.after == {"started_on": "2025-01-15"}
    assert recomputes == [(resident.municipality_id, D(2025, 1, 15))]
    [record] = _log(resident, "traject")
    assert record.action == "update" and record.object_id == str(t.pk)
    assert record.username == consulent.username


def test_trajectory_corrected_to_a_later_start_recomputes_from_the_old_one(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.trajectory_correct(
            trajectory=t, by=consulent, reason=REASON, changes={"started_on": D(2025, 6, 1)}
        )
    assert recomputes == [(resident.municipality_id, D(2025, 3, 1))]


def test_trajectory_planned_ahead_is_gepland_not_current(resident, consulent):
    """A trajectory may start after today: it is "gepland"; the worklist and dossier show the
    trajectory that runs today."""
    running = services.trajectory_start(
        resident=resident,
        instrument=factories.InstrumentFactory(name="Sollicitatietraining"),
        started_on=TODAY - dt.timedelta(days=30),
        by=consulent,
    )
    planned = services.trajectory_start(
        resident=resident,
        instrument=factories.InstrumentFactory(name="Werkervaringsplaats"),
        started_on=TODAY + dt.timedelta(days=20),
        by=consulent,
    )
    assert planned.status_on(TODAY) == "gepland" and running.status_on(TODAY) == "lopend"
    assert list(Trajectory.objects.running(TODAY)) == [running]
    assert list(Trajectory.objects.planned(TODAY)) == [planned]
    row = selectors.worklist(user=consulent).get(pk=resident.pk)
    assert row.current_trajectory == "Sollicitatietraining"
    timeline = selectors.resident_timeline(user=consulent, resident=resident)
    titles = [e.title for e in timeline if e.kind == "trajectory_start"]
    assert "Traject gepland: Werkervaringsplaats" in titles
    assert "Traject gestart: Sollicitatietraining" in titles


def test_only_a_planned_trajectory_is_not_current(resident, consulent):
    services.trajectory_start(
        resident=resident,
        instrument=factories.InstrumentFactory(name="Werkervaringsplaats"),
        started_on=TODAY + dt.timedelta(days=20),
        by=consulent,
    )
    assert selectors.worklist(user=consulent).get(pk=resident.pk).current_trajectory is None


def test_trajectory_corrected_into_the_future_becomes_planned(resident, consulent):
    t = _trajectory(resident, consulent, started_on=TODAY - dt.timedelta(days=3))
    services.trajectory_correct(
        trajectory=t,
        by=consulent,
        reason="Start is volgende maand",
        changes={"started_on": TODAY + dt.timedelta(days=30)},
    )
    t.refresh_from_db()
    assert t.status_on(TODAY) == "gepland"


def test_trajectory_correction_is_validated_like_a_new_one(resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    cases = [
        ({"ended_on": D(2025, 2, 1), "result": "afgerond"}, "ended_on"),
        ({"ended_on": D(2025, 4, 1)}, "result"),  # an end needs a result
        ({"result": "afgerond"}, "result"),  # a result needs an end
        ({"ended_on": TODAY + dt.timedelta(days=2), "result": "afgerond"}, "ended_on"),
        ({"planned_end_on": D(2025, 1, 1)}, "planned_end_on"),
        ({"cost": Decimal(-1)}, "cost"),
    ]
    for changes, field in cases:
        with pytest.raises(DomainError) as exc:
            services.trajectory_correct(trajectory=t, by=consulent, reason=REASON, changes=changes)
        assert exc.value.field == field, changes
    t.refresh_from_db()
    assert t.started_on == D(2025, 3, 1) and t.ended_on is None
    assert not Correction.objects.exists()


def test_trajectory_withdrawn_row_gone_whole_row_in_history(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1), provider="Werkbedrijf")
    pk = t.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.trajectory_withdraw(trajectory=t, by=consulent, reason="Dubbel vastgelegd")
    assert not Trajectory.objects.filter(pk=pk).exists()
    c = Correction.objects.get(fact_type="traject", fact_id=pk)
    assert c.kind == "ingetrokken" and c.changed_fields == []
    assert c.before["provider"] == "Werkbedrijf" and c.before["started_on"] == "2025-03-01"
    assert c.before["resident_id"] == resident.pk and "bsn" not in c.before
    assert recomputes == [(resident.municipality_id, D(2025, 3, 1))]
    [record] = _log(resident, "traject")
    assert record.action == "delete"


# --- Outflow ------------------------------------------------------------------------------------


def _full_outflow(resident, consulent, on=None):
    benefit = factories.BenefitFactory(applicant=resident, start_date=D(2024, 1, 1))
    work = _trajectory(resident, consulent, started_on=D(2025, 1, 1))
    event = services.outflow_record(
        resident=resident,
        kind="volledig",
        reason="werk",
        occurred_on=on or D(2025, 5, 1),
        by=consulent,
        hours_per_week=Decimal(32),
        contract_type="vast",
        employer="Zorggroep",
    )
    return benefit, work, event


def test_full_outflow_withdrawn_benefit_and_trajectory_run_again(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    benefit, work, event = _full_outflow(resident, consulent)
    work.refresh_from_db()
    assert work.ended_on == D(2025, 5, 1)  # closed by the outflow
    with django_capture_on_commit_callbacks(execute=True):
        services.outflow_withdraw(event=event, by=consulent, reason="Baan ging niet door")
    assert not OutflowEvent.objects.filter(pk=event.pk).exists()
    benefit.refresh_from_db()
    work.refresh_from_db()
    assert benefit.end_date is None and benefit.end_reason == ""
    assert work.ended_on is None and work.result == ""
    c = Correction.objects.get(fact_type="uitstroom", fact_id=event.pk)
    assert c.before["employer"] == "Zorggroep" and c.before["occurred_on"] == "2025-05-01"
    assert {(r["object"], r["id"], r["field"]) for r in c.related} == {
        ("uitkering", benefit.pk, "end_date"),
        ("traject", work.pk, "ended_on"),
    }
    assert (resident.municipality_id, D(2025, 5, 1)) in recomputes
    assert [r.action for r in _log(resident, "uitstroom")] == ["delete"]


def test_full_outflow_date_corrected_moves_the_benefit_end(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    benefit, work, event = _full_outflow(resident, consulent)
    with django_capture_on_commit_callbacks(execute=True):
        services.outflow_correct(
            event=event, by=consulent, reason=REASON, changes={"occurred_on": D(2025, 4, 1)}
        )
    benefit.refresh_from_db()
    work.refresh_from_db()
    assert benefit.end_date == D(2025, 4, 1) and work.ended_on == D(2025, 4, 1)
    assert recomputes[-1] == (resident.municipality_id, D(2025, 4, 1))
    c = Correction.objects.get(fact_type="uitstroom")
    # walk-through finding: the unanswered follow-ups (None before and after) are not listed
    assert c.before["occurred_on"] == "2025-05-01" and c.changed_fields == ["occurred_on"]


def test_full_outflow_date_corrected_clears_an_answered_follow_up(resident, consulent):
    """The follow-up is measured from the outflow date: an answered one is cleared and listed,
    one still unanswered is not."""
    _, _, event = _full_outflow(resident, consulent)
    OutflowEvent.objects.filter(pk=event.pk).update(still_off_benefit_6m=True)
    services.outflow_correct(
        event=event, by=consulent, reason=REASON, changes={"occurred_on": D(2025, 4, 1)}
    )
    event.refresh_from_db()
    assert event.still_off_benefit_6m is None
    c = Correction.objects.get(fact_type="uitstroom")
    assert c.changed_fields == ["occurred_on", "still_off_benefit_6m"]
    assert c.after["still_off_benefit_6m"] is None and c.before["still_off_benefit_6m"] is True


def test_outflow_kind_is_not_corrected_but_withdrawn(resident, consulent):
    _, _, event = _full_outflow(resident, consulent)
    with pytest.raises(DomainError) as exc:
        services.outflow_correct(
            event=event, by=consulent, reason=REASON, changes={"kind": "gedeeltelijk"}
        )
    assert exc.value.code == "field"
    with pytest.raises(DomainError) as exc:
        services.outflow_correct(
            event=event, by=consulent, reason=REASON, changes={"hours_per_week": Decimal(0)}
        )
    assert exc.value.field == "hours_per_week"


def test_withdrawn_outflow_no_longer_counts_in_outflow_to_work(resident, consulent, team):
    """The figure follows the withdrawal, through the real fill (from the correction's date)."""
    from indicators.fill import indicator_values_fill
    from indicators.models import IndicatorValue

    _, _, event = _full_outflow(resident, consulent)

    def to_work_2025():
        indicator_values_fill(
            municipality_id=team.municipality_id, codes=["outflow.to_work"], year=2025
        )
        return IndicatorValue.objects.get(
            municipality_id=team.municipality_id,
            code="outflow.to_work",
            period_kind="year",
            period_start=D(2025, 1, 1),
            dimension="",
        ).value

    assert to_work_2025() == 1
    services.outflow_withdraw(event=event, by=consulent, reason="Baan ging niet door")
    correction = Correction.objects.get()
    indicator_values_fill(
        municipality_id=team.municipality_id,
        codes=["outflow.to_work"],
        affected_from=correction.affected_from,
    )
    assert (
        IndicatorValue.objects.get(
            municipality_id=team.municipality_id,
            code="outflow.to_work",
            period_kind="year",
            period_start=D(2025, 1, 1),
            dimension="",
        ).value
        == 0
    )


# --- Contacts, ladder, groups -------------------------------------------------------------------


def test_contact_corrected_and_withdrawn(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_correct(
            contact=contact,
            by=consulent,
            reason="Was telefonisch",
            changes={"channel": "telefoon", "occurred_on": D(2025, 3, 20)},
        )
    contact.refresh_from_db()
    assert contact.channel == "telefoon" and contact.occurred_on == D(2025, 3, 20)
    assert recomputes[-1] == (resident.municipality_id, D(2025, 3, 20))
    with pytest.raises(DomainError) as exc:
        services.contact_correct(
            contact=contact,
            by=consulent,
            reason=REASON,
            changes={"occurred_on": TODAY + dt.timedelta(days=1)},
        )
    assert exc.value.field == "occurred_on"
    services.contact_withdraw(contact=contact, by=consulent, reason="Verkeerde inwoner")
    assert not ContactMoment.objects.filter(pk=contact.pk).exists()
    kinds = list(
        Correction.objects.filter(fact_type="contact").order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["gecorrigeerd", "ingetrokken"]
    assert [r.action for r in _log(resident, "contact")] == ["delete", "update"]


def test_ladder_score_corrected_and_withdrawn(resident, consulent):
    score = factories.LadderScoreFactory(resident=resident, by=consulent)
    factories.LadderScoreFactory(resident=resident, by=consulent, measured_on=D(2025, 6, 1))
    with pytest.raises(DomainError) as exc:  # another measurement that day
        services.ladder_score_correct(
            score=score, by=consulent, reason=REASON, changes={"measured_on": D(2025, 6, 1)}
        )
    assert exc.value.field == "measured_on"
    services.ladder_score_correct(score=score, by=consulent, reason=REASON, changes={"step": 5})
    score.refresh_from_db()
    assert score.step == 5
    services.ladder_score_withdraw(score=score, by=consulent, reason="Dubbel")
    assert not LadderScore.objects.filter(pk=score.pk).exists()
    assert Correction.objects.filter(fact_type="ladder").count() == 2


def test_group_decision_date_corrected_moves_the_previous_end(
    resident, consulent, recomputes, django_capture_on_commit_callbacks
):
    first = services.group_assign(
        resident=resident, group=2, reason="Intake", by=consulent, decided_on=D(2025, 1, 10)
    )
    second = services.group_assign(
        resident=resident, group=1, reason="Werkfit", by=consulent, decided_on=D(2025, 6, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.group_assignment_correct(
            assignment=second,
            by=consulent,
            reason=REASON,
            changes={"decided_on": D(2025, 5, 1), "reason": "Werkfit, na gesprek"},
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_on == D(2025, 5, 1) and second.decided_on == D(2025, 5, 1)
    assert second.reason == "Werkfit, na gesprek"
    assert recomputes[-1] == (resident.municipality_id, D(2025, 5, 1))
    c = Correction.objects.get(fact_type="groep")
    assert c.related == [
        {
            "object": "groepsindeling",
            "id": first.pk,
            "field": "ended_on",
            "before": "2025-06-01",
            "after": "2025-05-01",
        }
    ]
    with pytest.raises(DomainError) as exc:  # before the previous assignment
        services.group_assignment_correct(
            assignment=second, by=consulent, reason=REASON, changes={"decided_on": D(2024, 12, 1)}
        )
    assert exc.value.field == "decided_on"


def test_current_group_withdrawn_previous_is_current_again(resident, consulent):
    first = services.group_assign(
        resident=resident, group=2, reason="Intake", by=consulent, decided_on=D(2025, 1, 10)
    )
    second = services.group_assign(
        resident=resident, group=1, reason="Vergissing", by=consulent, decided_on=D(2025, 6, 1)
    )
    services.group_assignment_withdraw(assignment=second, by=consulent, reason="Verkeerde groep")
    first.refresh_from_db()
    assert first.ended_on is None
    assert not GroupAssignment.objects.filter(pk=second.pk).exists()
    row = selectors.resident_list(user=consulent).get(pk=resident.pk)
    assert row.current_group == 2


# --- Plan actions (intake) ----------------------------------------------------------------------


def _plan_action(resident, consulent):
    plan = intake_services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk binnen een jaar",
        commitments="Solliciteert",
        actions=[{"description": "Cv bijwerken", "due_on": TODAY + dt.timedelta(days=14)}],
    )
    return plan.actions.get()


def test_plan_action_corrected_and_withdrawn(resident, consulent):
    action = _plan_action(resident, consulent)
    intake_services.plan_action_correct(
        action=action,
        by=consulent,
        reason="Tikfout",
        changes={"description": "Cv en motivatiebrief bijwerken", "owner": "samen"},
    )
    action.refresh_from_db()
    assert action.description == "Cv en motivatiebrief bijwerken" and action.owner == "samen"
    with pytest.raises(DomainError) as exc:
        intake_services.plan_action_correct(
            action=action, by=consulent, reason=REASON, changes={"due_on": D(2020, 1, 1)}
        )
    assert exc.value.field == "due_on"
    intake_services.plan_action_withdraw(action=action, by=consulent, reason="Niet afgesproken")
    assert not PlanAction.objects.filter(pk=action.pk).exists()
    c = Correction.objects.filter(fact_type="planactie").order_by("id")
    assert [x.kind for x in c] == ["gecorrigeerd", "ingetrokken"]
    assert c[1].before["description"] == "Cv en motivatiebrief bijwerken"
    assert len(_log(resident, "planactie")) == 2


# --- Reason, scope, nothing changed -------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reason_required(resident, consulent, reason):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    with pytest.raises(DomainError) as exc:
        services.trajectory_correct(
            trajectory=t, by=consulent, reason=reason, changes={"started_on": D(2025, 2, 1)}
        )
    assert exc.value.field == "correction_reason" and "reden" in exc.value.message
    with pytest.raises(DomainError):
        services.trajectory_withdraw(trajectory=t, by=consulent, reason=reason)
    assert Trajectory.objects.filter(pk=t.pk, started_on=D(2025, 3, 1)).exists()
    assert not Correction.objects.exists()


def test_scope_another_teams_consulent_and_other_roles_are_refused(resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    outsiders = [
        factories.UserFactory(team=factories.TeamFactory(municipality=resident.municipality)),
        factories.UserFactory(manager=True),
        factories.UserFactory(beheer=True),
    ]
    for outsider in outsiders:
        with pytest.raises(DomainError) as exc:
            services.trajectory_correct(
                trajectory=t, by=outsider, reason=REASON, changes={"started_on": D(2025, 2, 1)}
            )
        assert exc.value.code == "correction_not_allowed"
        with pytest.raises(DomainError):
            services.contact_withdraw(contact=contact, by=outsider, reason=REASON)
    assert Trajectory.objects.filter(pk=t.pk, started_on=D(2025, 3, 1)).exists()
    assert ContactMoment.objects.filter(pk=contact.pk).exists()
    assert not Correction.objects.exists()
    teamleider = factories.UserFactory(team=resident.team, teamleider=True)
    services.contact_withdraw(contact=contact, by=teamleider, reason=REASON)
    assert Correction.objects.get().by == teamleider


def test_a_correction_that_changes_nothing_is_refused(resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    with pytest.raises(DomainError) as exc:
        services.trajectory_correct(
            trajectory=t, by=consulent, reason=REASON, changes={"started_on": D(2025, 3, 1)}
        )
    assert exc.value.code == "nothing_changed"


def test_timeline_shows_corrections_with_reason_and_old_values(resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    services.trajectory_correct(
        trajectory=t, by=consulent, reason=REASON, changes={"started_on": D(2025, 1, 15)}
    )
    services.contact_withdraw(contact=contact, by=consulent, reason="Verkeerde inwoner")
    entries = [
        e
        for e in selectors.resident_timeline(user=consulent, resident=resident)
        if e.kind == "correction"
    ]
    texts = {e.title: e.detail for e in entries}
    assert "Traject gecorrigeerd: Werkfit" in texts
    assert REASON in texts["Traject gecorrigeerd: Werkfit"]
    assert "startdatum 1-3-2025 → 15-1-2025" in texts["Traject gecorrigeerd: Werkfit"]
    assert "Contactmoment ingetrokken" in texts
    assert "Verkeerde inwoner" in texts["Contactmoment ingetrokken"]
    assert "datum 1-4-2025" in texts["Contactmoment ingetrokken"]


# --- Views --------------------------------------------------------------------------------------


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def _url(name, resident, fact_type, fact_id):
    return reverse(
        f"caseload:{name}",
        kwargs={"resident_id": resident.pk, "fact_type": fact_type, "fact_id": fact_id},
    )


def test_dossier_offers_correct_and_withdraw_for_each_fact(client_c, resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    action = _plan_action(resident, consulent)
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    for fact_type, pk in (("traject", t.pk), ("contact", contact.pk), ("planactie", action.pk)):
        assert _url("fact_correct", resident, fact_type, pk) in html
        assert _url("fact_withdraw", resident, fact_type, pk) in html


def test_view_correct_with_errors_keeps_what_was_typed(client_c, resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    url = _url("fact_correct", resident, "traject", t.pk)
    page = client_c.get(url)
    assert page.status_code == 200
    assert 'value="2025-03-01"' in page.content.decode()  # the current value, to change
    r = client_c.post(
        url,
        {"instrument": t.instrument_id, "started_on": "2025-01-15", "cost": "0", "provider": "X"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "Geef een reden voor de correctie." in html
    assert 'value="2025-01-15"' in html and 'value="X"' in html
    t.refresh_from_db()
    assert t.started_on == D(2025, 3, 1)
    r = client_c.post(
        url,
        {
            "instrument": t.instrument_id,
            "started_on": "2025-01-15",
            "cost": "0",
            "provider": "",
            "ended_on": "2024-12-01",
            "result": "afgerond",
            "correction_reason": REASON,
        },
    )
    assert r.status_code == 422
    assert "De einddatum ligt voor de startdatum." in r.content.decode()


def test_view_correct_reports_every_broken_rule_at_once(client_c, resident, consulent):
    """The trajectory correction form showed one broken rule per submit (noticed on
    3 December): a planned end before the start, an end without a result and too many hours
    come back together, with the reason's error, and nothing is saved."""
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    r = client_c.post(
        _url("fact_correct", resident, "traject", t.pk),
        {
            "instrument": t.instrument_id,
            "started_on": "2025-03-01",
            "planned_end_on": "2025-02-01",
            "ended_on": "2025-06-01",
            "result": "",
            "cost": "0",
            "hours_per_week": "100",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    for message in (
        "Geef een reden voor de correctie.",
        "De geplande einddatum ligt voor de startdatum.",
        "Kies een resultaat.",
        "Vul een aantal uren per week in van meer dan 0 en hoogstens 80.",
    ):
        assert message in html, message
    assert 'value="2025-02-01"' in html and 'value="100"' in html
    t.refresh_from_db()
    assert (t.planned_end_on, t.ended_on) != (D(2025, 2, 1), D(2025, 6, 1))


def test_view_correct_and_withdraw_end_on_the_dossier_timeline(client_c, resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    r = client_c.post(
        _url("fact_correct", resident, "traject", t.pk),
        {
            "instrument": t.instrument_id,
            "started_on": "2025-01-15",
            "cost": "0",
            "correction_reason": REASON,
        },
    )
    assert r.status_code == 302
    records = _log(resident, "traject")
    assert len(records) == 1  # the correction's record is the request's record
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    withdraw = _url("fact_withdraw", resident, "contact", contact.pk)
    r = client_c.post(withdraw, {"correction_reason": ""})
    assert r.status_code == 422 and "Geef een reden voor de correctie." in r.content.decode()
    r = client_c.post(withdraw, {"correction_reason": "Verkeerde inwoner"}, follow=True)
    html = r.content.decode()
    assert "Traject gecorrigeerd: Werkfit" in html and REASON in html
    assert "Contactmoment ingetrokken" in html and "Verkeerde inwoner" in html


def test_view_scope_other_team_404_no_permission_403(client, resident, consulent):
    t = _trajectory(resident, consulent, started_on=D(2025, 3, 1))
    url = _url("fact_correct", resident, "traject", t.pk)
    other = factories.UserFactory(team=factories.TeamFactory(municipality=resident.municipality))
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"correction_reason": REASON}).status_code == 404
    client.force_login(factories.UserFactory(manager=True))
    assert client.get(url).status_code == 403
    client.force_login(consulent)
    assert client.get(_url("fact_correct", resident, "onbekend", t.pk)).status_code == 404
    other_resident = factories.ResidentFactory(
        team=resident.team, household__municipality=resident.municipality
    )
    # a fact of another resident through this resident's URL: as if it does not exist
    assert client.get(_url("fact_correct", other_resident, "traject", t.pk)).status_code == 404


def test_benefit_reopen_refused_when_a_new_benefit_runs(resident, consulent):
    benefit, _, event = _full_outflow(resident, consulent)
    Benefit.objects.create(
        household=resident.household, applicant=resident, regime="pw", start_date=D(2025, 9, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.outflow_withdraw(event=event, by=consulent, reason=REASON)
    assert exc.value.code == "benefit_open_exists"
    assert OutflowEvent.objects.filter(pk=event.pk).exists()


def test_corrections_are_in_the_inzage_and_anonymised_with_the_dossier(resident, consulent):
    from caseload.personal_data import caseload_anonymise, caseload_sections
    from common.personal_data import ANONYMISED

    contact = factories.ContactMomentFactory(resident=resident, by=consulent, summary="Schulden")
    services.contact_withdraw(contact=contact, by=consulent, reason="Verkeerde inwoner")
    [row] = caseload_sections(resident)["correcties"]
    assert row["reden"] == "Verkeerde inwoner"
    assert row["gegevens vóór de correctie"]["summary"] == "Schulden"
    caseload_anonymise(resident.pk)
    correction = Correction.objects.get()
    assert correction.reason == ANONYMISED and correction.before["summary"] == ANONYMISED
    assert correction.before["occurred_on"] == "2025-04-01"  # the facts stay


def test_view_every_fact_kind_has_a_working_correction_form(client_c, resident, consulent):
    """Each fact kind's form opens with the fact's values; a group (whose own field is also
    called reason) and a plan action are corrected through the page."""
    benefit, _, outflow = _full_outflow(resident, consulent)
    group = services.group_assign(
        resident=resident, group=2, reason="Intake", by=consulent, decided_on=D(2025, 1, 10)
    )
    facts = {
        "traject": _trajectory(resident, consulent, started_on=D(2025, 6, 1)).pk,
        "uitstroom": outflow.pk,
        "contact": factories.ContactMomentFactory(resident=resident, by=consulent).pk,
        "ladder": factories.LadderScoreFactory(resident=resident, by=consulent).pk,
        "groep": group.pk,
        "planactie": _plan_action(resident, consulent).pk,
    }
    for fact_type, pk in facts.items():
        for name in ("fact_correct", "fact_withdraw"):
            page = client_c.get(_url(name, resident, fact_type, pk))
            assert page.status_code == 200, (fact_type, name)
            assert "id_correction_reason" in page.content.decode()
    outflow_page = client_c.get(_url("fact_correct", resident, "uitstroom", outflow.pk))
    assert 'value="32,0"' in outflow_page.content.decode()  # Dutch number, pre-filled
    r = client_c.post(
        _url("fact_correct", resident, "groep", group.pk),
        {
            "group": "3",
            "reason": "Intake",
            "decided_on": "2025-01-10",
            "reassess_on": "2026-01-10",
            "correction_reason": "Verkeerde groep aangeklikt",
        },
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    group.refresh_from_db()
    assert group.group == 3 and group.reason == "Intake"
    r = client_c.post(
        _url("fact_correct", resident, "planactie", facts["planactie"]),
        {
            "description": "Cv bijwerken met de jobcoach",
            "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
            "owner": "samen",
            "correction_reason": "Afspraak was samen",
        },
    )
    assert r.status_code == 302
    assert PlanAction.objects.get(pk=facts["planactie"]).owner == "samen"


def test_outflow_correction_page_says_how_to_change_kind_or_reason(client_c, resident, consulent):
    """The walk of 3 December looked for the outflow's reason on its correction form: the page
    says that kind and reason are changed by withdrawing and recording it again, with the link."""
    _benefit, _work, event = _full_outflow(resident, consulent)
    page = client_c.get(_url("fact_correct", resident, "uitstroom", event.pk)).content.decode()
    assert "trek de uitstroom dan in en leg hem opnieuw vast" in page
    assert _url("fact_withdraw", resident, "uitstroom", event.pk) in page
    page = client_c.get(_url("fact_correct", resident, "traject", _work.pk)).content.decode()
    assert 'id="correct-note"' not in page


# --- The decision on an application (the walk of 3 December: M2) ------------------------------


MELDING = D(2026, 11, 2)


def _granted(resident):
    application = services.application_register(resident=resident, received_on=MELDING, regime="pw")
    return services.application_decide(
        application=application,
        outcome="toegekend",
        decided_on=D(2026, 11, 20),
        benefit_start=MELDING,
    )


def test_a_wrong_grant_is_withdrawn_and_decided_again(client_c, resident, consulent):
    """A grant from the wrong date (the walk granted a benefit from 2001) is withdrawn: the
    application is in behandeling again, its benefit is gone (kept in the correction), and it is
    decided again; the timeline offers both actions on the decision."""
    application = _granted(resident)
    benefit_id = application.benefit_id
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert _url("fact_withdraw", resident, "besluit", application.pk) in html
    assert _url("fact_correct", resident, "besluit", application.pk) in html
    r = client_c.post(
        _url("fact_withdraw", resident, "besluit", application.pk),
        {"correction_reason": "Verkeerde ingangsdatum"},
    )
    assert r.status_code == 302
    application.refresh_from_db()
    assert (application.outcome, application.decided_on, application.benefit_id) == (
        "in_behandeling",
        None,
        None,
    )
    assert not Benefit.objects.filter(pk=benefit_id).exists()
    correction = Correction.objects.get(fact_type="besluit", fact_id=application.pk)
    assert correction.kind == "ingetrokken" and correction.related[0]["id"] == benefit_id
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Besluit op aanvraag ingetrokken" in html
    assert reverse("registers:application_decide", args=[resident.pk]) in html
    services.application_decide(
        application=application,
        outcome="toegekend",
        decided_on=D(2026, 11, 25),
        benefit_start=D(2026, 11, 10),
    )


def test_a_decisions_date_and_the_benefits_start_are_corrected(resident, consulent):
    application = _granted(resident)
    services.application_decision_correct(
        application=application,
        by=consulent,
        reason=REASON,
        changes={"decided_on": D(2026, 11, 21), "benefit_start": D(2026, 11, 5)},
    )
    application.refresh_from_db()
    assert application.decided_on == D(2026, 11, 21)
    assert application.benefit.start_date == D(2026, 11, 5)
    # the rules of the decision hold: not before the melding
    with pytest.raises(DomainError) as refused:
        services.application_decision_correct(
            application=application,
            by=consulent,
            reason=REASON,
            changes={"benefit_start": D(2026, 10, 1)},
        )
    assert refused.value.field == "benefit_start"


def test_a_grant_whose_benefit_is_in_use_is_not_withdrawn(resident, consulent):
    application = _granted(resident)
    factories.BenefitPaymentFactory(benefit=application.benefit, month=D(2026, 11, 1))
    with pytest.raises(DomainError) as refused:
        services.application_decision_withdraw(application=application, by=consulent, reason=REASON)
    assert refused.value.code == "benefit_in_use"
    assert Benefit.objects.filter(pk=application.benefit_id).exists()
