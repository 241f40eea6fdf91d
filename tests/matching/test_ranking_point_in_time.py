"""The ranking's point-in-time reading (issue 18): the evaluation of past placements scores a
resident with the group as it stood on the day the vacancy opened, not today's; the pages read
today's group. And the fitted weights: a fuller fit on hours and education outranks a bare
occupation match."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload import services as cs
from matching import ranking, selectors
from matching.calculations import WEIGHTS

pytestmark = pytest.mark.django_db

PAIRS_AS_OF = """
    SELECT %(vacancy_id)s::bigint AS vacancy_id, p.id AS profile_id, %(as_of)s::date AS as_of
      FROM matching_profile p
"""


def test_group_read_as_of_the_pairs_date(region, facts_follow):
    vacancy = region.vacancy()
    resident = region.resident(group=1)  # group 1 decided 2025-01-10
    with facts_follow():  # the candidate list reads the facts, refreshed after the commit
        cs.group_assign(
            resident=resident, group=3, reason="Herbeoordeling", by=region.consulent,
            decided_on=dt.date(2026, 6, 1),
        )  # fmt: skip

    def group_on(as_of):
        (match,) = ranking.rank(
            PAIRS_AS_OF,
            {"vacancy_id": vacancy.pk, "as_of": as_of},
            require_consent=False,
            point_in_time=True,
        )
        return match.facts["grp"], match.credits["group"], ranking.reasons(match)["group"]

    assert group_on(dt.date(2026, 1, 1)) == (1, 1.0, "groep 1")
    assert group_on(dt.date(2026, 6, 1)) == (3, 0.1, "groep 3")  # the new one from its day on
    assert group_on(dt.date(2024, 12, 31)) == (None, 0.3, "nog niet ingedeeld")
    (now,) = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert now.facts["grp"] == 3


def test_fitted_weights_rank_hours_and_education_above_a_bare_occupation_match(region):
    vacancy = region.vacancy(code="5322", hours="32", education="mbo2")
    bare = region.resident(
        sought=("5322",), hours="8", education_level="geen", has_startkwalificatie=False
    )
    fuller = region.resident(
        sought=("5321",), hours="32", education_level="mbo2", has_startkwalificatie=True
    )
    matches = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert [m.resident_id for m in matches] == [fuller.pk, bare.pk]
    by = {m.resident_id: m for m in matches}
    assert by[bare.pk].credits["occupation"] == 1.0
    assert by[bare.pk].credits["hours"] == 0.25
    assert by[bare.pk].credits["education"] == 0.0  # geen: more than one level below mbo 2
    assert by[fuller.pk].credits["occupation"] == 0.75
    expected = (
        WEIGHTS["occupation"] * 0.75
        + WEIGHTS["hours"] + WEIGHTS["distance"] + WEIGHTS["education"] + WEIGHTS["group"]
        + WEIGHTS["barriers"] * 0.5
    )  # fmt: skip
    assert float(by[fuller.pk].score) == pytest.approx(expected, abs=0.05)
    assert ranking.reasons(by[bare.pk])["education"] == "onder het gevraagde niveau"
    assert ranking.reasons(by[fuller.pk])["occupation"] == "verwant beroep (zelfde ISCO-subgroep)"
    assert sum(WEIGHTS.values()) == 100
