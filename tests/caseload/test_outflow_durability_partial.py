"""Issue 18: durability of a partial outflow (part-time work or more hours; the benefit runs on),
from the case facts, by ``caseload.services.outflow_durability_refresh``: at 6 and 12 months
the resident still works the hours when the work income offset against the benefit in that
month is higher than in the month before the outflow, or when the benefit has since ended for
work with no new benefit; unknown (left empty) without a payment for that month or when the
benefit ended for another reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services
from caseload.models import Benefit, CbsEndReason, OutflowEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
OUTFLOW_ON = D(2024, 2, 10)  # moments: 2024-08-10 and 2025-02-10; the month before: 2024-01
TODAY = D(2025, 4, 1)
ENDED_FOR_WORK = (D(2024, 10, 31), CbsEndReason.EMPLOYMENT)
ENDED_OTHERWISE = (D(2024, 6, 30), CbsEndReason.MOVED_NL)

#: case -> (income offset per month, the benefit's end, a new benefit's start, expected)
CASES = {
    "still working": ({"2024-08": 400, "2025-02": 400}, None, None, (True, True)),
    "stopped after eight months": ({"2024-08": 400, "2025-02": 0}, None, None, (True, False)),
    "never paid": ({"2024-08": 0, "2025-02": 0}, None, None, (False, False)),
    "extra hours kept half a year": (
        {"2024-01": 300, "2024-08": 500, "2025-02": 300},
        None,
        None,
        (True, False),
    ),
    "no payments recorded": ({}, None, None, (None, None)),
    "on to full outflow for work": ({"2024-08": 400}, ENDED_FOR_WORK, None, (True, True)),
    "full outflow, then back": ({"2024-08": 400}, ENDED_FOR_WORK, D(2024, 12, 1), (True, False)),
    "ended for another reason": ({}, ENDED_OTHERWISE, None, (None, None)),
    # the review of 4 December: a new benefit from the very day the reduced one ended is a
    # switch, no full outflow (the same-day return rule of the full outflow)
    "full outflow, switched the same day": (
        {"2024-08": 400},
        ENDED_FOR_WORK,
        ENDED_FOR_WORK[0],
        (True, False),
    ),
}


def _outflow(benefit, consulent, kind: str, hours: str) -> OutflowEvent:
    return services.outflow_record(
        resident=benefit.applicant,
        kind=kind,
        reason=OutflowEvent.Reason.WORK,
        occurred_on=OUTFLOW_ON,
        by=consulent,
        hours_per_week=Decimal(hours),
        contract_type=OutflowEvent.ContractType.TEMPORARY,
        employer="Bakkerij De Korenschoof",
        sector="Detailhandel",
    )


def _full_outflow(benefit, consulent) -> OutflowEvent:
    return _outflow(benefit, consulent, OutflowEvent.Kind.FULL, "32")


def _partial_outflow(team, consulent, offsets, ended, returns_on) -> OutflowEvent:
    benefit = f.BenefitFactory(start_date=D(2023, 1, 1), applicant__team=team)
    event = _outflow(benefit, consulent, OutflowEvent.Kind.PARTIAL, "16")
    for month, offset in offsets.items():
        f.BenefitPaymentFactory(
            benefit=benefit,
            month=dt.date.fromisoformat(f"{month}-01"),
            amount_paid=1250 - offset,
            income_offset=offset,
        )
    if ended is not None:
        Benefit.objects.filter(pk=benefit.pk).update(end_date=ended[0], end_reason=ended[1])
    if returns_on is not None:
        f.BenefitFactory(applicant=benefit.applicant, start_date=returns_on)
    return event


def _durability(event: OutflowEvent) -> tuple[bool | None, bool | None]:
    event.refresh_from_db()
    return event.still_off_benefit_6m, event.still_off_benefit_12m


def test_partial_outflow_durability_from_the_case_facts(team, consulent):
    events = {
        name: _partial_outflow(team, consulent, offsets, ended, returns_on)
        for name, (offsets, ended, returns_on, _want) in CASES.items()
    }
    counts = services.outflow_durability_refresh(today=TODAY)
    got = {name: _durability(event) for name, event in events.items()}
    assert got == {name: want for name, (*_rest, want) in CASES.items()}
    known = [v for pair in got.values() for v in pair]
    assert counts == {
        "still_off_benefit_6m": sum(v is not None for v in known[0::2]),
        "still_off_benefit_12m": sum(v is not None for v in known[1::2]),
    }


def test_partial_outflow_waits_for_the_moment_and_the_payment(team, consulent):
    event = _partial_outflow(team, consulent, {"2024-08": 400}, None, None)
    # before the 6-month moment nothing is judged
    services.outflow_durability_refresh(today=D(2024, 8, 9))
    assert _durability(event) == (None, None)
    services.outflow_durability_refresh(today=D(2024, 8, 10))
    assert _durability(event) == (True, None)
    # the 12-month payment comes later: judged on the next run, then never again
    services.outflow_durability_refresh(today=TODAY)
    assert _durability(event) == (True, None)
    f.BenefitPaymentFactory(
        benefit=event.benefit, month=D(2025, 2, 1), amount_paid=1250, income_offset=0
    )
    assert services.outflow_durability_refresh(today=TODAY) == {
        "still_off_benefit_6m": 0,
        "still_off_benefit_12m": 1,
    }
    assert _durability(event) == (True, False)
    # a value recorded by hand is never overwritten
    services.outflow_durability_record(event=event, still_off_6m=False, still_off_12m=True)
    services.outflow_durability_refresh(today=TODAY)
    assert _durability(event) == (False, True)


def test_the_migration_corrects_judgements_made_before_the_same_day_rule(team, consulent):
    """Events judged durable under the old rule (a new benefit from the day itself did not
    count) are set to not durable; a judgement the rule agrees with stays."""
    import importlib

    from django.apps import apps
    from django.db import connection

    switched = _partial_outflow(team, consulent, {}, ENDED_FOR_WORK, ENDED_FOR_WORK[0])
    kept = _partial_outflow(team, consulent, {}, ENDED_FOR_WORK, None)
    full_benefit = f.BenefitFactory(start_date=D(2023, 1, 1), applicant__team=team)
    full = _full_outflow(full_benefit, consulent)
    f.BenefitFactory(applicant=full_benefit.applicant, start_date=OUTFLOW_ON)
    OutflowEvent.objects.filter(pk__in=[switched.pk, kept.pk, full.pk]).update(
        still_off_benefit_6m=True, still_off_benefit_12m=True
    )
    migration = importlib.import_module("caseload.migrations.0021_durability_same_day_switch")
    migration.forwards(apps, connection.schema_editor())
    assert _durability(switched) == (True, False)  # ended after the 6-month moment
    assert _durability(kept) == (True, True)
    assert _durability(full) == (False, False)


def test_a_loonkostensubsidie_from_the_outflow_day_is_no_return(team, consulent):
    """Loonkostensubsidie is a subsidy to the employer: recorded from the first working day it
    does not make a full outflow to work a return (the review of 4 December)."""
    benefit = f.BenefitFactory(start_date=D(2023, 1, 1), applicant__team=team)
    event = _full_outflow(benefit, consulent)
    f.BenefitFactory(applicant=benefit.applicant, start_date=OUTFLOW_ON, regime="lks")
    services.outflow_durability_refresh(today=TODAY)
    assert _durability(event) == (True, True)
