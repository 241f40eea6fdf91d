"""Writes of the indicator app: targets (nulmeting, streefwaarde) and manual values, and the
fill (``indicator_values_fill``, the only writer of ``IndicatorValue`` and ``FillState``), whose
body lives in :mod:`indicators.fill` one layer down, so that the tasks run it without importing
the services (which queue the tasks). The fill's names stay importable from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from caseload.models import User
from common import clock
from common.exceptions import DomainError

from . import tasks
from .fill import (  # noqa: F401 (importable from the services)
    DEFAULT_FILL_WORK_MEM,
    DEFAULT_FILL_WORKERS,
    HISTORY_YEARS,
    FillResult,
    _batches,
    _data_years,
    current_periods,
    indicator_values_fill,
)
from .models import ManualValue, Target
from .registry import IndicatorDefinition, indicator_get, is_registered

# Targets and manual values ---------------------------------------------------------------------


def _check_code(code: str) -> IndicatorDefinition:
    if not is_registered(code):
        raise DomainError("Onbekende indicator.", code="unknown_code", field="code")
    return indicator_get(code)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise DomainError("Kies een jaar tussen 2000 en 2100.", code="year", field="year")


@transaction.atomic
def target_set(
    *,
    municipality_id: int,
    year: int,
    code: str,
    baseline: Decimal | None,
    target: Decimal | None,
    note: str = "",
    by: User | None = None,
) -> Target:
    """Set (or change) the nulmeting and streefwaarde of an indicator for one year."""
    _check_year(year)
    for problem in target_problems(code=code, baseline=baseline, target=target):
        raise problem
    obj, _ = Target.objects.update_or_create(
        municipality_id=municipality_id,
        year=year,
        code=code,
        defaults={
            "baseline": baseline,
            "target": target,
            "note": note.strip()[:200],
            "updated_by": by,
        },
    )
    return obj


def target_problems(
    *, code: str, baseline: Decimal | None, target: Decimal | None
) -> list[DomainError]:
    """Every rule the nulmeting and streefwaarde of ``code`` break (the targets page shows them
    with the other fields' errors at once; the walk of 3 December saw a target of 150 % pass
    unremarked while other rows had format errors)."""
    defn = _check_code(code)
    problems = []
    for name, value in (("baseline", baseline), ("target", target)):
        if value is not None and value < 0:
            problems.append(
                DomainError("Een waarde kan niet negatief zijn.", code="negative", field=name)
            )
        elif value is not None and defn.unit == "percentage" and value > 100:
            problems.append(
                DomainError("Een percentage ligt tussen 0 en 100.", code="percentage", field=name)
            )
    return problems


def manual_value_problems(
    *, code: str, value: Decimal | None, source: str, source_date: dt.date | None
) -> list[DomainError]:
    """Every rule a hand-entered value of ``code`` breaks (the walk of 4 December: 150 % and
    -7 % were stored and shown on the dashboards, and a source dated in 2030)."""
    defn = _check_code(code)
    problems = []
    if value is not None and value < 0:
        problems.append(
            DomainError("Een waarde kan niet negatief zijn.", code="negative", field="value")
        )
    elif value is not None and defn.unit == "percentage" and value > 100:
        problems.append(
            DomainError("Een percentage ligt tussen 0 en 100.", code="percentage", field="value")
        )
    if not (source or "").strip():
        problems.append(DomainError("Vermeld de bron.", code="source_required", field="source"))
    if source_date is not None and source_date > clock.today():
        problems.append(
            DomainError(
                "De datum van de bron ligt na vandaag.", code="source_date", field="source_date"
            )
        )
    return problems


@dataclass(frozen=True)
class TargetRow:
    """What was typed for one indicator on the targets page."""

    code: str
    baseline: Decimal | None
    target: Decimal | None
    note: str = ""


class TargetsRefused(DomainError):
    """One or more rows of :func:`targets_save` were refused; nothing was saved. ``errors``
    holds each refused row's error (Dutch message, the field it names) by indicator code."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__(
            "Niet opgeslagen: controleer de gemarkeerde regels.", code="targets_refused"
        )
        self.errors = errors


@transaction.atomic
def targets_save(
    *,
    municipality_id: int,
    year: int,
    rows: Sequence[TargetRow],
    by: User | None = None,
) -> list[Target]:
    """Save the targets page: every row through :func:`target_set`, all or nothing.

    A row left empty for an indicator without a target for the year is skipped; a row of an
    indicator that has one is saved as typed (emptying a field clears it). When any row is
    refused, :class:`TargetsRefused` names every refused row and no row is saved.
    """
    _check_year(year)
    existing = set(
        Target.objects.filter(municipality_id=municipality_id, year=year).values_list(
            "code", flat=True
        )
    )
    saved: list[Target] = []
    errors: dict[str, DomainError] = {}
    for row in rows:
        empty = row.baseline is None and row.target is None and not row.note.strip()
        if empty and row.code not in existing:
            continue
        try:
            saved.append(
                target_set(
                    municipality_id=municipality_id,
                    year=year,
                    code=row.code,
                    baseline=row.baseline,
                    target=row.target,
                    note=row.note,
                    by=by,
                )
            )
        except DomainError as exc:
            errors[row.code] = exc
    if errors:
        raise TargetsRefused(errors)
    return saved


@transaction.atomic
def manual_value_set(
    *,
    municipality_id: int,
    code: str,
    year: int,
    value: Decimal,
    source: str,
    source_date: dt.date,
    by: User | None = None,
) -> ManualValue:
    """Enter the yearly value of a manual-input indicator; its stored value is refreshed after
    commit."""
    defn = _check_code(code)
    if not defn.manual:
        raise DomainError(
            "Deze indicator wordt berekend en kan niet handmatig worden ingevoerd.",
            code="not_manual",
            field="code",
        )
    _check_year(year)
    for problem in manual_value_problems(
        code=code, value=value, source=source, source_date=source_date
    ):
        raise problem
    obj, _ = ManualValue.objects.update_or_create(
        municipality_id=municipality_id,
        code=code,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        defaults={
            "value": value,
            "source": source.strip(),
            "source_date": source_date,
            "entered_by": by,
        },
    )
    transaction.on_commit(
        lambda: tasks.indicators_recompute_task.delay(municipality_id, year, [code]), robust=True
    )
    return obj
