import datetime as dt
from decimal import Decimal

import pytest

from intake.calculations import (
    FALLBACK_GROUP,
    RuleSpec,
    expected_saving,
    needs_education_first,
    propose_group,
)

DEFAULT_RULES = [
    RuleSpec(priority=10, group=1, reason="g1", min_work_score=4, max_barriers=0),
    RuleSpec(priority=20, group=2, reason="g2", min_work_score=2),
    RuleSpec(priority=30, group=3, reason="g3"),
]


def scores(work, other=3):
    return {"werk": work, "financieel": other, "fysiek": other, "mentaal": other, "sociaal": other}


@pytest.mark.parametrize(
    ("work", "barriers", "group", "reason"),
    [
        (5, 0, 1, "g1"),
        (4, 0, 1, "g1"),
        (4, 1, 2, "g2"),
        (3, 0, 2, "g2"),
        (2, 3, 2, "g2"),
        (1, 0, 3, "g3"),
    ],
)
def test_default_rule_table(work, barriers, group, reason):
    proposal = propose_group(scores=scores(work), barrier_count=barriers, rules=DEFAULT_RULES)
    assert (proposal.group, proposal.reason) == (group, reason)
    assert proposal.explanation.startswith("regel ")


def test_rules_tried_in_priority_order_not_list_order():
    rules = list(reversed(DEFAULT_RULES))
    assert propose_group(scores=scores(5), barrier_count=0, rules=rules).group == 1


def test_lowest_score_and_max_work_conditions():
    rules = [
        RuleSpec(priority=1, group=3, reason="laag", max_work_score=2),
        RuleSpec(priority=2, group=1, reason="sterk", min_lowest_score=4),
        RuleSpec(priority=3, group=2, reason="rest"),
    ]
    assert propose_group(scores=scores(2, 5), barrier_count=0, rules=rules).group == 3
    assert propose_group(scores=scores(5, 4), barrier_count=0, rules=rules).group == 1
    assert propose_group(scores=scores(5, 3), barrier_count=0, rules=rules).group == 2


def test_no_matching_rule_falls_back_to_group_3():
    proposal = propose_group(scores=scores(1), barrier_count=0, rules=DEFAULT_RULES[:2])
    assert proposal.group == FALLBACK_GROUP and proposal.rule_id is None


@pytest.mark.parametrize(
    ("birth", "has_sk", "expected"),
    [
        (dt.date(2000, 6, 2), False, True),  # 26 on 2026-06-01
        (dt.date(1999, 6, 1), False, False),  # turns 27 that day
        (dt.date(2000, 6, 2), True, False),
        (dt.date(1980, 1, 1), False, False),
    ],
)
def test_education_first(birth, has_sk, expected):
    on = dt.date(2026, 6, 1)
    assert needs_education_first(birth_date=birth, has_startkwalificatie=has_sk, on=on) is expected


@pytest.mark.parametrize(
    ("cost", "fraction", "saving"),
    [
        (Decimal("14400"), Decimal(1), Decimal("14400.00")),
        (Decimal("14400"), Decimal("0.5"), Decimal("7200.00")),
        (Decimal("14400"), Decimal(0), Decimal("0.00")),
        (Decimal("14400.50"), Decimal("0.333"), Decimal("4795.37")),
        (None, Decimal(1), None),
    ],
)
def test_expected_saving(cost, fraction, saving):
    assert expected_saving(average_cost=cost, fraction=fraction) == saving
