"""Issue 17, the 's-Hertogenbosch (000) and Amersfoort (004) indicators that needed a follow-up
window or new facts: WW prevention, Bbz entrepreneurs, fte of supported work and banenafspraak
jobs. One small hand-built history each, the exact stored value read back."""

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services as cs
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date


def _ww(resident, decided, outcome="voorkomen", regime="pw", route="ww_coaching"):
    return factories.ApplicationFactory(
        resident=resident,
        regime=regime,
        prevention_route=route,
        outcome=outcome,
        received_on=decided - dt.timedelta(days=30),
        decided_on=decided,
    )


def _apply(resident, received, regime="pw"):
    return factories.ApplicationFactory(
        resident=resident,
        regime=regime,
        outcome="afgewezen",
        received_on=received,
        decided_on=received + dt.timedelta(days=20),
    )


def ww_history(world):
    # a: coached, guidance closed 15 Jan 2025 as prevented, no later application: counts (July)
    a = world.resident()
    _ww(a, D(2025, 1, 15))
    # b: prevented, but applies for bijstand 3 months later: applied
    b = world.resident()
    _ww(b, D(2025, 2, 10))
    _apply(b, D(2025, 5, 10))
    # c: prevented, applies exactly 6 months later (the window's last day): applied
    c = world.resident()
    _ww(c, D(2025, 3, 1))
    _apply(c, D(2025, 9, 1))
    # d: prevented, applies 6 months and a day later: did not apply within the window
    d = world.resident()
    _ww(d, D(2025, 3, 1))
    _apply(d, D(2025, 9, 2))
    # e: the coaching melding itself was granted: applied
    e = world.resident()
    _ww(e, D(2025, 4, 1), outcome="toegekend")
    # f: prevented, the partner's bijstand benefit starts two months later: applied
    f = world.resident()
    _ww(f, D(2025, 4, 1))
    partner = factories.ResidentFactory(household=f.household, team=world.team)
    cs.benefit_open(household=f.household, applicant=partner, regime="pw", start_date=D(2025, 6, 1))
    # g: prevented, a later IOAW application is not algemene bijstand: counts
    g = world.resident()
    _ww(g, D(2025, 5, 20))
    _apply(g, D(2025, 6, 1), regime="ioaw")
    # h: another prevention route: not in the cohort
    _ww(world.resident(), D(2025, 1, 15), route="work_first")
    # i: guidance closed in August 2025: its window ends in February 2026, another year
    _ww(world.resident(), D(2025, 8, 1))
    # j: still pending (no decision): not in the cohort
    factories.ApplicationFactory(
        resident=world.resident(), prevention_route="ww_coaching", received_on=D(2025, 1, 2)
    )


def test_ww_prevention_share_without_application_after_guidance(world):
    """'s-Hertogenbosch: 50 % dient na de begeleiding geen aanvraag in."""
    ww_history(world)
    world.fill(codes=["prevention.ww_no_application"], year=None)
    code = "prevention.ww_no_application"
    row = world.value(code, "2025")
    # a, d, g of a, b, c, d, e, f, g (windows ending 15 Jul .. 20 Nov 2025)
    assert (row.numerator, row.denominator, row.value) == (3, 7, Decimal("42.8571"))
    assert (world.value(code, "2025-07").numerator, world.value(code, "2025-07").denominator) == (
        1,
        1,
    )
    september = world.value(code, "2025-09")  # c and d, both 1 September
    assert (september.numerator, september.denominator) == (1, 2)
    assert world.value(code, "2026").denominator == 1  # i
    assert world.value(code, "2025", "team", "Werk").denominator == 7


def bbz_history(world):
    # a: Bbz from 1 Mar 2024, no bijstand after: counts in March 2025
    world.on_benefit(start=D(2024, 3, 1), regime="bbz_starter")
    # b: Bbz from 1 Apr 2024, a bijstand application in December 2024: applied
    b, _ = world.on_benefit(start=D(2024, 4, 1), regime="bbz_starter")
    _apply(b, D(2024, 12, 1))
    # c: Bbz from 1 May 2024, bijstand application on 1 May 2025 (within the year): applied
    c, _ = world.on_benefit(start=D(2024, 5, 1), regime="bbz_starter")
    _apply(c, D(2025, 5, 1))
    # d: Bbz from 1 May 2024, bijstand benefit from 2 May 2025 (after the year): counts
    d, bbz = world.on_benefit(start=D(2024, 5, 1), regime="bbz_starter")
    cs.benefit_close(benefit=bbz, on=D(2025, 4, 1), result="19", by=None)
    cs.benefit_open(household=d.household, applicant=d, regime="pw", start_date=D(2025, 5, 2))
    # e: Bbz from 29 Feb 2024: the year ends on 28 Feb 2025; a bijstand benefit from 1 Mar
    world_e, _ = world.on_benefit(start=D(2024, 2, 29), regime="bbz_starter")
    cs.benefit_open(
        household=world_e.household, applicant=world_e, regime="pw", start_date=D(2025, 3, 1)
    )
    # f: Bbz from 1 Jun 2025: its year ends in 2026
    world.on_benefit(start=D(2025, 6, 1), regime="bbz_starter")
    # g: an IOAZ benefit is not Bbz
    world.on_benefit(start=D(2024, 3, 1), regime="ioaz")


def test_bbz_entrepreneurs_without_bijstand_application_within_a_year(world):
    """'s-Hertogenbosch: 75 % vraagt binnen 1 jaar na toekenning geen uitkering P-wet aan."""
    bbz_history(world)
    world.fill(codes=["ondernemers.bbz_no_pwet_application"], year=None)
    code = "ondernemers.bbz_no_pwet_application"
    row = world.value(code, "2025")
    assert (row.numerator, row.denominator, row.value) == (3, 5, Decimal("60.0000"))
    feb = world.value(code, "2025-02")  # e: 29 Feb 2024 + 1 year = 28 Feb 2025
    assert (feb.numerator, feb.denominator) == (1, 1)
    may = world.value(code, "2025-05")  # c (applied on the last day) and d
    assert (may.numerator, may.denominator) == (1, 2)
    assert world.value(code, "2026").denominator == 1  # f


def _targets(cbs_code, year):
    from indicators.seeds import seed_targets_for

    return {c: (b, t) for c, y, b, t, _ in seed_targets_for(cbs_code, range(year, year + 1))}


def test_seed_targets_of_the_000_and_004_indicators():
    from indicators.seeds import AMERSFOORT, DEN_BOSCH

    den_bosch = _targets(DEN_BOSCH, 2018)
    assert den_bosch["prevention.ww_no_application"] == (None, Decimal(50))
    assert den_bosch["ondernemers.bbz_no_pwet_application"] == (None, Decimal(75))
    # shares: an ambition any municipality may adopt
    assert _targets(AMERSFOORT, 2019)["prevention.ww_no_application"] == (None, Decimal(50))


# fte of supported work and banenafspraak jobs (new trajectory facts) ---------------------------


def _placement(world, resident, code, start, end=None, hours=None, sector=""):
    t = cs.trajectory_start(
        resident=resident,
        instrument=world.instrument(code),
        started_on=start,
        by=world.staff,
        hours_per_week=hours,
        banenafspraak_sector=sector,
    )
    if end is not None:
        t = cs.trajectory_close(trajectory=t, on=end, result="afgerond", by=None)
    return t


def test_fte_is_the_average_over_the_period_of_hours_over_36(world):
    """'s-Hertogenbosch: nieuw beschut gemiddeld 60 fte, loonkostensubsidie 223 fte (2018)."""
    a = world.resident()
    _placement(world, a, "nieuw_beschut", D(2024, 6, 1), hours=Decimal(36))  # 1 fte all year
    # 18 hours from 1 July: 0.5 fte for 184 of 365 days
    _placement(world, world.resident(), "nieuw_beschut", D(2025, 7, 1), hours=Decimal(18))
    # 36 hours in January only (ends 1 February, its end date does not count)
    _placement(world, world.resident(), "nieuw_beschut", D(2025, 1, 1), D(2025, 2, 1), Decimal(36))
    _placement(world, world.resident(), "nieuw_beschut", D(2025, 1, 1))  # no hours: not counted
    _placement(world, a, "loonkostensubsidie", D(2025, 3, 1), hours=Decimal("27"))
    world.fill(codes=["support.nieuw_beschut_fte", "support.loonkostensubsidie_fte"])
    year = world.value("support.nieuw_beschut_fte", "2025")
    # 1 + 0.5 * 184/365 + 31/365
    assert year.value == Decimal("1.3370")
    assert year.denominator is None
    assert world.value("support.nieuw_beschut_fte", "2025-01").value == Decimal(2)
    assert world.value("support.nieuw_beschut_fte", "2025-07").value == Decimal("1.5000")
    # 27/36 = 0.75 for 306 of 365 days
    assert world.value("support.loonkostensubsidie_fte", "2025").value == Decimal("0.6288")
    assert world.value("support.loonkostensubsidie_fte", "2025-03").value == Decimal("0.7500")


def test_banenafspraak_jobs_from_2015_by_sector(world):
    """'s-Hertogenbosch: 1,744 banen (1,209 markt, 535 overheid) vanaf 2015; Amersfoort:
    gerealiseerde garantiebanen."""
    a = world.resident()
    _placement(world, a, "garantiebaan", D(2016, 1, 1), sector="markt")
    _placement(world, a, "loonkostensubsidie", D(2025, 3, 1), sector="overheid")  # second job
    _placement(world, world.resident(), "garantiebaan", D(2025, 5, 1), sector="overheid")
    _placement(
        world, world.resident(), "garantiebaan", D(2015, 1, 1), D(2025, 6, 30), sector="markt"
    )
    _placement(world, world.resident(), "garantiebaan", D(2014, 12, 31), sector="markt")  # pre-2015
    _placement(world, world.resident(), "garantiebaan", D(2025, 1, 1))  # not a banenafspraak job
    world.fill(codes=["banenafspraak.jobs"])
    code = "banenafspraak.jobs"
    assert world.value(code, "2025").value == 3
    assert world.value(code, "2025", "sector", "markt").value == 1
    assert world.value(code, "2025", "sector", "overheid").value == 2
    assert world.value(code, "2025-05").value == 4
    assert world.value(code, "2025-06").value == 3  # ended on 30 June: not running that day
    assert world.value(code, "2025-02").value == 2


def test_fte_of_an_exact_half_rounds_up(world):
    """The independent recomputation of 4 December: an average fte of exactly x.xxxx5 was
    stored a step below (33,2812 for 33,28125): each trajectory's share was divided first and
    the quotients, cut at 20 digits, summed. Version 2 sums hours x days and divides once.
    Here: February 2025 (28 days), three placements of 636,3 hours x days in all, an fte of
    636,3 / (36 x 28) = 0,63125 exactly."""
    feb_end = D(2025, 2, 28)
    for hours, days in (("14", 6), ("3.3", 11), ("21.5", 24)):
        start = feb_end - dt.timedelta(days=days - 1)
        _placement(world, world.resident(), "loonkostensubsidie", start, hours=Decimal(hours))
    world.fill(codes=["support.loonkostensubsidie_fte"], year=2025)
    assert world.value("support.loonkostensubsidie_fte", "2025-02").value == Decimal("0.6313")
