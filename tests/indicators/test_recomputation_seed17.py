"""Independent recomputation of the issue 17 indicators of 's-Hertogenbosch (000) and Amersfoort
(004) that follow a cohort or weigh hours: the figures are recomputed here in Python, from the
case rows and the wording of docs/indicators.md alone (no SQL of the definitions), on generated
histories, and compared with what the fill stored for every month and the year."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from caseload import models as m
from caseload import services as cs
from indicators.models import IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2025


def _periods() -> list[tuple[str, dt.date, dt.date]]:
    months = [
        ("month", D(YEAR, n, 1), D(YEAR, n, calendar.monthrange(YEAR, n)[1])) for n in range(1, 13)
    ]
    return [*months, ("year", D(YEAR, 1, 1), D(YEAR, 12, 31))]


def _stored(world, code) -> dict[tuple[str, dt.date], tuple[Decimal, Decimal | None]]:
    return {
        (kind, start): (num, den)
        for kind, start, num, den in IndicatorValue.objects.filter(
            municipality=world.municipality, code=code, dimension=""
        ).values_list("period_kind", "period_start", "numerator", "denominator")
    }


def _compare(world, code: str, expected: Callable[[dt.date, dt.date], tuple]) -> int:
    world.fill(codes=[code])
    stored = _stored(world, code)
    checked = 0
    for kind, start, end in _periods():
        want = expected(start, end)
        got = stored.get((kind, start))
        if got is None:  # no facts in the period: nothing stored, which must mean zero
            assert want[0] == 0 and (want[1] in (None, 0)), (code, kind, start, want)
            continue
        assert (got[0], got[1]) == want, (code, kind, start, got, want)
        checked += 1
    return checked


def _pw_applied(household_id: int, after: dt.date, until: dt.date, not_id: int = 0) -> bool:
    """docs: a melding for algemene bijstand received, or an algemene bijstand benefit starting,
    in the household after ``after`` up to and including ``until``."""
    applications = m.Application.objects.filter(
        resident__household_id=household_id,
        regime="pw",
        received_on__gt=after,
        received_on__lte=until,
    ).exclude(pk=not_id)
    benefits = m.Benefit.objects.filter(
        household_id=household_id, regime="pw", start_date__gt=after, start_date__lte=until
    )
    return applications.exists() or benefits.exists()


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ww_prevention_recomputed(world, seed):
    rng = random.Random(seed)
    for _ in range(14):
        person = world.resident()
        decided = _day(rng, D(2024, 5, 1), D(2025, 8, 31))
        outcome = rng.choice(["voorkomen", "voorkomen", "toegekend", "afgewezen"])
        route = rng.choice(["ww_coaching", "ww_coaching", "ww_coaching", "work_first"])
        factories.ApplicationFactory(
            resident=person,
            regime="pw",
            prevention_route=route,
            outcome=outcome,
            received_on=decided - dt.timedelta(days=rng.randrange(0, 60)),
            decided_on=decided,
        )
        later = decided + dt.timedelta(days=rng.randrange(-10, 260))
        what = rng.choice(["none", "pw", "ioaw", "benefit"])
        if what in ("pw", "ioaw"):
            factories.ApplicationFactory(
                resident=person, regime=what, received_on=later, outcome="in_behandeling"
            )
        elif what == "benefit":
            cs.benefit_open(
                household=person.household, applicant=person, regime="pw", start_date=later
            )

    cohort = [
        (a, a.decided_on + relativedelta(months=6))
        for a in m.Application.objects.filter(
            resident__municipality=world.municipality,
            prevention_route="ww_coaching",
            decided_on__isnull=False,
        ).select_related("resident")
    ]

    def expected(start, end):
        den = [(a, until) for a, until in cohort if start <= until <= end]
        num = [
            a
            for a, until in den
            if a.outcome == "voorkomen"
            and not _pw_applied(a.resident.household_id, a.decided_on, until, not_id=a.pk)
        ]
        return Decimal(len(num)), Decimal(len(den))

    assert _compare(world, "prevention.ww_no_application", expected) >= 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bbz_entrepreneurs_recomputed(world, seed):
    rng = random.Random(seed)
    for _ in range(14):
        regime = rng.choice(["bbz_starter", "bbz_starter", "bbz_starter", "ioaz"])
        start = _day(rng, D(2023, 12, 1), D(2025, 2, 28))
        if rng.random() < 0.1:
            start = D(2024, 2, 29)
        person, benefit = world.on_benefit(start=start, regime=regime)
        later = start + dt.timedelta(days=rng.randrange(1, 420))
        what = rng.choice(["none", "pw", "ioaw", "benefit", "partner"])
        if what in ("pw", "ioaw"):
            factories.ApplicationFactory(
                resident=person, regime=what, received_on=later, outcome="in_behandeling"
            )
        elif what == "benefit":
            cs.benefit_open(
                household=person.household, applicant=person, regime="pw", start_date=later
            )
        elif what == "partner":
            partner = factories.ResidentFactory(household=person.household, team=world.team)
            factories.ApplicationFactory(
                resident=partner, regime="pw", received_on=later, outcome="in_behandeling"
            )

    cohort = [
        (b, b.start_date + relativedelta(years=1))
        for b in m.Benefit.objects.filter(
            household__municipality=world.municipality, regime="bbz_starter"
        ).select_related("applicant")
    ]

    def expected(start, end):
        den = [(b, until) for b, until in cohort if start <= until <= end]
        num = [
            b for b, until in den if not _pw_applied(b.applicant.household_id, b.start_date, until)
        ]
        return Decimal(len(num)), Decimal(len(den))

    assert _compare(world, "ondernemers.bbz_no_pwet_application", expected) >= 1


def _placements(world, rng: random.Random, codes: tuple[str, ...], n: int) -> None:
    for _ in range(n):
        person = world.resident()
        code = rng.choice(codes)
        start = _day(rng, D(2013, 6, 1), D(2025, 12, 31))
        if rng.random() < 0.15:
            start = rng.choice([D(2015, 1, 1), D(2014, 12, 31), D(2025, 1, 1), D(2025, 3, 31)])
        hours = rng.choice([None, Decimal("8"), Decimal("18.5"), Decimal("32"), Decimal("36")])
        sector = rng.choice(["", "markt", "overheid"])
        t = cs.trajectory_start(
            resident=person,
            instrument=world.instrument(code),
            started_on=start,
            by=world.staff,
            hours_per_week=hours,
            banenafspraak_sector=sector,
        )
        if rng.random() < 0.5:
            end = start + dt.timedelta(days=rng.randrange(0, 700))
            if end <= D(2026, 11, 22):
                cs.trajectory_close(trajectory=t, on=end, result="afgerond", by=None)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    ("code", "instrument"),
    [
        ("support.nieuw_beschut_fte", "nieuw_beschut"),
        ("support.loonkostensubsidie_fte", "loonkostensubsidie"),
    ],
)
def test_fte_recomputed(world, seed, code, instrument):
    from fractions import Fraction

    rng = random.Random(seed)
    _placements(world, rng, ("nieuw_beschut", "loonkostensubsidie", "garantiebaan"), 16)
    trajectories = list(
        m.Trajectory.objects.filter(instrument__code=instrument, hours_per_week__isnull=False)
    )

    def expected(start, end):
        # docs: sum of hours x days running in [start, end] / (36 x days of the period); a
        # trajectory does not run on its end date
        total = Fraction(0)
        for t in trajectories:
            first = max(t.started_on, start)
            stop = min(t.ended_on or D.max, end + dt.timedelta(days=1))
            days = (stop - first).days
            if days > 0:
                total += Fraction(t.hours_per_week) * days / (36 * ((end - start).days + 1))
        value = Decimal(total.numerator) / Decimal(total.denominator)
        return value.quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP"), None

    assert _compare(world, code, expected) >= 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_banenafspraak_jobs_recomputed(world, seed):
    rng = random.Random(seed)
    _placements(world, rng, ("garantiebaan", "loonkostensubsidie", "jobcoaching"), 18)
    jobs = list(m.Trajectory.objects.exclude(banenafspraak_sector=""))

    def expected(start, end):
        # docs: running on the last day of the period (not on its end date), started on or
        # after 1 January 2015, with a banenafspraak sector; each job once
        running = [
            t
            for t in jobs
            if D(2015, 1, 1) <= t.started_on <= end and (t.ended_on is None or t.ended_on > end)
        ]
        return Decimal(len(running)), None

    assert _compare(world, "banenafspraak.jobs", expected) >= 1
