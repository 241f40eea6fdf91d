"""Rows of one resident's journey during a benefit: work-readiness group assignments,
trajectories (placements too), contact moments and participation-ladder scores."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from caseload import models as m

from ..copy_writer import NULL, esc, euros
from ..parameters import (
    CONTACT_SUMMARIES,
    CONTACTS_PER_YEAR,
    DAYS_PER_YEAR,
    GROUP_REASONS,
    PLACEMENT_CODES,
    PLANNED_DAYS,
    PREVIOUS_GROUP,
    REASSESS_DAYS,
    TRAJECTORIES_PER_YEAR,
    WSW_CODES,
)
from ..state import DemoState


@dataclass(slots=True)
class Person:
    """Per-resident state shared by the journey generators."""

    id: int
    group: int
    start: int
    last: int  # benefit end, or today when open
    is_open: bool
    by: int  # user who records things for this resident
    out_of_view: bool
    status_holder: bool
    work_exit: bool


def write_groups(d: DemoState, person: Person) -> list[tuple[int, int]]:
    """Group assignments from the first decision to the current one (reassessed in time); returns
    the history as (decided on, group)."""
    rng = d.rng
    s, last = person.start, person.last
    d1 = s + rng.randint(14, 42)
    earliest = d.ws - rng.randint(0, 730)
    d1 = max(d1, earliest)
    if d1 > last:
        d1 = s + (last - s) // 2
    if person.is_open:
        # Reassessed on time mostly: the current decision is at most ~1.15 periods old.
        recent = max(d1, d.today - rng.randint(0, int(REASSESS_DAYS[person.group] * 1.15)))
        if recent - d1 < 120:
            dates = [d1]
        else:
            n = 3 if recent - d1 >= 240 and rng.random() < 0.4 else 2
            dates = [d1, *sorted(rng.sample(range(d1 + 60, recent - 59), n - 2)), recent]
    else:
        n = rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0]
        span = last - d1
        if span < 120:
            n = 1
        elif span < 240:
            n = min(n, 2)
        dates = [d1, *sorted(rng.sample(range(d1 + 60, last + 1), n - 1))]
    n = len(dates)
    groups = [person.group]
    for _ in range(n - 1):
        groups.append(rng.choice(PREVIOUS_GROUP[groups[-1]]))
    groups.reverse()
    history = list(zip(dates, groups, strict=True))
    for i, (decided, g) in enumerate(history):
        ended = d.iso(history[i + 1][0]) if i + 1 < n else NULL if person.is_open else d.iso(last)
        d.t_group.add(
            person.id,
            g,
            d.iso(decided),
            rng.choice(GROUP_REASONS[g] if i else GROUP_REASONS[g][:3]),
            person.by,
            d.iso(decided + REASSESS_DAYS[g] + rng.randint(-14, 30)),
            ended,
        )
    return history


def _group_at(history: list[tuple[int, int]], day: int) -> int:
    g = history[0][1]
    for decided, group in history:
        if decided <= day:
            g = group
        else:
            break
    return g


def _trajectory(
    d: DemoState,
    person: Person,
    code: str,
    started: int,
    planned_end: int | None,
    ended: int | None,
    result: str,
    cost: int,
    placement: tuple[str, str] = (NULL, ""),
    provider: str | None = None,
) -> None:
    d.t_trajectory.add(
        person.id,
        d.instrument_id[code],
        esc(provider if provider is not None else d.rng.choice(d.profile.providers[code])),
        d.iso(started),
        d.iso(planned_end) if planned_end else NULL,
        d.iso(ended) if ended else NULL,
        result,
        euros(cost),
        person.by,
        *placement,
    )


#: hours per week of a placement (low, high), for the fte count (issue 17)
_PLACEMENT_HOURS = {
    "nieuw_beschut": (16, 36),
    "loonkostensubsidie": (20, 36),
    "garantiebaan": (12, 32),
}


def _placement_facts(person: Person, code: str) -> tuple[str, str]:
    """Hours per week and banenafspraak sector of a placement. From a generator of the person's
    own, so that the demo's main random stream (and so every other row) stays as it was: the
    national split of the seed (000: 1,209 market and 535 government of 1,744 jobs)."""
    rng = random.Random(person.id * 7_919 + 17)
    low, high = _PLACEMENT_HOURS[code]
    hours = f"{rng.randint(low * 2, high * 2) / 2:.1f}"
    sector = ""
    if code == "garantiebaan":
        sector = "markt" if rng.random() < 1_209 / 1_744 else "overheid"
    return hours, sector


def write_trajectories(
    d: DemoState, person: Person, history: list[tuple[int, int]], placement: str
) -> None:
    """Placements first (open), then trajectories at the group's rate with their results
    and pro-rata costs; at most one open trajectory per instrument."""
    rng = d.rng
    today = d.today
    open_codes: list[str] = []
    if placement in PLACEMENT_CODES:
        started = rng.randint(max(person.start, today - 4 * 365), today)
        planned = None if placement == "nieuw_beschut" else started + PLANNED_DAYS[placement]
        _trajectory(
            d,
            person,
            placement,
            started,
            planned,
            None,
            "",
            d.instrument_cost[placement],
            _placement_facts(person, placement),
        )
        open_codes.append(placement)
    elif placement in WSW_CODES:
        before_2015 = date(2014, 12, 31).toordinal()
        started = rng.randint(person.start, max(person.start, before_2015))
        _trajectory(d, person, placement, started, None, None, "", 0)
        open_codes.append(placement)

    a = max(person.start, d.ws)
    last = person.last
    n = min(6, d.poisson(TRAJECTORIES_PER_YEAR[person.group] * d.years_between(a, last)))
    for started in sorted(rng.randint(a, last) for _ in range(n)):
        g = _group_at(history, started)
        table = d.c_instruments_sh if (g == 2 and person.status_holder) else d.c_instruments[g]
        code = d.pick(table)
        planned_days = PLANNED_DAYS[code]
        actual = started + int(planned_days * rng.uniform(0.4, 1.3))
        cost = d.instrument_cost[code]
        if actual > last:
            if person.is_open:
                if code in PLACEMENT_CODES or code in open_codes:
                    continue
                open_codes.append(code)
                _trajectory(d, person, code, started, started + planned_days, None, "", cost)
                continue
            actual = last
            if person.work_exit:
                result = m.Trajectory.Result.WORK
            else:
                result = rng.choice(("uitgevallen", "doorverwezen", "afgerond"))
        else:
            result = d.pick(d.c_results)
        cost = cost * min(planned_days, actual - started + 1) // planned_days
        _trajectory(d, person, code, started, started + planned_days, actual, result, cost)


#: a Bbz starter is guided as an entrepreneur (Bbz-begeleiding) for the benefit's first year
BBZ_GUIDANCE_DAYS = 365


def write_bbz_guidance(d: DemoState, person: Person) -> None:
    """Bbz-begeleiding (instrument ``parttime_ondernemen``) of a Bbz starter: from the benefit's
    start for a year, ended early when the benefit ends, running while both run. Drawn from
    nothing, so every other draw of the demo stays as it was (the part-time entrepreneurs of
    's-Hertogenbosch's seed, issue 17)."""
    code = "parttime_ondernemen"
    planned = person.start + BBZ_GUIDANCE_DAYS
    if planned <= min(person.last, d.today):
        ended, result = planned, m.Trajectory.Result.COMPLETED
    elif person.is_open:
        ended, result = None, ""
    else:
        ended, result = person.last, m.Trajectory.Result.COMPLETED
    cost = d.instrument_cost[code]
    if ended is not None:
        cost = cost * min(BBZ_GUIDANCE_DAYS, ended - person.start + 1) // BBZ_GUIDANCE_DAYS
    provider = d.profile.providers[code][0]
    _trajectory(d, person, code, person.start, planned, ended, result, cost, provider=provider)


def write_contacts(d: DemoState, person: Person) -> None:
    """Contact moments at the group's rate; residents out of view have none in the last year."""
    rng = d.rng
    today = d.today
    s, last = person.start, person.last
    days: list[int] = []
    if s >= d.ws:
        days.append(min(s + rng.randint(0, 10), last))
    rate = CONTACTS_PER_YEAR[person.group] / DAYS_PER_YEAR
    t = max(s, d.ws) + rng.expovariate(rate)
    while t <= last:
        days.append(int(t))
        t += rng.expovariate(rate)
    if person.is_open:
        if person.out_of_view:
            days = [d for d in days if d < today - 380]
        elif not any(d >= today - 330 for d in days):
            days.append(rng.randint(max(s, today - 330), today))
    for day in days:
        channel = d.pick(d.c_channels)
        d.t_contact.add(
            person.id,
            d.iso(day),
            channel,
            person.by,
            rng.choice(CONTACT_SUMMARIES[channel]),
        )


def write_ladder(d: DemoState, person: Person, history: list[tuple[int, int]]) -> None:
    """Participation-ladder scores about twice a year while in group 2 or 3."""
    rng = d.rng
    t = max(person.start, d.ws) + rng.randint(0, 180)
    step = 0
    while t <= person.last:
        g = _group_at(history, t)
        if g in (2, 3):
            if step == 0:
                step = rng.choice((2, 3, 3, 4) if g == 2 else (1, 2, 2, 3))
            else:
                r = rng.random()
                if r < 0.2:
                    step = min(5, step + 1)
                elif r < 0.28:
                    step = max(1, step - 1)
            d.t_ladder.add(person.id, d.iso(t), step, person.by)
        t += rng.randint(150, 210)
