"""The matching's indicators (issue 18), exact values on a hand-made history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caseload import services as cs
from common import clock
from employers import services as es
from indicators.models import IndicatorValue
from indicators.registry import indicator_get
from indicators.services import indicator_values_fill
from matching import services as ms

pytestmark = pytest.mark.django_db

CODES = [
    "matching.profile_complete_share",
    "matching.proposals",
    "matching.placements",
    "matching.vacancies_filled",
    "matching.time_to_fill",
    "matching.durable_placements",
]


def _value(region, code, start, kind="month"):
    return IndicatorValue.objects.get(
        municipality=region.municipality,
        code=code,
        period_start=start,
        period_kind=kind,
        dimension="",
        dimension_value="",
    )


def test_registered():
    for code in CODES:
        assert indicator_get(code).sql


def test_exact_values(region):
    # three applicants on benefit; two complete profiles (completed 22 November 2026), one
    # resident without a profile; a fourth whose benefit ended before November
    a = region.resident()
    b = region.resident(sought=("9112",))
    c = region.resident(sought=(), consent=False)  # incomplete: no occupation
    gone = region.resident()
    cs.outflow_record(
        resident=gone,
        kind="volledig",
        reason="overig",
        occurred_on=dt.date(2026, 10, 15),
        by=region.consulent,
        end_reason="98",
    )
    v1 = region.vacancy(opened_on=dt.date(2026, 10, 2))
    v2 = region.vacancy(code="9112", opened_on=dt.date(2026, 11, 1))
    p1 = ms.proposal_create(vacancy=v1, resident=a, by=region.accountmanager)
    ms.proposal_create(vacancy=v2, resident=b, by=region.accountmanager)
    ms.proposal_answer(
        proposal=p1, accepted=True, answered_on=dt.date(2026, 11, 22), by=region.accountmanager
    )
    ms.placement_record(
        proposal=p1,
        by=region.accountmanager,
        start_date=dt.date(2026, 11, 22),
        hours_per_week=Decimal(24),
        outflow_kind="gedeeltelijk",
        contract_type="tijdelijk",
    )  # closes v1 as filled on 22 November: 51 days after opening
    es.vacancy_close(vacancy=v2, on=dt.date(2026, 11, 11), result="vervuld", by=None)  # 10 days
    indicator_values_fill(
        municipality_id=region.municipality.pk, codes=CODES, year=2026, today=clock.today()
    )
    share = _value(region, "matching.profile_complete_share", dt.date(2026, 11, 1))
    # the partial outflow keeps a's benefit running: a, b, c on benefit; a and b complete
    assert (share.numerator, share.denominator) == (2, 3)
    assert round(float(share.value), 2) == 66.67
    october = _value(region, "matching.profile_complete_share", dt.date(2026, 10, 1))
    assert (october.numerator, october.denominator) == (0, 3)  # gone had left on 15 October
    assert _value(region, "matching.proposals", dt.date(2026, 11, 1)).value == 2
    assert _value(region, "matching.placements", dt.date(2026, 11, 1)).value == 1
    assert _value(region, "matching.vacancies_filled", dt.date(2026, 11, 1)).value == 2
    ttf = _value(region, "matching.time_to_fill", dt.date(2026, 11, 1))
    assert (ttf.numerator, ttf.denominator) == (61, 2)
    assert ttf.value == Decimal("30.5")
    assert _value(region, "matching.proposals", dt.date(2026, 1, 1), kind="year").value == 2
    assert (
        not IndicatorValue.objects.filter(code="matching.durable_placements")
        .exclude(denominator=0)
        .exists()
    )
    assert c.pk  # c has no complete profile and counts in the denominator only
