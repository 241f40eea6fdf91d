"""One small hand-built case history per preloaded indicator, with the exact expected value.

Histories are built through the caseload services; every value is read back from the stored
``IndicatorValue`` rows written by the fill service.
"""

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services as cs
from caseload.models import Application, HouseholdRole
from indicators.registry import POP_0_17, POP_15_64, POP_18_PLUS, indicator_all, indicator_get
from indicators.services import manual_value_set
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
THIRD = Decimal("33.3333")


def test_outflow_to_work_counts_full_partial_and_hours_increase(world):
    r1, _ = world.on_benefit()
    world.outflow(r1, D(2025, 3, 10))
    r2, _ = world.on_benefit()
    world.outflow(r2, D(2025, 5, 1), kind="gedeeltelijk")
    world.outflow(r2, D(2025, 5, 20), kind="gedeeltelijk", is_hours_increase=True)
    r3, _ = world.on_benefit()
    world.outflow(r3, D(2025, 4, 1), reason="overig")  # not work
    r4, _ = world.on_benefit()
    world.outflow(r4, D(2025, 7, 1))  # back on benefit within 30 days: not counted
    cs.benefit_open(household=r4.household, applicant=r4, regime="pw", start_date=D(2025, 7, 20))
    r5, _ = world.on_benefit()
    world.outflow(r5, D(2024, 11, 1))  # other year
    world.fill(codes=["outflow.to_work"])

    assert world.value("outflow.to_work", "2025").value == 3
    assert world.value("outflow.to_work", "2025-05").value == 2
    assert world.value("outflow.to_work", "2025-03").value == 1
    assert world.value("outflow.to_work", "2025-07").value == 0
    assert world.value("outflow.to_work", "2025", "kind", "gedeeltelijk").value == 2
    assert world.value("outflow.to_work", "2025", "kind", "volledig").value == 1
    assert world.value("outflow.to_work", "2025", "team", "Werk").value == 3
    assert world.value("outflow.to_work", "2025").denominator is None


def test_a_benefit_starting_on_the_outflow_day_is_a_return(world):
    """The independent recomputation of 4 December: the return rule looked for a new benefit
    *after* the outflow day, so a household that switched on one day (algemene bijstand ended
    with an outflow to work, IOAW from the same day) counted as an outflow to work and as new
    inflow. A benefit does not run on its end date: a new one from that day is a return."""
    r1, _ = world.on_benefit(start=D(2024, 1, 1))
    world.outflow(r1, D(2025, 7, 1))
    cs.benefit_open(household=r1.household, applicant=r1, regime="ioaw", start_date=D(2025, 7, 1))
    r2, _ = world.on_benefit(start=D(2024, 1, 1))
    world.outflow(r2, D(2025, 7, 1))  # counted: back after 31 days, outside the window
    cs.benefit_open(household=r2.household, applicant=r2, regime="pw", start_date=D(2025, 8, 1))
    world.fill(codes=["outflow.to_work", "outflow.regular_work", "amersfoort.inflow"])
    assert world.value("outflow.to_work", "2025").value == 1
    assert world.value("outflow.regular_work", "2025").value == 1
    # the same-day IOAW is no new inflow; r2's return after 31 days is
    assert world.value("amersfoort.inflow", "2025-07").value == 0
    assert world.value("amersfoort.inflow", "2025-08").value == 1
    # the realised business case reads the same rule
    from caseload.outflow_rule import outflow_to_work_events

    events = outflow_to_work_events(
        municipality_id=world.municipality.pk, start=D(2025, 1, 1), end=D(2025, 12, 31)
    )
    assert [e.benefit_id for e in events] == [r2.household.benefits.order_by("start_date")[0].pk]


def test_loonkostensubsidie_is_no_return_and_no_earlier_benefit(world):
    """The review of 4 December: with the same-day rule, a loonkostensubsidie recorded from the
    first working day made the outflow to subsidised work a "return". It is a subsidy to the
    employer, not a benefit: the outflow counts, and bijstand after a subsidy is new inflow."""
    r1, _ = world.on_benefit(start=D(2024, 1, 1))
    world.outflow(r1, D(2025, 7, 1))
    cs.benefit_open(household=r1.household, applicant=r1, regime="lks", start_date=D(2025, 7, 1))
    r2 = factories.ResidentFactory(team=world.team, birth_date=D(1990, 1, 1))
    subsidy = cs.benefit_open(
        household=r2.household, applicant=r2, regime="lks", start_date=D(2024, 1, 1)
    )
    cs.benefit_close(benefit=subsidy, on=D(2025, 8, 1), result="11", by=None)
    cs.benefit_open(household=r2.household, applicant=r2, regime="pw", start_date=D(2025, 8, 1))
    world.fill(codes=["outflow.to_work", "amersfoort.inflow"])
    assert world.value("outflow.to_work", "2025").value == 1
    assert world.value("amersfoort.inflow", "2025-08").value == 1
    from caseload.outflow_rule import outflow_to_work_events

    events = outflow_to_work_events(
        municipality_id=world.municipality.pk, start=D(2025, 1, 1), end=D(2025, 12, 31)
    )
    assert len(events) == 1


def test_outflow_regular_work_counts_persons_without_subsidy(world):
    r1, _ = world.on_benefit()
    world.outflow(r1, D(2025, 2, 1))
    r2, _ = world.on_benefit()
    world.outflow(r2, D(2025, 2, 1), kind="gedeeltelijk", is_subsidised=True)
    r3, _ = world.on_benefit()
    world.outflow(r3, D(2025, 3, 1), kind="gedeeltelijk")
    world.outflow(r3, D(2025, 6, 1), kind="gedeeltelijk", is_hours_increase=True)
    world.fill(codes=["outflow.regular_work"])
    assert world.value("outflow.regular_work", "2025").value == 2


def test_outflow_pct_caseload(world):
    world.on_benefit(start=D(2024, 1, 1))  # open all year
    _, b2 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b2, on=D(2025, 6, 30), result="98", by=None)
    _, b3 = world.on_benefit(start=D(2025, 3, 1))
    cs.benefit_close(benefit=b3, on=D(2025, 9, 1), result="11", by=None)
    world.on_benefit(start=D(2026, 1, 1))  # later
    _, b5 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b5, on=D(2024, 12, 31), result="98", by=None)
    world.fill(codes=["outflow.pct_caseload"])
    row = world.value("outflow.pct_caseload", "2025")
    assert (row.numerator, row.denominator) == (2, 3)
    assert row.value == Decimal("66.6667")


def test_caseload_size_at_period_end_with_group_dimension(world):
    r1, _ = world.on_benefit(start=D(2024, 1, 1))
    world.group(r1, 1, D(2024, 2, 1))
    _, b2 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b2, on=D(2025, 6, 30), result="98", by=None)
    world.on_benefit(start=D(2025, 12, 31))
    _, b4 = world.on_benefit(start=D(2024, 5, 1))
    cs.benefit_close(benefit=b4, on=D(2025, 12, 31), result="98", by=None)
    world.fill(codes=["caseload.size"])
    assert world.value("caseload.size", "2025").value == 2
    assert world.value("caseload.size", "2025-06").value == 2
    assert world.value("caseload.size", "2025-05").value == 3
    assert world.value("caseload.size", "2025", "group", "Groep 1").value == 1
    assert world.value("caseload.size", "2025", "group", "geen groep").value == 1
    assert world.value("caseload.size", "2025", "regime", "pw").value == 2


def test_parttime_share_uses_the_last_month_of_the_period(world):
    _, b1 = world.on_benefit()
    cs.benefit_payment_record(
        benefit=b1, month=D(2025, 12, 1), amount_paid=Decimal(900), income_offset=Decimal(200)
    )
    _, b2 = world.on_benefit()
    cs.benefit_payment_record(benefit=b2, month=D(2025, 12, 1), amount_paid=Decimal(1100))
    _, b3 = world.on_benefit()
    cs.benefit_payment_record(
        benefit=b3, month=D(2025, 11, 1), amount_paid=Decimal(900), income_offset=Decimal(100)
    )
    _, b4 = world.on_benefit()
    cs.benefit_close(benefit=b4, on=D(2025, 10, 1), result="98", by=None)
    world.fill(codes=["caseload.parttime_share"])
    row = world.value("caseload.parttime_share", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 3, THIRD)
    # November: only b3 had income offset in its last month (b4 ended in October)
    assert world.value("caseload.parttime_share", "2025-11").value == THIRD
    assert world.value("caseload.parttime_share", "2025-09").value == Decimal("0.0000")


def test_parttime_count_counts_the_shares_numerator(world):
    """The walk of 3 December: Groningen's seed counts "personen met een uitkering dat parttime
    inkomsten uit arbeid heeft" (350 in 2020); only the share existed."""
    _, b1 = world.on_benefit()
    _, b2 = world.on_benefit()
    for month in (D(2025, 11, 1), D(2025, 12, 1)):
        cs.benefit_payment_record(
            benefit=b1, month=month, amount_paid=Decimal(900), income_offset=Decimal(200)
        )
    cs.benefit_payment_record(
        benefit=b2, month=D(2025, 11, 1), amount_paid=Decimal(900), income_offset=Decimal(50)
    )
    cs.benefit_payment_record(benefit=b2, month=D(2025, 12, 1), amount_paid=Decimal(1100))
    _, b3 = world.on_benefit()
    cs.benefit_payment_record(
        benefit=b3, month=D(2025, 12, 1), amount_paid=Decimal(900), income_offset=Decimal(0)
    )
    world.fill(codes=["caseload.parttime_count", "caseload.parttime_share"])
    assert world.value("caseload.parttime_count", "2025").value == 1  # December: b1
    assert world.value("caseload.parttime_count", "2025-11").value == 2  # b1 and b2
    assert world.value("caseload.parttime_count", "2025-10").value == 0
    for period in ("2025", "2025-11", "2025-10"):
        share = world.value("caseload.parttime_share", period)
        assert world.value("caseload.parttime_count", period).value == share.numerator, period


def test_working_with_support_excludes_wsw_and_closed(world):
    r1 = world.resident()
    world.trajectory(r1, "loonkostensubsidie", D(2025, 1, 1))
    r2 = world.resident()
    world.trajectory(r2, "jobcoaching", D(2025, 2, 1))
    world.trajectory(r2, "nieuw_beschut", D(2025, 2, 1))
    r3 = world.resident()
    world.trajectory(r3, "wsw_detachering", D(2020, 1, 1))
    r4 = world.resident()
    world.trajectory(r4, "loonkostensubsidie", D(2025, 1, 1), end=D(2025, 10, 1))
    world.fill(codes=["support.working_with_support"])
    assert world.value("support.working_with_support", "2025").value == 2
    assert world.value("support.working_with_support", "2025-09").value == 3
    assert (
        world.value(
            "support.working_with_support", "2025", "instrument", "Nieuw beschut werk"
        ).value
        == 1
    )


def test_group3_participation(world):
    r1 = world.resident()
    world.group(r1, 3, D(2025, 1, 1))
    world.trajectory(r1, "vrijwilligerswerk", D(2025, 2, 1))
    r2 = world.resident()
    world.group(r2, 3, D(2025, 1, 1))
    r3 = world.resident()
    world.group(r3, 3, D(2025, 1, 1))
    world.trajectory(r3, "dagbesteding", D(2025, 2, 1), end=D(2025, 11, 1))
    r4 = world.resident()
    world.group(r4, 2, D(2025, 1, 1))
    world.trajectory(r4, "vrijwilligerswerk", D(2025, 2, 1))
    r5 = world.resident()
    world.group(r5, 3, D(2025, 1, 1))
    world.group(r5, 2, D(2025, 11, 1))
    world.fill(codes=["group3.participation"])
    row = world.value("group3.participation", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 3, THIRD)
    # in October r3 still had dagbesteding and r5 was still in group 3
    assert world.value("group3.participation", "2025-10").value == Decimal("50.0000")


def test_beschut_quota_counts_open_places(world):
    world.trajectory(world.resident(), "nieuw_beschut", D(2024, 6, 1))
    world.trajectory(world.resident(), "nieuw_beschut", D(2025, 2, 1), end=D(2025, 8, 1))
    world.trajectory(world.resident(), "loonkostensubsidie", D(2025, 2, 1))
    world.fill(codes=["beschut.quota"])
    assert world.value("beschut.quota", "2025").value == 1
    assert world.value("beschut.quota", "2025-05").value == 2


def test_wsw_detachering_and_begeleid_werken(world):
    world.trajectory(world.resident(), "wsw_detachering", D(2014, 1, 1))
    world.trajectory(world.resident(), "wsw_detachering", D(2014, 1, 1))
    world.trajectory(world.resident(), "wsw_detachering", D(2014, 1, 1), end=D(2025, 3, 1))
    world.trajectory(world.resident(), "wsw_begeleid_werken", D(2013, 1, 1))
    world.fill(codes=["wsw.detachering", "wsw.begeleid_werken"])
    assert world.value("wsw.detachering", "2025").value == 2
    assert world.value("wsw.detachering", "2025-02").value == 3
    assert world.value("wsw.begeleid_werken", "2025").value == 1


def test_contact_in_beeld_twelve_months(world):
    contacts = [D(2025, 3, 1), D(2024, 12, 31), D(2025, 1, 1), None]
    for when in contacts:
        r, _ = world.on_benefit()
        if when:
            cs.contact_record(resident=r, occurred_on=when, channel="telefoon", by=world.staff)
    world.fill(codes=["contact.in_beeld"])
    row = world.value("contact.in_beeld", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 4, Decimal("50.0000"))


def _application(world, risk, outcome, decided):
    r = world.resident()
    a = cs.application_register(resident=r, received_on=D(2025, 1, 5), risk_profile=risk)
    return cs.application_decide(application=a, outcome=outcome, decided_on=decided)


def test_prevention_indicators(world):
    raised, normal = Application.RiskProfile.RAISED, Application.RiskProfile.NORMAL
    _application(world, raised, "toegekend", D(2025, 2, 1))
    _application(world, raised, "afgewezen", D(2025, 2, 1))
    _application(world, raised, "voorkomen", D(2025, 3, 1))
    _application(world, normal, "toegekend", D(2025, 3, 1))
    _application(world, raised, "toegekend", D(2026, 1, 10))
    world.fill(codes=["prevention.inflow_per_application", "prevention.prevented_vs_inflow"])
    row = world.value("prevention.inflow_per_application", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 3, THIRD)
    row = world.value("prevention.prevented_vs_inflow", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 2, Decimal("50.0000"))


def test_fraud_effect(world):
    results = ["beeindigd", "aangepast", "ongewijzigd", "ongewijzigd"]
    for result in results:
        fi = cs.fraud_investigation_start(
            resident=world.resident(), started_on=D(2025, 1, 10), signal_source="tip"
        )
        cs.fraud_investigation_close(
            fraud_investigation=fi, on=D(2025, 4, 1), result=result, by=None
        )
    cs.fraud_investigation_start(
        resident=world.resident(), started_on=D(2025, 5, 1), signal_source="tip"
    )
    old = cs.fraud_investigation_start(
        resident=world.resident(), started_on=D(2024, 5, 1), signal_source="tip"
    )
    cs.fraud_investigation_close(
        fraud_investigation=old, on=D(2024, 6, 1), result="beeindigd", by=None
    )
    world.fill(codes=["enforcement.fraud_effect"])
    row = world.value("enforcement.fraud_effect", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 4, Decimal("50.0000"))
    assert world.value("enforcement.fraud_effect", "2025", "result", "ongewijzigd").value == 0


def test_statushouders_with_plan_proxy(world):
    s1, _ = world.on_benefit(status_holder=True)
    world.trajectory(s1, "taal_werkvloer", D(2025, 5, 1))
    world.on_benefit(status_holder=True)
    s3, _ = world.on_benefit(status_holder=True)
    world.trajectory(s3, "coaching", D(2026, 1, 10))
    s4 = world.resident(status_holder=True)  # no benefit
    world.trajectory(s4, "coaching", D(2025, 1, 10))
    r5, _ = world.on_benefit()
    world.trajectory(r5, "coaching", D(2025, 1, 10))
    world.fill(codes=["statushouders.with_plan"])
    row = world.value("statushouders.with_plan", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 3, THIRD)


def test_amersfoort_inflow_ignores_quick_returns(world):
    world.on_benefit(start=D(2025, 2, 1))
    r2, b2 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b2, on=D(2025, 3, 1), result="98", by=None)
    cs.benefit_open(household=r2.household, applicant=r2, regime="pw", start_date=D(2025, 3, 20))
    r3, b3 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b3, on=D(2025, 1, 1), result="98", by=None)
    cs.benefit_open(household=r3.household, applicant=r3, regime="pw", start_date=D(2025, 6, 1))
    world.fill(codes=["amersfoort.inflow"])
    assert world.value("amersfoort.inflow", "2025").value == 2
    assert world.value("amersfoort.inflow", "2025-03").value == 0


def test_amersfoort_outflow_to_work_pct(world):
    for reason in ["11", "13", "98", "11"]:
        _, b = world.on_benefit(start=D(2024, 1, 1))
        cs.benefit_close(benefit=b, on=D(2025, 5, 1), result=reason, by=None)
    world.fill(codes=["amersfoort.outflow_to_work_pct"])
    assert world.value("amersfoort.outflow_to_work_pct", "2025").value == Decimal("75.0000")


def test_amersfoort_ladder_climbing(world):
    def scores(resident, before, after):
        cs.ladder_score_record(
            resident=resident, measured_on=D(2024, 6, 1), step=before, by=world.staff
        )
        if after:
            cs.ladder_score_record(
                resident=resident, measured_on=D(2025, 6, 1), step=after, by=world.staff
            )

    for before, after in [(2, 4), (3, 3), (4, 2)]:
        r, _ = world.on_benefit(start=D(2023, 1, 1))
        scores(r, before, after)
    r4, _ = world.on_benefit(start=D(2023, 1, 1))
    cs.ladder_score_record(resident=r4, measured_on=D(2025, 6, 1), step=5, by=world.staff)
    r5, _ = world.on_benefit(start=D(2025, 3, 1))  # not long-term
    scores(r5, 1, 5)
    world.fill(codes=["amersfoort.ladder_climbing"])
    row = world.value("amersfoort.ladder_climbing", "2025")
    assert (row.numerator, row.denominator, row.value) == (1, 3, THIRD)


def test_amersfoort_ladder_climbing_a_year_from_29_february_ends_on_28_february(world):
    """Recomputation of 3 December: a benefit of 29 February 2024 runs a year on 28 February
    2025 (as the Bbz cohort counts), and was left out of February 2025's denominator."""
    r, _ = world.on_benefit(start=D(2024, 2, 29))
    for measured_on, step in ((D(2024, 9, 4), 2), (D(2025, 2, 8), 3)):
        cs.ladder_score_record(resident=r, measured_on=measured_on, step=step, by=world.staff)
    world.fill(codes=["amersfoort.ladder_climbing"])
    row = world.value("amersfoort.ladder_climbing", "2025-02")
    assert (row.numerator, row.denominator) == (1, 1)


def test_amersfoort_debt(world):
    for applied, closed, result in [
        (D(2025, 1, 5), D(2025, 6, 1), "schuldregeling"),
        (D(2025, 2, 5), D(2025, 7, 1), "schuldregeling"),
        (D(2025, 3, 5), D(2025, 8, 1), "ingetrokken"),
        (D(2024, 3, 5), D(2025, 2, 1), "geen_regeling"),
    ]:
        case = cs.debt_case_open(resident=world.resident(), applied_on=applied)
        cs.debt_case_close(debt_case=case, on=closed, result=result, by=None)
    world.fill(codes=["amersfoort.debt_applications", "amersfoort.debt_settled"])
    assert world.value("amersfoort.debt_applications", "2025").value == 3
    assert world.value("amersfoort.debt_settled", "2025").value == Decimal("50.0000")


def _population(world, year, **kw):
    values = {
        "population": 100_000,
        "population_18_plus": 10_000,
        "population_15_64": 20_000,
        "population_15_74": 30_000,
    }
    values.update(kw)
    factories.MunicipalityYearFactory(municipality=world.municipality, year=year, **values)


def test_bbv_bijstand_per_10k(world):
    _population(world, 2025)
    r1, _ = world.on_benefit()
    factories.ResidentFactory(
        household=r1.household, team=world.team, household_role=HouseholdRole.PARTNER
    )
    factories.ResidentFactory(
        household=r1.household, team=world.team, birth_date=D(2015, 1, 1)
    )  # a child
    world.on_benefit(regime="ioaw")
    _, b3 = world.on_benefit()
    cs.benefit_close(benefit=b3, on=D(2025, 6, 1), result="98", by=None)
    world.fill(codes=["bbv.bijstand_per_10k"], year=None)
    row = world.value("bbv.bijstand_per_10k", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 10_000, Decimal("2.0000"))
    # no population figures for 2024: no value rather than a wrong one
    assert world.value("bbv.bijstand_per_10k", "2024").value is None


def test_bbv_reintegration_per_10k(world):
    _population(world, 2025)
    world.trajectory(world.resident(), "loonkostensubsidie", D(2025, 1, 1))
    world.trajectory(world.resident(), "participatieplaats", D(2025, 1, 1))
    world.trajectory(world.resident(), "jobhunting", D(2025, 1, 1))
    world.trajectory(world.resident(birth=D(1950, 1, 1)), "loonkostensubsidie", D(2025, 1, 1))
    world.fill(codes=["bbv.reintegration_per_10k"])
    row = world.value("bbv.reintegration_per_10k", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 20_000, Decimal("1.0000"))


def test_manual_netto_arbeidsparticipatie(world):
    manual_value_set(
        municipality_id=world.municipality.pk,
        code="bbv.netto_arbeidsparticipatie",
        year=2025,
        value=Decimal("70.1"),
        source="CBS Statline",
        source_date=D(2026, 3, 1),
    )
    world.fill(codes=["bbv.netto_arbeidsparticipatie"], year=None)
    assert world.value("bbv.netto_arbeidsparticipatie", "2025").value == Decimal("70.1000")


def test_walk_3_december_a_figure_per_inhabitant_has_no_district_breakdown():
    """The walk of 3 December: the export's row "district=Centrum; 3,7220; 274; 73617" divided
    Centrum's 274 by the inhabitants of the whole municipality and read as Centrum's own figure.
    There is no population per district, so a figure per inhabitant has no district rows."""
    per_inhabitant = [
        d for d in indicator_all() if d.denominator_sql in (POP_0_17, POP_15_64, POP_18_PLUS)
    ]
    assert len(per_inhabitant) == 4
    for defn in per_inhabitant:
        assert "district" not in defn.dimensions, defn.code


def test_a_figure_per_inhabitant_says_which_inhabitants():
    """The walk of 3 December: "per 1.000 inwoners" divided by the inhabitants of 18 and over
    (as the BBV series it mirrors), while the label said all inhabitants."""
    defn = indicator_get("amersfoort.bijstand_per_1000")
    assert defn.denominator_sql == POP_18_PLUS
    assert str(defn.label).endswith("per 1.000 inwoners van 18 jaar en ouder")
