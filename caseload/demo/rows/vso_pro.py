"""Rows of the Vso/Pro school-leavers that the municipality's youth team guides to work without a
benefit (issue 17: 's-Hertogenbosch's seed places 70 a year "zodat zij niet instromen in de
uitkering"; ``jongeren.vso_pro_placed`` read about 0 in every demo municipality before).

Each youth gets a household of their own (the benefit unit a later application would use), a
resident in the youth team with education level Vso/Pro and no startkwalificatie, one coaching
trajectory towards work that ends in work for ``VSO_PRO_PLACED_SHARE`` of them, and a few
contacts with a youth consulent. They are written after every planned household, drawing from
the same seeded source: every row drawn before them stays what it was.
"""

from __future__ import annotations

from caseload import models as m

from ..copy_writer import NULL, esc, euros
from ..parameters import (
    DAYS_PER_YEAR,
    VSO_PRO_CONTACT_SUMMARY,
    VSO_PRO_INSTRUMENT,
    VSO_PRO_PLACED_SHARE,
    TeamKind,
)
from ..plan import Plan
from ..state import DemoState
from .households import address_row, resident_row


def vso_pro_youths_per_year(d: DemoState) -> float:
    """The profile's school-leavers a year, scaled like the caseload of this load."""
    return d.profile.vso_pro_youths_per_year * d.n / d.profile.real_caseload


def write_vso_pro_youths(d: DemoState) -> int:
    """The youths who arrived in the history window (a Poisson count at the profile's rate);
    returns how many were written."""
    rng = d.rng
    years = (d.today - d.ws) / DAYS_PER_YEAR
    count = d.poisson(vso_pro_youths_per_year(d) * years)
    consulents = d.consulents[TeamKind.YOUTH]
    for _ in range(count):
        arrived = rng.randint(d.ws, d.today)
        # leaves Pro at 18, Vso at 20 at the latest
        birth = arrived - int(rng.uniform(17.5, 20.0) * DAYS_PER_YEAR)
        started = arrived + rng.randint(7, 42)
        planned = started + 182
        placed = rng.random() < VSO_PRO_PLACED_SHARE
        duration = int(rng.triangular(45, 365, 120)) if placed else rng.randint(60, 300)
        ended = started + duration
        if started > d.today:
            started = ended = 0  # arrived this month: the trajectory is yet to start
        running = not started or ended > d.today
        consulent = rng.choice(consulents)
        p = Plan(
            kind="open" if running else "vso_pro",
            start=arrived,
            birth=birth,
            team=TeamKind.YOUTH,
            consulent=consulent,
            household_type=m.HouseholdType.SINGLE,
        )
        household = address_row(d, p)
        resident, _ = resident_row(
            d,
            p,
            p,
            household,
            role=m.HouseholdRole.APPLICANT,
            birth=birth,
            female=rng.random() < 0.4,
            last_name=None,
            registered=arrived,
            doelgroep=rng.random() < 0.5,  # a Vso pupil is mostly in the register, a Pro one not
            education=m.EducationLevel.VSO_PRO,
        )
        d.t_contact.add(
            resident,
            d.iso(arrived),
            m.ContactMoment.Channel.FACE_TO_FACE,
            consulent,
            esc(VSO_PRO_CONTACT_SUMMARY),
        )
        if not started:
            continue
        if running:
            result, end_on = "", NULL
        else:
            result = (
                m.Trajectory.Result.WORK
                if placed
                else rng.choice((m.Trajectory.Result.DROPPED_OUT, m.Trajectory.Result.REFERRED))
            )
            end_on = d.iso(ended)
        cost = d.instrument_cost[VSO_PRO_INSTRUMENT] * min(duration, 182) // 182
        d.t_trajectory.add(
            resident,
            d.instrument_id[VSO_PRO_INSTRUMENT],
            esc(rng.choice(d.profile.providers[VSO_PRO_INSTRUMENT])),
            d.iso(started),
            d.iso(planned),
            end_on,
            result,
            euros(cost),
            consulent,
            NULL,
            "",
        )
    return count
