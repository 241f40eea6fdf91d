"""Pure rules of the matching (no ORM): when a profile is complete, and the weights and credits
the ranking query uses (``matching/ranking.py`` puts the same numbers into its SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

#: Weight of each factor in the total score (0-100); documented in docs/matching.md ("De
#: gewichten"). Fitted, not chosen: a conditional logit (each placement against every candidate
#: of its vacancy) on the *training* split of the demo's historical placements (the oldest 70 %
#: per municipality) over the six credits below, then scaled to 90 points and rounded
#: (``bench/matching_fit.py``); the barriers keep 10 points set by hand because the demo has no
#: completed intakes to fit them on. The held-out 30 % was not used for the fit.
WEIGHTS: dict[str, int] = {
    "occupation": 17,
    "hours": 23,
    "distance": 3,
    "education": 39,
    "group": 8,
    "barriers": 10,
}

#: Credit for an occupation by how much of the ISCO-08 code is shared with a sought occupation:
#: the unit group (4 digits), the minor group (3), the sub-major group (2). Work experience in
#: the occupation earns the same credits times ``EXPERIENCE_FACTOR``.
OCCUPATION_CREDIT = {4: 1.0, 3: 0.75, 2: 0.5}
EXPERIENCE_FACTOR = 0.9

#: Credit of the readiness group (caseload.Group): 1 can work now, 2 within two years.
GROUP_CREDIT = {1: 1.0, 2: 0.6, 3: 0.1}
NO_GROUP_CREDIT = 0.3

#: Credit by the number of barriers the latest completed intake recorded.
BARRIER_CREDIT = (1.0, 0.7, 0.4, 0.1)  # 0, 1, 2, 3 or more

#: Education levels in ascending order (caseload.EducationLevel values); a foreign diploma counts
#: as mbo 2 until it is valued (documented in docs/matching.md).
EDUCATION_RANK = {
    "geen": 0,
    "vso_pro": 0,
    "vmbo": 1,
    "mbo1": 1,
    "mbo2": 2,
    "buitenlands": 2,
    "mbo34": 3,
    "havo_vwo": 3,
    "hbo_wo": 4,
}

UNKNOWN_DISTANCE_CREDIT = 0.5


@dataclass(frozen=True)
class ProfileFacts:
    """What the completeness rule looks at."""

    sought_count: int
    experience_count: int
    no_work_experience: bool
    driving_licence: bool | None
    travel_range_km: int | None
    hours_available: Decimal | None


def profile_missing(facts: ProfileFacts) -> list[str]:
    """The parts of a profile still missing (Dutch labels); empty: the profile is complete.

    The rule (docs/matching.md, "Wanneer is een profiel volledig"): at least one occupation
    sought, work experience recorded or "geen werkervaring" ticked, the driving licence question
    answered (yes or no), a travel range and the hours available per week filled in. What the
    intake knows (group, education, barriers) is not part of it: it is read from the intake.
    """
    missing: list[str] = []
    if facts.sought_count < 1:
        missing.append("gezocht beroep")
    if facts.experience_count < 1 and not facts.no_work_experience:
        missing.append("werkervaring")
    if facts.driving_licence is None:
        missing.append("rijbewijs")
    if facts.travel_range_km is None:
        missing.append("reisafstand")
    if facts.hours_available is None:
        missing.append("beschikbare uren")
    return missing


def profile_is_complete(facts: ProfileFacts) -> bool:
    return not profile_missing(facts)


def occupation_credit(vacancy_code: str, sought: Sequence[str], experience: Sequence[str]) -> float:
    """The occupation factor for one pair (the SQL computes the same; used by tests)."""

    def shared(a: str, b: str) -> int:
        n = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            n += 1
        return n

    best = 0.0
    for codes, factor in ((sought, 1.0), (experience, EXPERIENCE_FACTOR)):
        for code in codes:
            level = shared(vacancy_code, code)
            best = max(best, OCCUPATION_CREDIT.get(min(level, 4), 0.0) * factor)
    return best
