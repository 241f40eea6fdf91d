"""Outflow rows of one benefit: partial outflow (part-time work, more hours) and the full
outflow when the benefit ended, with its durability."""

from __future__ import annotations

from datetime import date

from caseload import models as m

from ..copy_writer import NULL, boolean, esc
from ..parameters import SECTORS
from ..plan import Plan
from ..state import DemoState
from .journey import Person


def _add_months(ordinal: int, months: int) -> int:
    """``date + interval 'n months'`` as PostgreSQL computes it (clamped to the month end)."""
    d = date.fromordinal(ordinal)
    y, mo = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, mo + 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (nxt - date(year, month, 1)).days
    return date(year, month, min(d.day, last_day)).toordinal()


def _work_fields(
    d: DemoState, *, partial: bool, self_employed: bool
) -> tuple[str, str, str, str, bool]:
    rng = d.rng
    hours = rng.randint(8, 24) if partial else rng.choice((20, 24, 28, 32, 32, 36, 36, 38, 40, 40))
    if self_employed:
        contract = m.OutflowEvent.ContractType.SELF_EMPLOYED
        employer = ""
    else:
        contract = d.pick(d.c_contracts)
        employer = esc(d.fake.company())
    subsidised = not self_employed and rng.random() < 0.1
    return f"{hours}.0", employer, rng.choice(SECTORS), contract, subsidised


def write_outflows(d: DemoState, p: Plan, benefit: int, people: list[Person], by: int) -> None:
    """Partial outflow (part-time work, more hours) and the full outflow of an ended benefit."""
    rng = d.rng
    today = d.today

    def who() -> int:
        return people[1].id if len(people) > 1 and rng.random() < 0.3 else people[0].id

    def add(resident: int, kind: str, reason: str, day: int, increase: bool, work, durable) -> None:
        hours, employer, sector, contract, subsidised = work
        off_6, off_12 = durable
        d.t_outflow.add(
            resident,
            benefit,
            kind,
            reason,
            d.iso(day),
            boolean(increase),
            hours,
            employer,
            sector,
            contract,
            boolean(subsidised),
            off_6,
            off_12,
            by,
            f"{d.iso(min(day + rng.randint(0, 5), today))} 10:00:00+00",
        )

    # Partial outflow: part-time work started, and perhaps more hours later.
    if p.part_time_from:
        resident = who()
        work = _work_fields(d, partial=True, self_employed=False)
        if p.part_time_event and p.part_time_from >= d.ws:
            add(resident, "gedeeltelijk", "werk", p.part_time_from, False, work, (NULL, NULL))
        if p.hours_increase_on and p.hours_increase_on >= d.ws:
            more = min(38, int(float(work[0])) + rng.randint(4, 12))
            work = (f"{more}.0", *work[1:])
            add(resident, "gedeeltelijk", "werk", p.hours_increase_on, True, work, (NULL, NULL))
    if p.kind != "ended":
        return
    # Full outflow: the benefit ended.
    is_work = p.end_reason in m.WORK_END_REASONS
    if is_work:
        work = _work_fields(
            d, partial=False, self_employed=p.end_reason == m.CbsEndReason.SELF_EMPLOYMENT
        )
    else:
        work = (NULL, "", "", "", False)
    # Durability as services.outflow_durability_refresh defines it: no new benefit for the
    # household that started after the outflow and within 6 (12) months.
    durable: list[str] = []
    for months in (6, 12):
        moment = _add_months(p.end, months)
        if moment > today:
            durable.append(NULL)
        else:
            durable.append(boolean(p.next is None or p.next.start > moment))
    off_6, off_12 = durable
    add(who(), "volledig", "werk" if is_work else "overig", p.end, False, work, (off_6, off_12))
