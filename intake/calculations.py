"""Pure arithmetic and rule evaluation for the intake: no ORM, no I/O.

* :func:`propose_group` evaluates the ordered group proposal rules (configured by functioneel
  beheer, see docs/intake.md) against the five capacity scores and the number of barriers.
* :func:`needs_education_first` is the "education first" prompt for young residents.
* :func:`expected_saving` is the business case of a plan van aanpak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Young people under this age without a startkwalificatie: education comes before work.
EDUCATION_FIRST_AGE_LIMIT = 27

#: Used when no configured rule matches (a complete rule table ends with a catch-all rule).
FALLBACK_GROUP = 3
FALLBACK_REASON = (
    "Geen van de ingestelde regels is van toepassing; daarom groep 3. "
    "Vraag functioneel beheer de regeltabel aan te vullen."
)


@dataclass(frozen=True)
class RuleSpec:
    """One group proposal rule as plain data; ``None`` means "no condition"."""

    priority: int
    group: int
    reason: str
    min_work_score: int | None = None
    max_work_score: int | None = None
    min_lowest_score: int | None = None
    max_barriers: int | None = None
    rule_id: int | None = None


@dataclass(frozen=True)
class Proposal:
    group: int
    reason: str  # the rule's Dutch reason text
    explanation: str  # the conditions that held, with the resident's values
    rule_id: int | None = None

    @property
    def text(self) -> str:
        return f"{self.reason} ({self.explanation})" if self.explanation else self.reason


def _rule_conditions(
    rule: RuleSpec, scores: Mapping[str, int], barrier_count: int
) -> list[tuple[bool, str]]:
    """(holds, Dutch description) for every condition the rule sets."""
    work = scores.get("werk")
    lowest = min(scores.values()) if scores else None
    out: list[tuple[bool, str]] = []
    if rule.min_work_score is not None:
        holds = work is not None and work >= rule.min_work_score
        out.append((holds, f"score werkvermogen {work} is minstens {rule.min_work_score}"))
    if rule.max_work_score is not None:
        holds = work is not None and work <= rule.max_work_score
        out.append((holds, f"score werkvermogen {work} is hoogstens {rule.max_work_score}"))
    if rule.min_lowest_score is not None:
        holds = lowest is not None and lowest >= rule.min_lowest_score
        out.append((holds, f"laagste score {lowest} is minstens {rule.min_lowest_score}"))
    if rule.max_barriers is not None:
        holds = barrier_count <= rule.max_barriers
        text = (
            "geen drempels"
            if rule.max_barriers == 0 and holds
            else f"{barrier_count} drempel(s), hoogstens {rule.max_barriers}"
        )
        out.append((holds, text))
    return out


def propose_group(
    *, scores: Mapping[str, int], barrier_count: int, rules: Sequence[RuleSpec]
) -> Proposal:
    """The first rule (by priority) whose conditions all hold decides the proposed group."""
    for rule in sorted(rules, key=lambda r: r.priority):
        conditions = _rule_conditions(rule, scores, barrier_count)
        if all(holds for holds, _ in conditions):
            explanation = "; ".join(text for _, text in conditions) or "regel zonder voorwaarden"
            return Proposal(
                group=rule.group,
                reason=rule.reason,
                explanation=f"regel {rule.priority}: {explanation}",
                rule_id=rule.rule_id,
            )
    return Proposal(group=FALLBACK_GROUP, reason=FALLBACK_REASON, explanation="", rule_id=None)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def needs_education_first(*, birth_date: dt.date, has_startkwalificatie: bool, on: dt.date) -> bool:
    """Under 27 without a startkwalificatie: the consulent is prompted to put education first."""
    return not has_startkwalificatie and age_on(birth_date, on) < EDUCATION_FIRST_AGE_LIMIT


def expected_fraction(*, expected_outflow: str, partial_fraction: Decimal | None) -> Decimal:
    """The share of the benefit expected to lapse: full 1, none 0, partial as given (0 < f < 1)."""
    if expected_outflow == "volledig":
        return Decimal(1)
    if expected_outflow == "geen":
        return Decimal(0)
    return Decimal(partial_fraction or 0)


def expected_saving(*, average_cost: Decimal | None, fraction: Decimal) -> Decimal | None:
    """Expected yearly saving on the benefit: average yearly cost of a benefit x the share that
    lapses (full outflow saves the whole cost, partial in proportion). ``None`` when no average
    cost is configured for the year. Rounded to cents, half up.

    >>> expected_saving(average_cost=Decimal("14400"), fraction=Decimal("0.5"))
    Decimal('7200.00')
    """
    if average_cost is None:
        return None
    return (Decimal(average_cost) * Decimal(fraction)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
