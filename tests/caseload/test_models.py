"""Database constraints, model validation and derived values of the caseload models.

Every constraint is exercised by a direct ORM write (``QuerySet.update``, which bypasses services,
``save()`` and ``full_clean()``) that PostgreSQL must refuse, and by a neighbouring write that it
must accept. ``CASES`` is the single table of those writes; ``test_every_constraint_has_a_case``
fails when a constraint is added (in ``Meta.constraints``, a migration's ``RunSQL`` or a field
option) without a row here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from caseload.models import (
    Application,
    Benefit,
    GroupAssignment,
    Region,
    Resident,
    Role,
    Trajectory,
    User,
)
from common.bsn import is_valid_bsn
from tests import factories as f

D = dt.date


@dataclass(frozen=True)
class Case:
    """One constraint, a row to write to, a refused write and an accepted write."""

    constraint: str
    make: Callable[[], models.Model]
    bad: dict[str, Any] | Callable[[models.Model], dict[str, Any]]
    good: dict[str, Any] | Callable[[models.Model], dict[str, Any]]
    #: constraints that are unavoidably violated by the same write (e.g. ``group >= 0`` and
    #: ``group IN (1, 2, 3)``); PostgreSQL reports the first by name
    overlaps: frozenset[str] = field(default_factory=frozenset)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.constraint}[{self.label}]" if self.label else self.constraint


def _values(spec, obj) -> dict[str, Any]:
    return spec(obj) if callable(spec) else spec


# --- builders of a valid row that has a twin (for unique constraints) -------------------------


def _second_municipality():
    f.MunicipalityFactory()
    return f.MunicipalityFactory(cbs_code="GM0001", name="Andere gemeente")


def _region_twin():
    Region.objects.create(name="Regio Gooi")
    return Region.objects.create(name="Regio Eem")


def _year_twin():
    y2026 = f.MunicipalityYearFactory(year=2026)
    return f.MunicipalityYearFactory(municipality=y2026.municipality, year=2025)


def _district_twin():
    first = f.DistrictFactory(name="Centrum")
    return f.DistrictFactory(municipality=first.municipality, name="Noord")


def _team_twin():
    first = f.TeamFactory(name="Poort")
    return f.TeamFactory(municipality=first.municipality, name="Inkomen")


def _user_twin():
    f.UserFactory(username="jansen")
    return f.UserFactory(username="pietersen")


def _resident_twin():
    first = f.ResidentFactory()
    second = f.ResidentFactory()
    second._twin_bsn = first.bsn
    return second


def _ended_benefit_beside_open():
    open_benefit = f.BenefitFactory()
    return f.BenefitFactory(applicant=open_benefit.applicant, ended_for_work=True)


def _payment_twin():
    feb = f.BenefitPaymentFactory(month=D(2024, 2, 1))
    return f.BenefitPaymentFactory(benefit=feb.benefit, month=D(2024, 1, 1))


def _granted_twin():
    first = f.ApplicationFactory(granted=True)
    second = f.ApplicationFactory(granted=True)
    second._twin_benefit = first.benefit
    return second


def _ended_group_beside_current():
    current = f.GroupAssignmentFactory(decided_on=D(2025, 1, 10), reassess_on=D(2026, 1, 10))
    return f.GroupAssignmentFactory(
        resident=current.resident,
        decided_by=current.decided_by,
        group=1,
        decided_on=D(2024, 6, 1),
        reassess_on=D(2024, 12, 1),
        ended_on=D(2025, 1, 10),
    )


def _instrument_twin():
    f.InstrumentFactory(code="test-coaching")
    return f.InstrumentFactory(code="test-stage")


def _closed_trajectory_beside_open():
    open_one = f.TrajectoryFactory()
    return f.TrajectoryFactory(
        resident=open_one.resident,
        instrument=open_one.instrument,
        created_by=open_one.created_by,
        started_on=D(2024, 3, 1),
        ended_on=D(2024, 9, 1),
        result=Trajectory.Result.COMPLETED,
    )


def _ladder_twin():
    first = f.LadderScoreFactory(measured_on=D(2025, 4, 1))
    return f.LadderScoreFactory(resident=first.resident, by=first.by, measured_on=D(2024, 10, 1))


CASES: list[Case] = [
    # --- organisation
    Case("municipality_cbs_code_format", f.MunicipalityFactory, {"cbs_code": "0402"},
         {"cbs_code": "GM0402"}),
    Case("caseload_municipality_cbs_code_key", _second_municipality, {"cbs_code": "GM9999"},
         {"cbs_code": "GM0002"}),
    Case("caseload_region_name_key", _region_twin, {"name": "Regio Gooi"},
         {"name": "Regio Vallei"}),
    Case("municipality_year_unique", _year_twin, {"year": 2026}, {"year": 2024}),
    Case("municipality_year_range", f.MunicipalityYearFactory, {"year": 1999}, {"year": 2000},
         label="1999"),
    Case("municipality_year_range", f.MunicipalityYearFactory, {"year": 2101}, {"year": 2100},
         label="2101"),
    Case("municipality_year_population_consistent", f.MunicipalityYearFactory,
         {"population_18_plus": 90_001}, {"population_18_plus": 90_000}, label="18+"),
    Case("municipality_year_population_consistent", f.MunicipalityYearFactory,
         {"population_15_64": 67_001}, {"population_15_64": 67_000}, label="15-64"),
    Case("municipality_year_population_consistent", f.MunicipalityYearFactory,
         {"population_15_74": 90_001}, {"population_15_74": 90_000}, label="15-74"),
    Case("municipality_year_cost_positive", f.MunicipalityYearFactory,
         {"average_benefit_cost": 0}, {"average_benefit_cost": Decimal("0.01")}),
    Case("caseload_municipalityyear_year_check", f.MunicipalityYearFactory, {"year": -1},
         {"year": 2030}, overlaps=frozenset({"municipality_year_range"})),
    Case("caseload_municipalityyear_population_check", f.MunicipalityYearFactory,
         {"population": -1}, {"population": 100_000},
         overlaps=frozenset({"municipality_year_population_consistent"})),
    Case("caseload_municipalityyear_population_18_plus_check", f.MunicipalityYearFactory,
         {"population_18_plus": -1}, {"population_18_plus": 0}),
    Case("caseload_municipalityyear_population_15_64_check", f.MunicipalityYearFactory,
         {"population_15_64": -1}, {"population_15_64": 0}),
    Case("caseload_municipalityyear_population_15_74_check", f.MunicipalityYearFactory,
         {"population_15_74": -1}, {"population_15_74": 58_000},
         overlaps=frozenset({"municipality_year_population_consistent"})),
    Case("district_unique_name", _district_twin, {"name": "Centrum"}, {"name": "Zuid"}),
    Case("team_unique_name", _team_twin, {"name": "Poort"}, {"name": "Jongeren"}),
    Case("user_team_role_has_team", f.UserFactory, {"team": None},
         {"team": None, "role": Role.MANAGER}, label="consulent"),
    Case("user_team_role_has_team", lambda: f.UserFactory(teamleider=True), {"team": None},
         {"team": None, "role": Role.PRIVACY}, label="teamleider"),
    Case("user_role_valid", lambda: f.UserFactory(manager=True), {"role": "wethouder"},
         {"role": Role.FINANCE}),
    Case("caseload_user_username_key", _user_twin, {"username": "jansen"},
         {"username": "de-vries"}),
    # --- households and residents
    Case("household_postcode_format", f.HouseholdFactory, {"postcode": "1211 ab"},
         {"postcode": "1211AB"}, label="lowercase"),
    Case("household_postcode_format", f.HouseholdFactory, {"postcode": "0211 AB"},
         {"postcode": "9999 ZZ"}, label="leading-zero"),
    Case("household_type_valid", f.HouseholdFactory, {"household_type": "eenpersoons"},
         {"household_type": "gehuwd"}),
    Case("caseload_household_children_count_check", f.HouseholdFactory,
         {"children_count": -1}, {"children_count": 3}),
    Case("caseload_resident_bsn_key", _resident_twin, lambda r: {"bsn": r._twin_bsn},
         {"bsn": "123456782"}),
    Case("resident_bsn_digits", f.ResidentFactory, {"bsn": "12345678a"}, {"bsn": "111222333"},
         overlaps=frozenset({"resident_bsn_elfproef"})),
    Case("resident_source_valid", f.ResidentFactory, {"source": "gok"}, {"source": "brp"}),
    Case("resident_bsn_elfproef", f.ResidentFactory, {"bsn": "123456789"},
         {"bsn": "123456782"}, label="sum-not-divisible"),
    Case("resident_bsn_elfproef", f.ResidentFactory, {"bsn": "000000000"},
         {"bsn": "111222333"}, label="all-zero"),
    Case("resident_bsn_elfproef", f.ResidentFactory, {"bsn": "000000012"},
         {"bsn": "111222333"}, label="zero-sum"),
    Case("resident_startkwalificatie_needs_level", f.ResidentFactory,
         {"education_level": "vmbo"}, {"education_level": "mbo34"}),
    # --- benefits and applications
    Case("benefit_end_after_start", f.BenefitFactory,
         {"end_date": D(2023, 12, 31), "end_reason": "11"},
         {"end_date": D(2024, 1, 1), "end_reason": "11"}),
    Case("benefit_end_reason_iff_ended", f.BenefitFactory, {"end_date": D(2024, 6, 30)},
         {"end_date": D(2024, 6, 30), "end_reason": "98"}, label="ended-without-reason"),
    Case("benefit_end_reason_iff_ended", f.BenefitFactory, {"end_reason": "11"},
         {"end_reason": ""}, label="reason-while-open"),
    Case("benefit_regime_valid", f.BenefitFactory, {"regime": "ww"}, {"regime": "ioaw"}),
    Case("benefit_one_open_per_household_regime", _ended_benefit_beside_open,
         {"end_date": None, "end_reason": ""},
         {"end_date": None, "end_reason": "", "regime": "ioaw"}),
    Case("payment_one_per_month", _payment_twin, {"month": D(2024, 2, 1)},
         {"month": D(2024, 3, 1)}),
    Case("payment_month_first_day", f.BenefitPaymentFactory, {"month": D(2024, 1, 15)},
         {"month": D(2024, 2, 1)}),
    Case("payment_offset_nonneg", f.BenefitPaymentFactory,
         {"income_offset": Decimal("-0.01")}, {"income_offset": 0}),
    Case("application_decided_iff_not_pending", f.ApplicationFactory,
         {"decided_on": D(2024, 2, 1)},
         {"decided_on": D(2024, 2, 1), "outcome": Application.Outcome.REJECTED},
         label="date-while-pending"),
    Case("application_decided_iff_not_pending", f.ApplicationFactory,
         {"outcome": Application.Outcome.WITHDRAWN},
         {"outcome": Application.Outcome.WITHDRAWN, "decided_on": D(2024, 1, 10)},
         label="outcome-without-date"),
    Case("application_decided_after_received", lambda: f.ApplicationFactory(rejected=True),
         {"decided_on": D(2024, 1, 9)}, {"decided_on": D(2024, 1, 10)}),
    Case("application_benefit_only_when_granted", lambda: f.ApplicationFactory(granted=True),
         {"outcome": Application.Outcome.REJECTED},
         {"outcome": Application.Outcome.REJECTED, "benefit": None}),
    Case("caseload_application_benefit_id_key", _granted_twin,
         lambda a: {"benefit": a._twin_benefit}, {"benefit": None, "outcome": "afgewezen"}),
    # --- groups
    Case("group_one_current_per_resident", _ended_group_beside_current, {"ended_on": None},
         {"ended_on": D(2024, 12, 1)}),
    Case("group_valid", f.GroupAssignmentFactory, {"group": 4}, {"group": 3}, label="4"),
    Case("group_valid", f.GroupAssignmentFactory, {"group": 0}, {"group": 1}, label="0"),
    Case("caseload_groupassignment_group_check", f.GroupAssignmentFactory, {"group": -1},
         {"group": 2}, overlaps=frozenset({"group_valid"})),
    Case("group_reassess_after_decision", f.GroupAssignmentFactory,
         {"reassess_on": D(2025, 1, 10)}, {"reassess_on": D(2025, 1, 11)}),
    Case("group_end_after_decision", f.GroupAssignmentFactory, {"ended_on": D(2025, 1, 9)},
         {"ended_on": D(2025, 1, 10)}),
    Case("group_reason_required", f.GroupAssignmentFactory, {"reason": ""},
         {"reason": "Herbeoordeling na traject"}),
    # --- re-integration
    Case("instrument_cost_nonneg", f.InstrumentFactory, {"default_cost": Decimal("-1")},
         {"default_cost": 0}),
    Case("caseload_instrument_code_key", _instrument_twin, {"code": "test-coaching"},
         {"code": "test-jobcoaching"}),
    Case("trajectory_end_after_start", f.TrajectoryFactory,
         {"ended_on": D(2025, 2, 28), "result": Trajectory.Result.COMPLETED},
         {"ended_on": D(2025, 3, 1), "result": Trajectory.Result.COMPLETED}),
    Case("trajectory_planned_end_after_start", f.TrajectoryFactory,
         {"planned_end_on": D(2025, 2, 28)}, {"planned_end_on": D(2025, 3, 1)}),
    Case("trajectory_result_iff_ended", f.TrajectoryFactory, {"ended_on": D(2025, 4, 1)},
         {"ended_on": D(2025, 4, 1), "result": Trajectory.Result.DROPPED_OUT},
         label="ended-without-result"),
    Case("trajectory_result_iff_ended", f.TrajectoryFactory,
         {"result": Trajectory.Result.WORK}, {"result": ""}, label="result-while-open"),
    Case("trajectory_cost_nonneg", f.TrajectoryFactory, {"cost": Decimal("-0.01")},
         {"cost": Decimal("1500.00")}),
    Case("trajectory_hours_range", f.TrajectoryFactory, {"hours_per_week": Decimal(0)},
         {"hours_per_week": Decimal("0.5")}, label="zero"),
    Case("trajectory_hours_range", f.TrajectoryFactory, {"hours_per_week": Decimal("80.5")},
         {"hours_per_week": Decimal(80)}, label="above-80"),
    Case("trajectory_one_open_per_instrument", _closed_trajectory_beside_open,
         {"ended_on": None, "result": ""},
         lambda t: {"ended_on": None, "result": "", "instrument": f.InstrumentFactory()}),
    # --- outflow
    Case("outflow_partial_is_work", lambda: f.OutflowEventFactory(other_reason=True),
         {"kind": "gedeeltelijk"},
         {"kind": "gedeeltelijk", "reason": "werk", "hours_per_week": 12, "contract_type": "oproep"}),
    Case("outflow_work_has_hours_and_contract", f.OutflowEventFactory,
         {"hours_per_week": 0}, {"hours_per_week": Decimal("0.5")}, label="zero-hours"),
    Case("outflow_work_has_hours_and_contract", f.OutflowEventFactory,
         {"hours_per_week": Decimal("80.5")}, {"hours_per_week": 80}, label="over-80"),
    Case("outflow_work_has_hours_and_contract", f.OutflowEventFactory,
         {"hours_per_week": None}, {"hours_per_week": 20}, label="no-hours"),
    Case("outflow_work_has_hours_and_contract", f.OutflowEventFactory,
         {"contract_type": ""}, {"contract_type": "uitzend"}, label="no-contract"),
    Case("outflow_hours_increase_is_partial", f.OutflowEventFactory,
         {"is_hours_increase": True}, {"is_hours_increase": True, "kind": "gedeeltelijk"}),
    # --- ladder, enforcement, debts
    Case("ladder_step_1_6", f.LadderScoreFactory, {"step": 7}, {"step": 6}, label="7"),
    Case("ladder_step_1_6", f.LadderScoreFactory, {"step": 0}, {"step": 1}, label="0"),
    Case("caseload_ladderscore_step_check", f.LadderScoreFactory, {"step": -1}, {"step": 2},
         overlaps=frozenset({"ladder_step_1_6"})),
    Case("ladder_one_per_day", _ladder_twin, {"measured_on": D(2025, 4, 1)},
         {"measured_on": D(2025, 4, 2)}),
    Case("fraud_end_after_start", f.FraudInvestigationFactory,
         {"ended_on": D(2025, 1, 31), "result": "ongewijzigd"},
         {"ended_on": D(2025, 2, 1), "result": "ongewijzigd"}),
    Case("fraud_result_iff_ended", f.FraudInvestigationFactory, {"ended_on": D(2025, 3, 1)},
         {"ended_on": D(2025, 3, 1), "result": "aangepast"}, label="ended-without-result"),
    Case("fraud_result_iff_ended", f.FraudInvestigationFactory, {"result": "beeindigd"},
         {"result": ""}, label="result-while-open"),
    Case("fraud_claim_nonneg", f.FraudInvestigationFactory, {"claim_amount": -100},
         {"claim_amount": 100}),
    Case("debt_closed_after_applied", f.DebtCaseFactory,
         {"closed_on": D(2025, 1, 14), "result": "ingetrokken"},
         {"closed_on": D(2025, 1, 15), "result": "ingetrokken"}),
    Case("debt_result_iff_closed", f.DebtCaseFactory, {"closed_on": D(2025, 6, 1)},
         {"closed_on": D(2025, 6, 1), "result": "stabilisatie"}, label="closed-without-result"),
    Case("debt_result_iff_closed", f.DebtCaseFactory, {"result": "schuldregeling"},
         {"result": ""}, label="result-while-open"),
    Case("debt_total_nonneg", f.DebtCaseFactory, {"total_debt": Decimal("-0.01")},
         {"total_debt": 0}),
    # --- corrections (issue 14)
    Case("correction_reason_required", f.CorrectionFactory, {"reason": ""},
         {"reason": "Dubbel vastgelegd"}),
    Case("correction_fact_type_valid", f.CorrectionFactory, {"fact_type": "uitkering"},
         {"fact_type": "traject"}),
    Case("correction_changes_iff_corrected", f.CorrectionFactory, {"kind": "gecorrigeerd"},
         {"kind": "gecorrigeerd", "changed_fields": ["summary"]},
         label="corrected-without-changes"),
    Case("correction_changes_iff_corrected", f.CorrectionFactory,
         {"changed_fields": ["summary"]}, {"changed_fields": []}, label="withdrawn-with-changes"),
    Case("caseload_correction_fact_id_check", f.CorrectionFactory, {"fact_id": -1},
         {"fact_id": 2}),
]  # fmt: skip

#: Tables whose constraints are Django's own (auth many-to-many), not the caseload's invariants.
FOREIGN_TABLES = {"caseload_user_groups", "caseload_user_user_permissions"}


def _violated_constraint(exc: IntegrityError) -> str | None:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_database_refuses_violation_and_accepts_neighbour(case: Case):
    obj = case.make()
    model = type(obj)
    rows = model.objects.filter(pk=obj.pk)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        rows.update(**_values(case.bad, obj))
    assert _violated_constraint(excinfo.value) in {case.constraint, *case.overlaps}

    good = _values(case.good, obj)
    assert rows.update(**good) == 1
    stored = rows.get()
    for name, value in good.items():
        assert getattr(stored, name) == value


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_full_clean_refuses_what_the_database_refuses(case: Case):
    """Model validation (admin, forms, importers) refuses the same write with a ValidationError,
    and accepts the neighbouring one."""
    obj = case.make()
    instance = type(obj).objects.get(pk=obj.pk)
    for name, value in _values(case.bad, obj).items():
        setattr(instance, name, value)
    with pytest.raises(ValidationError):
        instance.full_clean()

    instance = type(obj).objects.get(pk=obj.pk)
    for name, value in _values(case.good, obj).items():
        setattr(instance, name, value)
    instance.full_clean()


def _database_constraint_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname
              FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
             WHERE c.contype IN ('c', 'u', 'x') AND t.relname LIKE 'caseload\\_%%'
               AND NOT t.relname = ANY(%s)
            UNION
            SELECT i.relname
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
             WHERE x.indisunique AND NOT x.indisprimary AND t.relname LIKE 'caseload\\_%%'
               AND NOT t.relname = ANY(%s)
            """,
            [sorted(FOREIGN_TABLES), sorted(FOREIGN_TABLES)],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_constraint_has_a_case():
    """A constraint added to a caseload model (or to the database by a migration) without a row
    in ``CASES`` fails here."""
    covered = {case.constraint for case in CASES}
    declared = {
        constraint.name
        for model in apps.get_app_config("caseload").get_models()
        for constraint in model._meta.constraints
    }
    assert declared, "no constraints found: the enumeration is broken"
    assert declared - covered == set(), "Meta.constraints without a test case"
    in_database = _database_constraint_names()
    assert in_database - covered == set(), "database constraints without a test case"
    assert covered - in_database == set(), "test cases for constraints the database lacks"


# --- the BSN 11-test at database level --------------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bsn=st.text(alphabet="0123456789", min_size=9, max_size=9))
@example(bsn="000000000")
@example(bsn="000000012")  # weighted sum 0: divisible by 11 but not a BSN
@example(bsn="111222333")
def test_database_accepts_a_bsn_exactly_when_it_passes_the_11_test(resident, bsn):
    rows = Resident.objects.filter(pk=resident.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                rows.update(bsn=bsn)
            accepted = True
        except IntegrityError:
            accepted = False
        transaction.set_rollback(True)
    assert accepted is is_valid_bsn(bsn)


# --- PROTECT: history cannot be deleted from under a dossier ----------------------------------


PROTECTED = [
    ("household-of-residents", lambda: f.ResidentFactory().household, "caseload_resident"),
    ("applicant-of-benefit", lambda: f.BenefitFactory().applicant, "caseload_benefit"),
    ("resident-with-application", lambda: f.ApplicationFactory().resident, "caseload_application"),
    ("benefit-with-outflow", lambda: f.OutflowEventFactory().benefit, "caseload_outflowevent"),
    (
        "benefit-of-granted-application",
        lambda: f.ApplicationFactory(granted=True).benefit,
        "caseload_application",
    ),
    ("instrument-in-use", lambda: f.TrajectoryFactory().instrument, "caseload_trajectory"),
    ("team-with-residents", lambda: f.ResidentFactory().team, "caseload_resident"),
    ("team-with-members", lambda: f.UserFactory().team, "caseload_user"),
    (
        "user-who-decided-a-group",
        lambda: f.GroupAssignmentFactory().decided_by,
        "caseload_groupassignment",
    ),
    (
        "user-who-recorded-outflow",
        lambda: f.OutflowEventFactory().recorded_by,
        "caseload_outflowevent",
    ),
    (
        "municipality-with-households",
        lambda: f.HouseholdFactory().municipality,
        "caseload_household",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "child_table"), [p[1:] for p in PROTECTED], ids=[p[0] for p in PROTECTED]
)
def test_protected_rows_cannot_be_deleted(make, child_table):
    parent = make()
    with pytest.raises(ProtectedError), transaction.atomic():
        parent.delete()

    # Also at database level, bypassing the ORM's collector.
    with (
        pytest.raises(IntegrityError) as excinfo,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"DELETE FROM {parent._meta.db_table} WHERE id = %s",  # noqa: S608 - model table
            [parent.pk],
        )
    assert excinfo.value.__cause__.diag.table_name == child_table
    assert type(parent).objects.filter(pk=parent.pk).exists()


# --- clean() ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CONSULENT, Role.TEAMLEIDER])
def test_user_clean_requires_a_team_for_team_roles(role):
    user = User(username="nieuw", role=role, password="x")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert excinfo.value.message_dict["team"] == ["Een consulent of teamleider hoort bij een team."]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.FINANCE, Role.BEHEER, Role.PRIVACY])
def test_user_clean_accepts_aggregate_roles_without_team(role):
    User(username="nieuw", role=role, password="x").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("bsn", ["123456789", "000000000", "000000012"])
def test_resident_clean_rejects_bsn_failing_the_11_test_without_echoing_it(bsn):
    resident = f.ResidentFactory.build(household=f.HouseholdFactory(), team=f.TeamFactory())
    resident.bsn = bsn
    with pytest.raises(ValidationError) as excinfo:
        resident.full_clean()
    assert excinfo.value.message_dict["bsn"] == ["Dit is geen geldig BSN (elfproef)."]
    assert bsn not in str(excinfo.value)


@pytest.mark.django_db
def test_resident_clean_accepts_a_valid_bsn():
    resident = f.ResidentFactory.build(household=f.HouseholdFactory(), team=f.TeamFactory())
    resident.bsn = "111222333"
    resident.full_clean()


# --- derived values and querysets -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "end_field", "prop"),
    [
        (Benefit, "end_date", "is_open"),
        (Trajectory, "ended_on", "is_open"),
        (GroupAssignment, "ended_on", "is_current"),
    ],
)
@pytest.mark.parametrize(("ended", "expected"), [(None, True), (D(2025, 6, 1), False)])
def test_open_and_current_follow_the_end_date(model, end_field, prop, ended, expected):
    assert getattr(model(**{end_field: ended}), prop) is expected


@pytest.mark.parametrize(
    ("first", "prefix", "last", "full"),
    [("Jan", "de", "Vries", "Jan de Vries"), ("Fatima", "", "El Amrani", "Fatima El Amrani")],
)
def test_full_name_skips_an_empty_prefix(first, prefix, last, full):
    resident = Resident(first_name=first, name_prefix=prefix, last_name=last)
    assert resident.full_name == full
    assert str(resident) == full


def test_masked_bsn_shows_only_the_last_three_digits():
    assert Resident(bsn="111222333").masked_bsn == "******333"


@pytest.mark.django_db
def test_in_group_counts_only_the_current_assignment():
    moved = f.GroupAssignmentFactory(group=3, ended_on=D(2025, 6, 1)).resident
    f.GroupAssignmentFactory(
        resident=moved, group=2, decided_on=D(2025, 6, 1), reassess_on=D(2026, 6, 1)
    )
    stays = f.GroupAssignmentFactory(group=3).resident
    assert list(Resident.objects.in_group(3)) == [stays]
    assert list(Resident.objects.in_group(2)) == [moved]
    assert not Resident.objects.in_group(1).exists()


@pytest.mark.django_db
def test_open_trajectories():
    open_one = f.TrajectoryFactory()
    f.TrajectoryFactory(closed=True)
    assert list(Trajectory.objects.open()) == [open_one]


@pytest.mark.django_db
def test_visible_to_scopes_by_team_and_role(resident, consulent, team):
    other_team_resident = f.ResidentFactory()
    same_team_leader = f.UserFactory(team=team, teamleider=True)
    visible = {
        "consulent": consulent,
        "teamleider": same_team_leader,
        "superuser": f.UserFactory(manager=True, is_superuser=True),
    }
    assert set(Resident.objects.visible_to(visible["consulent"])) == {resident}
    assert set(Resident.objects.visible_to(visible["teamleider"])) == {resident}
    assert set(Resident.objects.visible_to(visible["superuser"])) == {
        resident,
        other_team_resident,
    }
    for trait in ("manager", "finance", "beheer", "privacy"):
        assert not Resident.objects.visible_to(f.UserFactory(**{trait: True})).exists()
    inactive = f.UserFactory(team=team, is_active=False)
    assert not Resident.objects.visible_to(inactive).exists()
