import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseload.models import GroupAssignment, Resident
from common.exceptions import DomainError
from intake import services
from intake.models import CapacityAssessment, GroupProposalRule, Intake, PlanVanAanpak
from tests import factories

pytestmark = pytest.mark.django_db


def fill(intake, by, work=4, other=4, barriers=None, education=None):
    for step, score in zip(range(1, 6), [work, other, other, other, other], strict=True):
        services.intake_step_save(
            intake=intake, step=step, data={"score": score, "notes": f"stap {step}"}, by=by
        )
    services.intake_step_save(intake=intake, step=6, data=barriers or {}, by=by)
    services.intake_step_save(
        intake=intake,
        step=7,
        data=education
        or {"education_level": "mbo2", "has_startkwalificatie": True, "wishes": "Zorg"},
        by=by,
    )
    return Intake.objects.get(pk=intake.pk)


def test_default_rules_are_seeded():
    assert GroupProposalRule.objects.filter(municipality=None).count() == 3


def test_start_resumes_existing_draft(resident, consulent):
    first = services.intake_start(resident=resident, by=consulent)
    assert services.intake_start(resident=resident, by=consulent) == first


def test_one_draft_per_resident_constraint(resident, consulent):
    services.intake_start(resident=resident, by=consulent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.create(resident=resident, started_by=consulent)


def test_one_assessment_per_capacity_and_score_range(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    CapacityAssessment.objects.create(intake=intake, capacity="werk", score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityAssessment.objects.create(intake=intake, capacity="werk", score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityAssessment.objects.create(intake=intake, capacity="fysiek", score=6)


def test_override_without_reason_refused_by_database(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(
            status="afgerond", completed_at=timezone.now(), proposed_group=1, confirmed_group=2
        )


def test_step_save_moves_resume_point_and_keeps_values(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    services.intake_step_save(intake=intake, step=1, data={"score": 3, "notes": "x"}, by=consulent)
    services.intake_step_save(intake=intake, step=2, data={"score": 2}, by=consulent)
    services.intake_step_save(intake=intake, step=1, data={"score": 4, "notes": "y"}, by=consulent)
    intake.refresh_from_db()
    assert intake.current_step == 3
    assert dict(intake.assessments.values_list("capacity", "score")) == {
        "werk": 4,
        "financieel": 2,
    }


@pytest.mark.parametrize("score", [0, 6, "", None, "abc"])
def test_step_save_refuses_bad_score(resident, consulent, score):
    intake = services.intake_start(resident=resident, by=consulent)
    with pytest.raises(DomainError) as exc:
        services.intake_step_save(intake=intake, step=1, data={"score": score}, by=consulent)
    assert exc.value.field == "score"


def test_education_step_updates_resident(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    services.intake_step_save(
        intake=intake,
        step=7,
        data={"education_level": "vmbo", "has_startkwalificatie": False, "language_level": "b1"},
        by=consulent,
    )
    resident.refresh_from_db()
    assert (resident.education_level, resident.has_startkwalificatie, resident.language_level) == (
        "vmbo",
        False,
        "b1",
    )


def test_education_step_refuses_startkwalificatie_with_low_level(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    with pytest.raises(DomainError) as exc:
        services.intake_step_save(
            intake=intake,
            step=7,
            data={"education_level": "vmbo", "has_startkwalificatie": True},
            by=consulent,
        )
    assert exc.value.field == "has_startkwalificatie"


def test_complete_confirms_proposal_and_assigns_group(resident, consulent):
    intake = fill(services.intake_start(resident=resident, by=consulent), consulent)
    proposal = services.intake_group_propose(intake=intake)
    assert proposal.group == 1
    intake = services.intake_complete(intake=intake, confirmed_group=1, by=consulent)
    assignment = GroupAssignment.objects.get(resident=resident, ended_on__isnull=True)
    assert assignment.group == 1 and intake.group_assignment == assignment
    assert assignment.reason.startswith("Brede intake: ")
    assert intake.status == "afgerond" and intake.proposed_group == 1
    with pytest.raises(DomainError):
        services.intake_step_save(intake=intake, step=1, data={"score": 2}, by=consulent)


def test_override_requires_reason(resident, consulent):
    intake = fill(services.intake_start(resident=resident, by=consulent), consulent)
    with pytest.raises(DomainError) as exc:
        services.intake_complete(intake=intake, confirmed_group=2, by=consulent)
    assert exc.value.field == "override_reason"
    assert not GroupAssignment.objects.filter(resident=resident).exists()
    intake = services.intake_complete(
        intake=intake, confirmed_group=2, override_reason="Wil eerst scholing", by=consulent
    )
    assert intake.is_override and intake.confirmed_group == 2
    assert "Wil eerst scholing" in GroupAssignment.objects.get(resident=resident).reason


def test_complete_needs_all_steps(resident, consulent):
    intake = services.intake_start(resident=resident, by=consulent)
    services.intake_step_save(intake=intake, step=1, data={"score": 4}, by=consulent)
    with pytest.raises(DomainError):
        services.intake_complete(intake=intake, confirmed_group=1, by=consulent)


def test_barrier_changes_proposal(resident, consulent):
    intake = fill(
        services.intake_start(resident=resident, by=consulent), consulent, barriers={"has_debts": 1}
    )
    proposal = services.intake_group_propose(intake=intake)
    assert proposal.group == 2


def test_municipality_rules_replace_general_rules(resident, consulent):
    GroupProposalRule.objects.create(
        municipality=resident.municipality, priority=1, group=3, reason="Eigen regel"
    )
    intake = fill(services.intake_start(resident=resident, by=consulent), consulent)
    assert services.intake_group_propose(intake=intake).reason == "Eigen regel"


def test_education_first_for_young_resident_without_startkwalificatie(team, consulent):
    young = factories.ResidentFactory(
        young_without_startkwalificatie=True, team=team, household__municipality=team.municipality
    )
    intake = services.intake_start(resident=young, by=consulent)
    assert services.intake_education_first(intake=intake) is True
    intake = fill(
        intake,
        consulent,
        education={"education_level": "vmbo", "has_startkwalificatie": False},
    )
    intake = services.intake_complete(intake=intake, confirmed_group=1, by=consulent)
    assert intake.education_first is True


def test_plan_create_computes_saving(resident, consulent):
    factories.MunicipalityYearFactory(
        municipality=resident.municipality, year=timezone.localdate().year
    )
    due = timezone.localdate() + dt.timedelta(days=30)
    plan = services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk in de zorg",
        commitments="Solliciteert wekelijks",
        expected_outflow="gedeeltelijk",
        partial_fraction=Decimal("0.5"),
        actions=[{"description": "Cv maken", "due_on": due, "owner": "inwoner"}],
    )
    assert plan.expected_saving == Decimal("7200.00")
    assert plan.actions.count() == 1
    services.plan_action_add(plan=plan, description="Gesprek", due_on=due, owner="consulent")
    assert plan.actions.count() == 2


def test_plan_without_configured_year_has_no_saving(resident, consulent):
    plan = services.plan_create(
        resident=resident, by=consulent, goals="a", commitments="b", expected_outflow="volledig"
    )
    assert plan.expected_saving is None and plan.expected_fraction == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"goals": ""}, "goals"),
        ({"commitments": " "}, "commitments"),
        ({"expected_outflow": "gedeeltelijk"}, "partial_fraction"),
        ({"expected_outflow": "gedeeltelijk", "partial_fraction": Decimal(1)}, "partial_fraction"),
        (
            {"actions": [{"description": "x", "due_on": dt.date(2000, 1, 1)}]},
            "actions-0-due_on",
        ),
    ],
)
def test_plan_create_refusals(resident, consulent, kwargs, field):
    base = {"goals": "a", "commitments": "b"}
    with pytest.raises(DomainError) as exc:
        services.plan_create(resident=resident, by=consulent, **(base | kwargs))
    assert exc.value.field == field
    assert not PlanVanAanpak.objects.exists()


def test_plan_fraction_constraint(resident, consulent):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVanAanpak.objects.create(
            resident=resident,
            goals="a",
            commitments="b",
            expected_outflow="volledig",
            expected_fraction=Decimal("0.5"),
            business_case_year=2026,
            created_by=consulent,
        )


def test_resident_unchanged_elsewhere(resident, consulent):
    before = Resident.objects.values("first_name", "team_id").get(pk=resident.pk)
    intake = services.intake_start(resident=resident, by=consulent)
    fill(intake, consulent)
    assert Resident.objects.values("first_name", "team_id").get(pk=resident.pk) == before


def test_point_2_education_step_tells_the_case_change_listeners(
    resident, consulent, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 16, point 2: the intake's education step writes the resident through
    caseload.services.resident_update, so the indicators are told (after commit), like any other
    change of the resident's details; an unchanged save tells nobody."""
    from caseload import services as caseload_services

    told: list[tuple[int, dt.date]] = []
    monkeypatch.setattr(
        caseload_services, "_case_change_listeners", [lambda m, d: told.append((m, d))]
    )
    intake = services.intake_start(resident=resident, by=consulent)
    education = {"education_level": "vmbo", "has_startkwalificatie": False, "language_level": "b1"}
    with django_capture_on_commit_callbacks(execute=True):
        services.intake_step_save(intake=intake, step=7, data=education, by=consulent)
    assert told == [(resident.municipality_id, timezone.localdate())]
    with django_capture_on_commit_callbacks(execute=True):
        services.intake_step_save(intake=intake, step=7, data=education, by=consulent)
    assert len(told) == 1
