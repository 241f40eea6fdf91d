"""Rows of one benefit: the benefit, its granted application and monthly payments, and everything
that happened to the household's residents during it."""

from __future__ import annotations

from datetime import date

from caseload import models as m

from ..copy_writer import NULL, euros
from ..parameters import MONTHLY_NORM_CENTS, NORM_INDEX_PER_YEAR
from ..plan import Plan
from ..state import DemoState
from . import enforcement, journey, outflow
from .journey import Person


def write_benefit(
    d: DemoState, p: Plan, hh: int, applicant: int, partner: int, registered: int
) -> None:
    """One benefit of the household with everything that happened during it."""
    rng = d.rng
    benefit = d.t_benefit.add(
        hh,
        applicant,
        p.regime,
        d.iso(p.start),
        d.iso(p.end) if p.end else NULL,
        p.end_reason,
    )
    decided = min(registered + rng.randint(10, 50), max(d.today, registered))
    d.t_application.add(
        applicant,
        p.regime,
        d.iso(registered),
        m.Application.RiskProfile.RAISED if rng.random() < 0.15 else "normaal",
        m.Application.PreventionRoute.WW_COACHING if rng.random() < 0.1 else "geen",
        m.Application.Outcome.GRANTED,
        d.iso(decided),
        benefit,
    )
    _payments(d, p, benefit)

    is_open = p.kind == "open"
    last = d.today if is_open else p.end
    by = p.consulent if is_open else rng.choice(d.consulents[p.team])
    work_exit = p.end_reason in m.WORK_END_REASONS
    people = [
        Person(
            applicant,
            p.group,
            p.start,
            last,
            is_open,
            by,
            p.out_of_view,
            p.status_holder,
            work_exit,
        )
    ]
    if partner:
        people.append(
            Person(
                partner,
                p.partner_group,
                p.start,
                last,
                is_open,
                by,
                p.out_of_view,
                p.status_holder,
                work_exit,
            )
        )
    for person in people:
        history = journey.write_groups(d, person)
        journey.write_trajectories(
            d, person, history, p.placement if person.id == applicant else ""
        )
        if person.id == applicant and p.regime == m.Regime.BBZ_STARTER:
            journey.write_bbz_guidance(d, person)
        journey.write_contacts(d, person)
        journey.write_ladder(d, person, history)
    outflow.write_outflows(d, p, benefit, people, by)
    enforcement.write_fraud_and_debt(d, p, applicant, last)


def _payments(d: DemoState, p: Plan, benefit: int) -> None:
    rng = d.rng
    months = d.months
    first_i = max(0, d.month_index(p.start))
    last_i = d.month_index(p.end) if p.end else len(months) - 1
    norm = MONTHLY_NORM_CENTS[p.household_type] * rng.uniform(0.9, 1.0)
    if p.regime == m.Regime.LOONKOSTENSUBSIDIE:
        norm *= 0.8
    pt_i = d.month_index(p.part_time_from) if p.part_time_from else 10**6
    hi_i = d.month_index(p.hours_increase_on) if p.hours_increase_on else 10**6
    offset_base = rng.randint(25_000, 85_000)
    anchor_year = d.today_date.year
    end_day = date.fromordinal(p.end).day if p.end else 0
    start_day = date.fromordinal(p.start).day
    table = d.t_payment
    rows = table.rows
    pk = table.next_id
    cache: dict[tuple[int, int], str] = {}  # (year, part-time state) -> amount and offset
    for i in range(first_i, last_i + 1):
        first, iso, days, year = months[i]
        state = 0 if i < pt_i else 1 if i < hi_i else 2
        part_from = start_day if first <= p.start < first + days else 1
        part_to = end_day if p.end and i == last_i else days
        whole = part_from == 1 and part_to == days
        money = cache.get((year, state)) if whole else None
        if money is None:
            full = int(norm * NORM_INDEX_PER_YEAR ** (year - anchor_year))
            offset = 0
            if state:
                offset = min(offset_base * (state + 1) // 2, full * 3 // 4)
            amount = full - offset
            if whole:
                money = f"{euros(amount)}\t{euros(offset)}"
                cache[(year, state)] = money
            else:  # pro rata in the first and last month
                share = (part_to - part_from + 1) / days
                money = f"{euros(int(amount * share))}\t{euros(int(offset * share))}"
        rows.append(f"{pk}\t{benefit}\t{iso}\t{money}\n")
        pk += 1
    table.next_id = pk
