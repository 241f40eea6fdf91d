"""The stochastic plan: who gets which benefit, when it starts and ends (and why), which group,
team, household and placement, and which households return after outflow.

A light ``Plan`` per household is drawn for the whole municipality before any row is written, so
the number of consulenten per team is known first. The draws consume ``DemoState.rng`` in a fixed
order; the row writers draw the rest.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from caseload import models as m

from .parameters import (
    ADULT_DAYS,
    AOW_YEARS,
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    FRAUD_END_REASONS,
    FRAUD_ENDED_SHARE,
    FRAUD_PER_HOUSEHOLD_YEAR,
    HOURS_INCREASE_HAZARD,
    MAX_AGE,
    MAX_BENEFIT_DAYS,
    MEAN_MONTHS,
    NO_RETURN_REASONS,
    NON_BENEFIT_APPLICATIONS_PER_INFLOW,
    OUT_OF_VIEW,
    PART_TIME_AT_START,
    PART_TIME_HAZARD,
    PENDING_APPLICATIONS_SHARE,
    PLACEMENT_CODES,
    RETURN_SHARE,
    STATUS_HOLDER,
    STATUS_HOLDER_MAX_DAYS,
    WORK_EXIT,
    WSW_CODES,
    TeamKind,
)
from .state import DemoState


@dataclass(slots=True)
class Plan:
    """The skeleton of one household, drawn before any row is written."""

    kind: str  # "open", "ended", "application" (no benefit) or "pending" (application)
    group: int = 0
    start: int = 0  # ordinal: benefit start, or application received
    end: int = 0  # ordinal: benefit end; 0 while open
    end_reason: str = ""
    regime: str = m.Regime.ALGEMENE_BIJSTAND
    birth: int = 0
    status_holder: bool = False
    team: str = ""
    household_type: str = m.HouseholdType.SINGLE
    children: int = 0
    partner_birth: int = 0  # 0: no partner
    partner_group: int = 0
    consulent: int | None = None
    part_time_from: int = 0
    part_time_event: bool = False  # the part-time work started during the benefit
    hours_increase_on: int = 0
    placement: str = ""
    out_of_view: bool = False
    fraud_end: bool = False
    outcome: str = ""
    next: Plan | None = None  # the same household's next benefit (a return after outflow)
    is_return: bool = False  # generated together with the benefit it follows


def plan(d: DemoState) -> list[Plan]:
    """Every household of the load, shuffled: the open caseload at the anchor date, the benefits
    that ended in the window, applications without a benefit, returns and placements."""
    rng = d.rng
    n = d.n
    plans: list[Plan] = [_open(d) for _ in range(n)]
    open_plans = list(plans)

    window_months = (d.today - d.ws) / DAYS_PER_MONTH
    window_years = (d.today - d.ws) / DAYS_PER_YEAR
    inflow_per_year = 0.0
    for g in (1, 2, 3):
        per_month = n * d.profile.group_share[g] / MEAN_MONTHS[g]
        inflow_per_year += per_month * 12
        for _ in range(round(per_month * window_months)):
            plans.append(_ended(d, g))

    # Fraud investigations that ended a benefit (~6% of investigations).
    candidates = [p for p in plans if p.kind == "ended" and p.end_reason in FRAUD_END_REASONS]
    target = FRAUD_ENDED_SHARE * FRAUD_PER_HOUSEHOLD_YEAR * n * window_years
    p_fraud = min(1.0, target / len(candidates)) if candidates else 0.0
    for p in candidates:
        p.fraud_end = rng.random() < p_fraud

    for _ in range(round(NON_BENEFIT_APPLICATIONS_PER_INFLOW * inflow_per_year * window_years)):
        plans.append(_application(d, rng.randint(d.ws, d.today - 60), pending=False))
    for _ in range(max(1, round(n * PENDING_APPLICATIONS_SHARE))):
        plans.append(_application(d, rng.randint(d.today - 27, d.today), pending=True))

    _returns(d, plans)
    _placements(d, open_plans)
    rng.shuffle(plans)
    return plans


def _returns(d: DemoState, plans: list[Plan]) -> None:
    """Link some ended benefits to a later benefit of the same household (a return).

    The later benefit is one of the planned ones that starts about the chosen gap after the
    end, so the caseload and the inflow stay as planned; it takes over the person.
    """
    rng = d.rng
    later = sorted(
        (p.start, i)
        for i, p in enumerate(plans)
        if p.kind in ("open", "ended") and p.start >= d.ws + 31
    )
    starts = [start for start, _ in later]
    used = [False] * len(later)
    for p in plans:
        if p.kind != "ended" or p.end_reason in NO_RETURN_REASONS or p.end > d.today - 45:
            continue
        within_6, within_12 = RETURN_SHARE[p.end_reason in m.WORK_END_REASONS]
        r = rng.random()
        if r < within_6:
            gap = rng.randint(31, 182)
        elif r < within_6 + within_12:
            gap = rng.randint(183, 365)
        else:
            continue
        target = p.end + gap
        j = bisect_left(starts, target)
        while j < len(later) and used[j]:
            j += 1
        if j == len(later) or starts[j] > target + 30:
            continue
        q = plans[later[j][1]]
        reference = q.end or d.today
        if (
            q.is_return
            or q.next is not None
            or q.end_reason == "03"
            or reference - p.birth > MAX_AGE * DAYS_PER_YEAR
        ):
            continue
        used[j] = True
        p.next = q
        q.is_return = True
        q.birth = p.birth
        q.status_holder = p.status_holder
        q.household_type = p.household_type
        q.children = p.children
        q.partner_birth = p.partner_birth
        if not q.partner_birth:
            q.partner_group = 0
        elif not q.partner_group:
            q.partner_group = q.group
        q.team = _team(d, q.group, (reference - q.birth) / DAYS_PER_YEAR, q.status_holder)


def _household_shape(d: DemoState, p: Plan, reference: int) -> None:
    """Household type, children and partner, given the applicant's birth date."""
    rng = d.rng
    p.household_type = d.pick(d.c_household)
    if p.household_type == m.HouseholdType.SINGLE_PARENT:
        p.children = rng.choices((1, 2, 3, 4), cum_weights=(45, 80, 95, 100))[0]
    elif p.household_type == m.HouseholdType.COUPLE:
        p.children = 0 if rng.random() < 0.5 else rng.choices((1, 2, 3, 4), (40, 35, 17, 8))[0]
        birth = p.birth + rng.randint(-6 * 365, 6 * 365)
        # partner is 18..66 at the reference date
        birth = min(max(birth, reference - int(66.5 * DAYS_PER_YEAR)), reference - ADULT_DAYS - 30)
        p.partner_birth = birth
        p.partner_group = p.group if rng.random() < 0.7 else d.pick(d.c_group)


def _team(d: DemoState, group: int, age: float, status_holder: bool) -> str:
    if status_holder:
        return TeamKind.STATUS_HOLDERS
    if age < 27:
        return TeamKind.YOUTH
    if group == 1:
        return TeamKind.POORT if d.rng.random() < 0.4 else TeamKind.WORK
    return TeamKind.WORK if group == 2 else TeamKind.INCOME


def _duration(d: DemoState, g: int, *, minimum: int = 0) -> int:
    """A benefit duration in days (exponential per group, at most 48 years)."""
    mean = MEAN_MONTHS[g] * DAYS_PER_MONTH - minimum
    while True:
        days = minimum + int(d.rng.expovariate(1 / mean))
        if days <= MAX_BENEFIT_DAYS:
            return days


def _age_for(d: DemoState, g: int, sh: bool, duration: int) -> float:
    """Age (years) at the end of a benefit that lasted ``duration`` days: adult at its start."""
    age = d.age_years(g, sh)
    minimum = 18 + duration / DAYS_PER_YEAR + 0.2
    if age < minimum:
        age = d.rng.uniform(minimum, max(minimum, MAX_AGE))
    return age


def _regime(d: DemoState, p: Plan, age: float) -> None:
    rng = d.rng
    if age >= 60 and not p.status_holder:
        p.regime = rng.choices(("ioaw", "ioaz", "pw"), cum_weights=(25, 30, 100))[0]
    elif p.group == 1 and rng.random() < 0.06:
        p.regime = m.Regime.BBZ_STARTER


def _part_time(d: DemoState, p: Plan, last: int) -> None:
    """Income from part-time work: from the start (no outflow event), or starting during the
    benefit (a partial outflow); later perhaps more hours (another partial outflow)."""
    rng = d.rng
    g = p.group
    if rng.random() < PART_TIME_AT_START[g]:
        p.part_time_from = p.start
    else:
        day = p.start + 1 + int(rng.expovariate(PART_TIME_HAZARD[g] / DAYS_PER_YEAR))
        if day < last:
            p.part_time_from = day
            p.part_time_event = True
    if p.part_time_from:
        day = p.part_time_from + 60 + int(rng.expovariate(HOURS_INCREASE_HAZARD / DAYS_PER_YEAR))
        if day < last:
            p.hours_increase_on = day


def _open(d: DemoState) -> Plan:
    rng = d.rng
    today = d.today
    g = d.pick(d.c_group)
    elapsed = _duration(d, g)
    sh = elapsed <= STATUS_HOLDER_MAX_DAYS and rng.random() < STATUS_HOLDER[g]
    age = _age_for(d, g, sh, elapsed)
    birth = today - int(age * DAYS_PER_YEAR)
    p = Plan(kind="open", group=g, start=today - elapsed, birth=birth, status_holder=sh)
    p.team = _team(d, g, age, sh)
    _regime(d, p, age)
    _household_shape(d, p, today)
    _part_time(d, p, today)
    if p.start < today - 400:
        p.out_of_view = rng.random() < OUT_OF_VIEW[g]
    return p


def _ended(d: DemoState, g: int) -> Plan:
    rng = d.rng
    end = rng.randint(d.ws, d.today - 1)
    duration = _duration(d, g, minimum=30)
    sh = duration <= STATUS_HOLDER_MAX_DAYS and rng.random() < STATUS_HOLDER[g]
    work = rng.random() < WORK_EXIT[g]
    reason = m.CbsEndReason.EMPLOYMENT if work else d.pick(d.c_nonwork)
    if reason == "03":
        age = AOW_YEARS + rng.random() * 0.2
    elif reason == "01":
        age = rng.triangular(18.5, 30.0, 21.0)
    else:
        age = _age_for(d, g, sh, duration)
    birth = end - int(age * DAYS_PER_YEAR)
    max_duration = end - (birth + ADULT_DAYS)
    if duration > max_duration:
        duration = rng.randint(min(30, max_duration), max_duration)
    p = Plan(kind="ended", group=g, start=end - duration, end=end, birth=birth, status_holder=sh)
    p.team = _team(d, g, age, sh)
    _regime(d, p, age)
    if work and rng.random() < (0.8 if p.regime == m.Regime.BBZ_STARTER else 0.08):
        reason = m.CbsEndReason.SELF_EMPLOYMENT
    p.end_reason = reason
    _household_shape(d, p, end)
    _part_time(d, p, end)
    return p


def _application(d: DemoState, received: int, *, pending: bool) -> Plan:
    rng = d.rng
    sh = rng.random() < 0.08
    age = d.age_years(1, sh)
    birth = received - int(age * DAYS_PER_YEAR)
    p = Plan(kind="pending" if pending else "application", start=received, birth=birth)
    p.status_holder = sh
    p.team = TeamKind.STATUS_HOLDERS if sh else TeamKind.YOUTH if age < 27 else TeamKind.POORT
    _household_shape(d, p, received)
    p.group = 1
    if pending:
        p.outcome = m.Application.Outcome.PENDING
    else:
        p.outcome = rng.choices(
            (
                m.Application.Outcome.REJECTED,
                m.Application.Outcome.WITHDRAWN,
                m.Application.Outcome.PREVENTED,
            ),
            cum_weights=(40, 70, 100),
        )[0]
    return p


def _placements(d: DemoState, open_plans: list[Plan]) -> None:
    rng = d.rng
    scale = d.n / 2200
    group2 = [p for p in open_plans if p.group == 2]
    per_2200 = d.profile.placements_per_2200
    wanted = [(code, round(per_2200[code] * scale)) for code in PLACEMENT_CODES]
    chosen = rng.sample(group2, min(len(group2), sum(k for _, k in wanted)))
    i = 0
    for code, k in wanted:
        for p in chosen[i : i + k]:
            p.placement = code
            if code == "loonkostensubsidie" and rng.random() < 0.2:
                p.regime = m.Regime.LOONKOSTENSUBSIDIE
        i += k
    before_2015 = date(2015, 1, 1).toordinal()
    old = [p for p in open_plans if p.group in (2, 3) and not p.placement and p.start < before_2015]
    wanted = [(code, round(per_2200[code] * scale)) for code in WSW_CODES]
    chosen = rng.sample(old, min(len(old), sum(k for _, k in wanted)))
    i = 0
    for code, k in wanted:
        for p in chosen[i : i + k]:
            p.placement = code
        i += k
