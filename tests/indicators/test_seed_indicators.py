"""Issue 17, the seed indicators still missing: one small hand-built history per new definition,
with the exact expected value read back from the stored ``IndicatorValue`` rows; the interval
definitions also against their per-period reference form on the same history."""

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest

from caseload import services as cs
from caseload.models import Household, Resident
from indicators import registry
from indicators.models import IndicatorValue
from indicators.registry import indicator_get, indicator_register
from indicators.seeds import AMERSFOORT, DEN_BOSCH, GRONINGEN, HILVERSUM, seed_targets_for
from indicators.services import indicator_values_fill, manual_value_set
from tests import factories

from .conftest import stored_values
from .per_period_reference import REFERENCE_SQL

pytestmark = pytest.mark.django_db

D = dt.date


def _population(world, year, **kw):
    values = {
        "population": 12_000,
        "population_18_plus": 10_000,
        "population_15_64": 8_000,
        "population_15_74": 9_000,
    }
    values.update(kw)
    factories.MunicipalityYearFactory(municipality=world.municipality, year=year, **values)


# Amersfoort (004) ------------------------------------------------------------------------------


def _fraud(resident, started, ended, result):
    return factories.FraudInvestigationFactory(
        resident=resident, started_on=started, ended_on=ended, result=result
    )


def _handhaving_history(world):
    # 1: ended with CBS reason 31 (geen inlichtingen verstrekt): handhaving
    _, b1 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b1, on=D(2025, 3, 1), result="31", by=None)
    # 2: ended (reason 98) after a fraud investigation of the partner ending 'beeindigd'
    r2, b2 = world.on_benefit(start=D(2024, 1, 1))
    partner = factories.ResidentFactory(household=r2.household, team=world.team)
    _fraud(partner, D(2025, 4, 1), D(2025, 6, 10), "beeindigd")
    cs.benefit_close(benefit=b2, on=D(2025, 6, 1), result="98", by=None)
    # 3: ended for work; an older investigation that only adjusted the benefit: not handhaving
    r3, b3 = world.on_benefit(start=D(2024, 1, 1))
    _fraud(r3, D(2024, 5, 1), D(2024, 6, 1), "aangepast")
    cs.benefit_close(benefit=b3, on=D(2025, 9, 1), result="11", by=None)
    # 4: an investigation 'beeindigd' that started after this benefit ended: not this benefit
    r4, b4 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b4, on=D(2025, 2, 1), result="98", by=None)
    _fraud(r4, D(2025, 3, 1), D(2025, 4, 1), "beeindigd")
    # 5: still running; 6: ended in 2024 (another year)
    world.on_benefit(start=D(2024, 1, 1))
    _, b6 = world.on_benefit(start=D(2024, 1, 1))
    cs.benefit_close(benefit=b6, on=D(2024, 12, 31), result="31", by=None)


def test_handhaving_ended_share_counts_reason_31_and_fraud_investigations(world):
    """Amersfoort: 'Aandeel door handhaving beëindigde uitkeringen' (6 %)."""
    _handhaving_history(world)
    world.fill(codes=["enforcement.handhaving_ended_share"], year=None)
    row = world.value("enforcement.handhaving_ended_share", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 4, Decimal("50.0000"))
    march = world.value("enforcement.handhaving_ended_share", "2025-03")
    assert (march.numerator, march.denominator) == (1, 1)
    february = world.value("enforcement.handhaving_ended_share", "2025-02")
    assert (february.numerator, february.denominator) == (0, 1)
    assert world.value("enforcement.handhaving_ended_share", "2024").numerator == 1
    # the residents behind it need the fraud field grant
    assert indicator_get("enforcement.handhaving_ended_share").required_permission == (
        "caseload.view_fraud"
    )


def test_bijstand_per_1000_is_the_bbv_count_on_another_scale(world):
    """Amersfoort: 'Personen met een bijstandsuitkering per 1000 inwoners' (38-39)."""
    _population(world, 2025)
    r1, _ = world.on_benefit()
    factories.ResidentFactory(household=r1.household, team=world.team)  # adult partner
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2015, 1, 1))
    world.on_benefit(regime="ioaw")  # not algemene bijstand
    _, b3 = world.on_benefit()
    cs.benefit_close(benefit=b3, on=D(2025, 6, 1), result="98", by=None)
    world.fill(codes=["amersfoort.bijstand_per_1000", "bbv.bijstand_per_10k"], year=None)
    row = world.value("amersfoort.bijstand_per_1000", "2025")
    assert (row.numerator, row.denominator, row.value) == (2, 10_000, Decimal("0.2000"))
    bbv = world.value("bbv.bijstand_per_10k", "2025")
    assert bbv.value == row.value * 10
    assert indicator_get("amersfoort.bijstand_per_1000").sql == (
        indicator_get("bbv.bijstand_per_10k").sql
    )


def test_kinderen_in_uitkeringsgezinnen_share_of_population_under_18(world):
    """BBV: 'Kinderen in uitkeringsgezinnen', % kinderen tot 18 jaar."""
    _population(world, 2025)  # 12,000 - 10,000 = 2,000 under 18
    r1, _ = world.on_benefit(start=D(2024, 1, 1))
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2015, 1, 1))
    # turns 18 on 1 December 2025: counts in November, not at the year end
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2007, 12, 1))
    # born during the benefit, in March 2025
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2025, 3, 10))
    r2, _ = world.on_benefit(start=D(2024, 1, 1), regime="bbz_starter")
    factories.ResidentFactory(household=r2.household, team=world.team, birth_date=D(2012, 5, 5))
    r3, _ = world.on_benefit(start=D(2024, 1, 1), regime="lks")  # not a benefit household
    factories.ResidentFactory(household=r3.household, team=world.team, birth_date=D(2012, 5, 5))
    r4, b4 = world.on_benefit(start=D(2024, 1, 1))
    factories.ResidentFactory(household=r4.household, team=world.team, birth_date=D(2016, 1, 1))
    cs.benefit_close(benefit=b4, on=D(2025, 7, 1), result="11", by=None)
    # version 2: the recorded number of children counts where no child is a registered member
    # (the new application records the BRP's children as a number): r5's 2 children count;
    # r1's recorded 3 do not (its children are registered, and counted one by one); r6's
    # member born in 2000 was never a minor during its benefit, so its recorded child counts
    Household.objects.filter(pk=r1.household_id).update(children_count=3)
    r5, _ = world.on_benefit(start=D(2024, 6, 1))
    Household.objects.filter(pk=r5.household_id).update(children_count=2)
    r6, _ = world.on_benefit(start=D(2024, 6, 1))
    factories.ResidentFactory(household=r6.household, team=world.team, birth_date=D(2000, 4, 4))
    Household.objects.filter(pk=r6.household_id).update(children_count=1)
    world.fill(codes=["bbv.kinderen_in_uitkeringsgezinnen"], year=None)
    year = world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025")
    assert (year.numerator, year.denominator, year.value) == (6, 2_000, Decimal("0.3000"))
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025-11").numerator == 7
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025-02").numerator == 7
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025-03").numerator == 8
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2024").value is None  # no figures


def test_kinderen_a_partner_or_young_applicant_is_not_a_child(world):
    """The independent recomputation of 4 December: a partner aged 17 at some point during a
    benefit counted as the household's child, and the household's recorded children were
    dropped (household 1223 of the demo: 3 children recorded, 0 counted). Version 4: the
    partner, and the applicant of a benefit that started before their 18th birthday, are not
    children; a child registered as a member still counts one by one."""
    _population(world, 2025)  # 2,000 under 18
    r1, _ = world.on_benefit(start=D(2024, 1, 1))
    # the partner turns 18 on 1 June 2025
    factories.ResidentFactory(
        household=r1.household, team=world.team, birth_date=D(2007, 6, 1), household_role="partner"
    )
    Household.objects.filter(pk=r1.household_id).update(children_count=3)
    # an applicant who was 17 when the benefit started, with 2 recorded children
    r2, _ = world.on_benefit(start=D(2024, 1, 1))
    Resident.objects.filter(pk=r2.pk).update(birth_date=D(2006, 9, 1))
    Household.objects.filter(pk=r2.household_id).update(children_count=2)
    # a registered child (the default role, as an import leaves it) still counts itself only
    r3, _ = world.on_benefit(start=D(2024, 1, 1))
    factories.ResidentFactory(household=r3.household, team=world.team, birth_date=D(2015, 1, 1))
    Household.objects.filter(pk=r3.household_id).update(children_count=4)
    world.fill(codes=["bbv.kinderen_in_uitkeringsgezinnen"], year=None)
    # 3 + 2 recorded, 1 registered: the partner and the young applicant never count
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025-03").numerator == 6
    assert world.value("bbv.kinderen_in_uitkeringsgezinnen", "2025").numerator == 6


def test_werkloze_jongeren_is_manual_input(world):
    """BBV: '% werkloze jongeren' (16 t/m 22 jaar), Kinderen in Tel: entered by hand."""
    manual_value_set(
        municipality_id=world.municipality.pk,
        code="bbv.werkloze_jongeren",
        year=2025,
        value=Decimal("1.73"),
        source="Kinderen in Tel via waarstaatjegemeente.nl",
        source_date=D(2026, 3, 1),
    )
    world.fill(codes=["bbv.werkloze_jongeren"], year=None)
    assert world.value("bbv.werkloze_jongeren", "2025").value == Decimal("1.7300")
    assert indicator_get("bbv.werkloze_jongeren").manual


# 's-Hertogenbosch (000) ------------------------------------------------------------------------


def test_working_with_support_split_into_nieuw_beschut_and_loonkostensubsidie(world):
    """'s-Hertogenbosch: nieuw beschut (60 fte) and loonkostensubsidie (223 fte), as persons."""
    a = world.resident()
    world.trajectory(a, "nieuw_beschut", D(2025, 1, 1))
    world.trajectory(a, "loonkostensubsidie", D(2025, 2, 1))  # counted in both
    world.trajectory(world.resident(), "loonkostensubsidie", D(2025, 3, 1))
    world.trajectory(world.resident(), "loonkostensubsidie", D(2025, 1, 1), end=D(2025, 12, 31))
    world.trajectory(world.resident(), "garantiebaan", D(2025, 1, 1))  # neither
    world.fill(codes=["support.nieuw_beschut_persons", "support.loonkostensubsidie_persons"])
    assert world.value("support.nieuw_beschut_persons", "2025").value == 1
    assert world.value("support.loonkostensubsidie_persons", "2025").value == 2
    assert world.value("support.loonkostensubsidie_persons", "2025-03").value == 3
    assert world.value("support.loonkostensubsidie_persons", "2025-01").value == 1


def test_werkervaringsplaatsen_per_quarter_and_dagbesteding(world):
    """'s-Hertogenbosch: 150 werkervaringsplaatsen per 3 months; 100 dagbesteding places."""
    for start, end in (
        (D(2025, 1, 1), None),
        (D(2025, 2, 1), D(2025, 3, 31)),  # ends on the quarter's last day: not running then
        (D(2025, 4, 1), D(2025, 8, 1)),
        (D(2025, 7, 1), None),
    ):
        world.trajectory(world.resident(), "werkervaringsplaats", start, end=end)
    world.trajectory(world.resident(), "dagbesteding", D(2025, 5, 1))
    world.trajectory(world.resident(), "dagbesteding", D(2025, 5, 1), end=D(2025, 10, 1))
    world.trajectory(world.resident(), "sociale_activering", D(2025, 5, 1))
    world.fill(codes=["participation.werkervaringsplaatsen", "participation.dagbesteding"])
    code = "participation.werkervaringsplaatsen"
    # per quarter: the stand at the quarter's last month (no quarter rows, which would repeat
    # a month's cell beside small-number suppression)
    assert world.value(code, "2025-03").value == 1
    assert world.value(code, "2025-09").value == 2  # Q3: 1 Jan and 1 Jul
    assert world.value(code, "2025-06").value == 2  # Q2: 1 Jan and 1 Apr
    assert not IndicatorValue.objects.filter(code=code, period_kind="quarter").exists()
    assert world.value(code, "2025").value == 2
    assert world.value("participation.dagbesteding", "2025-06").value == 2
    assert world.value("participation.dagbesteding", "2025").value == 1


def test_vso_pro_youths_placed_in_work(world):
    """'s-Hertogenbosch: 70 jongeren uit doelgroep Vso/Pro bemiddelen naar werk."""
    vso = {"education_level": "vso_pro", "has_startkwalificatie": False}
    y1, _ = world.on_benefit(birth=D(2005, 1, 1), **vso)
    world.outflow(y1, D(2025, 3, 10))
    world.trajectory(y1, "jobhunting", D(2025, 1, 1), end=D(2025, 3, 20), result="werk")
    y2 = world.resident(birth=D(2004, 4, 4), **vso)  # no benefit: placed through a trajectory
    world.trajectory(y2, "jobhunting", D(2025, 1, 1), end=D(2025, 5, 1), result="werk")
    y3, _ = world.on_benefit(birth=D(1998, 3, 1), **vso)  # 27 on 1 March 2025
    world.outflow(y3, D(2025, 3, 1))
    y4, _ = world.on_benefit(birth=D(2005, 1, 1))  # mbo 2: not the target group
    world.outflow(y4, D(2025, 3, 10))
    y5 = world.resident(birth=D(2005, 1, 1), **vso)
    world.trajectory(y5, "jobhunting", D(2025, 1, 1), end=D(2025, 6, 1))  # not work
    y6, _ = world.on_benefit(birth=D(2005, 1, 1), **vso)
    world.outflow(y6, D(2025, 7, 1))  # back on benefit within the return window
    cs.benefit_open(household=y6.household, applicant=y6, regime="pw", start_date=D(2025, 7, 15))
    y7, _ = world.on_benefit(birth=D(1998, 3, 2), **vso)  # 27 the day after being placed
    world.outflow(y7, D(2025, 3, 1), kind="gedeeltelijk")
    # the review of 4 December: the outflow closes y8's stage with result work, but the
    # household is back on bijstand the same day, so neither the outflow nor the closed
    # trajectory places y8
    y8, _ = world.on_benefit(birth=D(2005, 1, 1), **vso)
    world.trajectory(y8, "stage", D(2025, 6, 1))
    world.outflow(y8, D(2025, 7, 1))
    assert y8.trajectories.get().result == "werk"
    cs.benefit_open(household=y8.household, applicant=y8, regime="ioaw", start_date=D(2025, 7, 1))
    world.fill(codes=["jongeren.vso_pro_placed"])
    assert world.value("jongeren.vso_pro_placed", "2025").value == 3
    assert world.value("jongeren.vso_pro_placed", "2025-03").value == 2
    assert world.value("jongeren.vso_pro_placed", "2025-05").value == 1
    assert world.value("jongeren.vso_pro_placed", "2025-07").value == 0


def test_taal_werkvloer_outflow(world):
    """'s-Hertogenbosch: 50 mensen stromen uit de uitkering vanuit taal op de werkvloer."""
    a, _ = world.on_benefit()
    world.trajectory(a, "taal_werkvloer", D(2025, 1, 1))  # running at the outflow
    world.outflow(a, D(2025, 4, 1))
    b, _ = world.on_benefit()
    world.trajectory(b, "taal_werkvloer", D(2025, 1, 1), end=D(2025, 5, 1))  # ends that day
    world.outflow(b, D(2025, 5, 1))
    c, _ = world.on_benefit()
    world.trajectory(c, "taal_werkvloer", D(2025, 1, 1), end=D(2025, 4, 30))  # ended before
    world.outflow(c, D(2025, 5, 1))
    d, _ = world.on_benefit()
    world.trajectory(d, "taal_werkvloer", D(2025, 1, 1))
    world.outflow(d, D(2025, 6, 1), kind="gedeeltelijk")  # keeps a benefit: not out
    e, _ = world.on_benefit()
    world.trajectory(e, "taal_werkvloer", D(2025, 1, 1))
    world.outflow(e, D(2025, 6, 1), reason="overig")  # not to work
    f, _ = world.on_benefit()
    world.trajectory(f, "coaching", D(2025, 1, 1))  # another instrument
    world.outflow(f, D(2025, 6, 1))
    world.fill(codes=["participation.taal_werkvloer_outflow"])
    assert world.value("participation.taal_werkvloer_outflow", "2025").value == 2
    assert world.value("participation.taal_werkvloer_outflow", "2025-05").value == 1
    assert world.value("participation.taal_werkvloer_outflow", "2025-06").value == 0


def test_parttime_ondernemers_supported_in_the_period(world):
    """'s-Hertogenbosch: 196 uitkeringsgerechtigden ondersteund bij parttime ondernemerschap."""
    a, _ = world.on_benefit()
    world.trajectory(a, "parttime_ondernemen", D(2024, 6, 1), end=D(2025, 2, 1))
    world.trajectory(a, "parttime_ondernemen", D(2025, 9, 1))  # twice: counts once
    b, _ = world.on_benefit()
    world.trajectory(b, "parttime_ondernemen", D(2025, 3, 15), end=D(2025, 4, 1))
    c, _ = world.on_benefit()
    world.trajectory(c, "parttime_ondernemen", D(2024, 1, 1), end=D(2025, 1, 1))  # ended
    world.fill(codes=["participation.parttime_ondernemers"])
    code = "participation.parttime_ondernemers"
    assert world.value(code, "2025").value == 2
    assert world.value(code, "2025-01").value == 1  # a (c's ended on 1 January)
    assert world.value(code, "2025-03").value == 1  # b
    assert world.value(code, "2025-04").value == 0  # b's ended on 1 April


def test_supported_without_benefit(world):
    """'s-Hertogenbosch: 150 personen met een arbeidsbeperking zonder uitkering ondersteund."""
    a = world.resident(in_doelgroepregister=True)
    world.trajectory(a, "jobcoaching", D(2025, 1, 1))
    b, benefit = world.on_benefit(in_doelgroepregister=True)  # on benefit until 1 July
    world.trajectory(b, "jobhunting", D(2025, 1, 1))
    cs.benefit_close(benefit=benefit, on=D(2025, 7, 1), result="11", by=None)
    c = world.resident()  # not in the register
    world.trajectory(c, "jobcoaching", D(2025, 1, 1))
    d = world.resident(in_doelgroepregister=True)
    world.trajectory(d, "wsw_detachering", D(2025, 1, 1))  # Wsw does not count
    # version 2: working with loonkostensubsidie (a wage subsidy, regime lks) is no benefit
    e, _ = world.on_benefit(regime="lks", in_doelgroepregister=True)
    world.trajectory(e, "loonkostensubsidie", D(2025, 1, 1))
    world.fill(codes=["support.without_benefit"])
    assert world.value("support.without_benefit", "2025").value == 3
    assert world.value("support.without_benefit", "2025-06").value == 2


# Seed targets ----------------------------------------------------------------------------------


def _targets(cbs_code, year):
    return {
        code: (base, target)
        for code, y, base, target, _ in seed_targets_for(cbs_code, range(year, year + 1))
        if y == year
    }


def test_seed_targets_of_the_new_indicators():
    amersfoort = _targets(AMERSFOORT, 2019)
    assert amersfoort["amersfoort.bijstand_per_1000"] == (Decimal(39), Decimal(39))
    assert amersfoort["enforcement.handhaving_ended_share"] == (Decimal(6), Decimal(6))
    den_bosch = _targets(DEN_BOSCH, 2018)
    assert den_bosch["participation.werkervaringsplaatsen"] == (None, Decimal(150))
    assert den_bosch["participation.dagbesteding"] == (None, Decimal(100))
    assert den_bosch["jongeren.vso_pro_placed"] == (None, Decimal(70))
    assert den_bosch["participation.taal_werkvloer_outflow"] == (None, Decimal(50))
    assert den_bosch["participation.parttime_ondernemers"] == (None, Decimal(196))
    assert den_bosch["support.without_benefit"] == (None, Decimal(150))
    assert den_bosch["support.loonkostensubsidie_fte"] == (None, Decimal(223))
    assert "support.loonkostensubsidie_persons" not in den_bosch  # a count of persons, not fte
    # counts of one municipality's plan do not become another's target
    assert "participation.dagbesteding" not in _targets(HILVERSUM, 2018)
    assert "amersfoort.bijstand_per_1000" not in _targets(GRONINGEN, 2019)


def test_groningen_targets_are_loaded_for_groningen():
    """Groningen (001/002): beschut quota 90/119/138, KIK 74/82/90 %, 1,100/1,200 outflows."""
    expected = {
        ("beschut.quota", 2019): Decimal(90),
        ("beschut.quota", 2020): Decimal(119),
        ("beschut.quota", 2021): Decimal(138),
        ("contact.in_beeld", 2020): Decimal(82),
        ("contact.in_beeld", 2021): Decimal(90),
        ("outflow.regular_work", 2019): Decimal(1100),
        ("outflow.regular_work", 2020): Decimal(1200),
    }
    loaded = {(c, y): t for c, y, _, t, _ in seed_targets_for(GRONINGEN, range(2019, 2022))}
    for key, target in expected.items():
        assert loaded[key] == target, key
    assert "beschut.quota" not in {c for c, *_ in seed_targets_for(HILVERSUM, range(2019, 2022))}


# Against the per-period reference form ---------------------------------------------------------

NEW_INTERVAL_CODES = (
    "enforcement.handhaving_ended_share",
    "amersfoort.bijstand_per_1000",
    "bbv.kinderen_in_uitkeringsgezinnen",
    "support.nieuw_beschut_persons",
    "support.loonkostensubsidie_persons",
    "participation.werkervaringsplaatsen",
    "participation.dagbesteding",
)


@pytest.fixture
def reference_forms():
    for code in NEW_INTERVAL_CODES:
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(defn)
            if f.name not in ("code", "sql", "intervals", "per_period_kind", "uses")
        }
        sql = REFERENCE_SQL[code]
        indicator_register(code="reference17." + code.replace(".", "_"), **attrs)(
            lambda sql=sql: sql
        )
    yield
    for code in NEW_INTERVAL_CODES:
        registry.indicator_unregister("reference17." + code.replace(".", "_"))


def test_new_interval_definitions_equal_their_per_period_form(world, reference_forms):
    _population(world, 2024)
    _population(world, 2025)
    _handhaving_history(world)
    r1, b1 = world.on_benefit(start=D(2024, 2, 29))
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2008, 2, 29))
    factories.ResidentFactory(household=r1.household, team=world.team, birth_date=D(2025, 1, 1))
    cs.benefit_close(benefit=b1, on=D(2025, 10, 1), result="31", by=None)
    # overlapping and touching trajectories of one instrument (the person counts once), one
    # ending on a quarter's last day, one starting and ending on one day, one still running
    p1 = world.resident()
    world.trajectory(p1, "werkervaringsplaats", D(2024, 11, 1), end=D(2025, 3, 31))
    world.trajectory(p1, "werkervaringsplaats", D(2025, 2, 1), end=D(2025, 6, 30))
    world.trajectory(p1, "werkervaringsplaats", D(2025, 6, 30))
    world.trajectory(p1, "dagbesteding", D(2025, 5, 5), end=D(2025, 5, 5))
    p2 = world.resident()
    world.trajectory(p2, "loonkostensubsidie", D(2024, 1, 1), end=D(2025, 2, 28))
    world.trajectory(p2, "nieuw_beschut", D(2025, 2, 28))
    world.trajectory(p2, "dagbesteding", D(2024, 12, 31), end=D(2025, 12, 31))
    world.trajectory(world.resident(), "loonkostensubsidie", D(2025, 11, 18))  # after today
    today = D(2025, 11, 17)  # a running month, quarter and year
    codes = list(NEW_INTERVAL_CODES) + [
        "reference17." + c.replace(".", "_") for c in NEW_INTERVAL_CODES
    ]
    indicator_values_fill(municipality_id=world.municipality.pk, codes=codes, today=today)
    rows = stored_values(world.municipality.pk)
    for code in NEW_INTERVAL_CODES:
        interval = {r[1:] for r in rows if r[0] == code}
        reference = {r[1:] for r in rows if r[0] == "reference17." + code.replace(".", "_")}
        assert interval, code
        assert interval == reference, code


def test_groningen_beschut_card_shows_its_quota_not_geen_streefwaarde(world):
    """Groningen: after load_indicator_targets the beschut card reads 138 (2021); a municipality
    without that plan keeps 'Geen streefwaarde'."""
    from django.core.management import call_command

    from indicators import calculations as calc
    from indicators.selectors import dashboard_overview

    groningen = factories.MunicipalityFactory(cbs_code=GRONINGEN, name="Groningen")
    call_command(
        "load_indicator_targets", "--from-year", "2021", "--to-year", "2021", stdout=io.StringIO()
    )
    manager = factories.UserFactory(manager=True)
    today = D(2021, 12, 31)
    cards = {}
    for mun in (groningen, world.municipality):
        indicator_values_fill(
            municipality_id=mun.pk, codes=["beschut.quota"], year=2021, today=today
        )
        (cards[mun.pk],) = dashboard_overview(
            user=manager, municipality=mun, year=2021, today=today, codes=["beschut.quota"]
        )
    card = cards[groningen.pk]
    assert card.target == Decimal(138)
    assert card.baseline == Decimal(119)
    assert card.status != calc.NO_TARGET
    assert "Geen streefwaarde" not in card.status_label
    other = cards[world.municipality.pk]
    assert other.target is None
    assert other.status == calc.NO_TARGET


def test_walk_3_december_a_shared_ambition_is_loaded_without_the_other_municipalitys_baseline():
    """The second walk of 3 December: Groningen's card "Schuldregeling succesvol afgerond"
    showed "Streefwaarde 75,0% Nulmeting 72,0%": Amersfoort's ambition and Amersfoort's own
    nulmeting, as if Groningen's. Elsewhere a shared ambition now comes without the nulmeting
    and with a note naming the plan it comes from; its own municipality keeps both."""
    code = "amersfoort.debt_settled"
    groningen = {c: (b, t, n) for c, _y, b, t, n in seed_targets_for(GRONINGEN, range(2025, 2026))}
    baseline, target, note = groningen[code]
    assert (baseline, target) == (None, Decimal(75))
    assert note.startswith("Overgenomen als startpunt uit het beleidsplan van Amersfoort")
    amersfoort = {c: (b, t) for c, _y, b, t, _n in seed_targets_for(AMERSFOORT, range(2025, 2026))}
    assert amersfoort[code] == (Decimal(72), Decimal(75))
    # a municipality's own count targets are untouched
    hilversum = {c: (b, t) for c, _y, b, t, _n in seed_targets_for(HILVERSUM, range(2025, 2026))}
    assert hilversum["outflow.to_work"] == (Decimal(214), Decimal(267))
