"""Fraud investigations and debt cases of one benefit."""

from __future__ import annotations

import math

from caseload import models as m

from ..copy_writer import NULL, euros
from ..parameters import (
    DEBT_PER_HOUSEHOLD_YEAR,
    FRAUD_ADJUSTED_SHARE,
    FRAUD_ENDED_SHARE,
    FRAUD_PER_HOUSEHOLD_YEAR,
)
from ..plan import Plan
from ..state import DemoState


def write_fraud_and_debt(d: DemoState, p: Plan, resident: int, last: int) -> None:
    """Fraud investigations (the one that ended the benefit, others at a steady rate) and debt
    cases of the applicant during the benefit."""
    rng = d.rng
    today = d.today
    a = max(p.start, d.ws)
    if p.fraud_end:
        started = max(p.start, p.end - rng.randint(30, 120))
        d.t_fraud.add(
            resident,
            d.iso(started),
            d.pick(d.c_signal),
            d.iso(p.end),
            m.FraudInvestigation.Result.ENDED,
            euros(rng.randint(200_000, 2_000_000)),
        )
    rate = FRAUD_PER_HOUSEHOLD_YEAR * (1 - FRAUD_ENDED_SHARE)
    for _ in range(d.poisson(rate * d.years_between(a, last))):
        started = rng.randint(a, last)
        ended = started + rng.randint(20, 120)
        if ended > today:
            if p.end:
                ended = today
            else:
                d.t_fraud.add(resident, d.iso(started), d.pick(d.c_signal), NULL, "", "0.00")
                continue
        if rng.random() < FRAUD_ADJUSTED_SHARE / (1 - FRAUD_ENDED_SHARE):
            result, claim = m.FraudInvestigation.Result.ADJUSTED, rng.randint(50_000, 800_000)
        else:
            result, claim = m.FraudInvestigation.Result.UNCHANGED, 0
        d.t_fraud.add(
            resident,
            d.iso(started),
            d.pick(d.c_signal),
            d.iso(ended),
            result,
            euros(claim),
        )
    for _ in range(d.poisson(DEBT_PER_HOUSEHOLD_YEAR * d.years_between(a, last))):
        applied = rng.randint(a, last)
        closed = applied + rng.randint(60, 900)
        debt = int(math.exp(rng.gauss(9.6, 0.8)) * 100)
        if closed > today:
            d.t_debt.add(resident, d.iso(applied), euros(debt), NULL, "")
        else:
            d.t_debt.add(
                resident,
                d.iso(applied),
                euros(debt),
                d.iso(closed),
                d.pick(d.c_debt),
            )
