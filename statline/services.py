"""Importing a national series from a CBS StatLine CSV snapshot and its source note.

The file is read by the shared reader (``common/tabular_read.py``: encoding, delimiter, limits).
Whole file or nothing: every row is checked (it belongs to the note's selection, its period is a
CBS period, its value a published number, no period twice) and with any error nothing is written
and every bad row is reported as (line, column, message). An accepted file replaces the series'
values and its source data in one transaction, so a newer snapshot of the same series supersedes
the older one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.exceptions import DomainError
from common.tabular_read import TabularFileError, header_name, read_table

from .calculations import CellError, parse_number, parse_period
from .models import NationalSeries, NationalSeriesValue

#: the keys a source note must have (``data/cbs/*.source.toml``)
NOTE_KEYS = (
    "code",
    "table",
    "title",
    "url",
    "measure",
    "periods_column",
    "description",
    "publisher",
    "licence",
    "retrieved_on",
    "selection",
)


@dataclass
class ImportResult:
    series: NationalSeries | None = None
    written: int = 0
    #: (line, column or None, message); with any error nothing was written
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)


def _note_checked(note: Mapping[str, Any]) -> dict[str, Any]:
    missing = [k for k in NOTE_KEYS if k not in note or note[k] in ("", None)]
    if missing:
        raise DomainError(
            "De bronnotitie mist: " + ", ".join(missing) + ".", code="note_incomplete"
        )
    if not isinstance(note["selection"], Mapping) or not note["selection"]:
        raise DomainError(
            "De bronnotitie noemt geen selectie (kolom = gekozen waarde).", code="note_selection"
        )
    if not isinstance(note["retrieved_on"], dt.date):
        raise DomainError(
            "De datum van de momentopname (retrieved_on) is geen datum.", code="note_date"
        )
    if not str(note["url"]).startswith("https://"):
        raise DomainError("De bron (url) is geen https-adres.", code="note_url")
    return dict(note)


def series_import(*, content: bytes, filename: str, note: Mapping[str, Any]) -> ImportResult:
    """Import one series (see the module doc). A note or file that cannot be used at all is a
    ``DomainError``; bad rows come back in ``ImportResult.errors`` and nothing is written."""
    note = _note_checked(note)
    selection = {header_name(k): str(v).strip() for k, v in note["selection"].items()}
    periods_column = header_name(note["periods_column"])
    value_column = header_name(note["measure"])
    required = (*selection, periods_column, value_column)
    try:
        table = read_table(content, filename=filename, required=required)
        rows = list(table)
    except TabularFileError as exc:
        raise DomainError(exc.message, code="file_invalid", field="file") from None
    if not rows:
        raise DomainError("Het bestand bevat geen cijfers.", code="file_empty", field="file")
    result = ImportResult()
    values: list[NationalSeriesValue] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        errors: list[tuple[int, str | None, str]] = []
        for column, chosen in selection.items():
            if str(row.values.get(column, "")).strip() != chosen:
                errors.append((row.line, column, "Hoort niet bij de selectie uit de bronnotitie."))
        period = value = None
        try:
            period = parse_period(row.values.get(periods_column, ""))
        except CellError as exc:
            errors.append((row.line, periods_column, str(exc)))
        try:
            value = parse_number(row.values.get(value_column, ""))
        except CellError as exc:
            errors.append((row.line, value_column, str(exc)))
        if period is not None:
            key = (period.kind, period.start)
            if key in seen:
                errors.append(
                    (
                        row.line,
                        periods_column,
                        f"Deze periode staat al op regel {seen[key]}.",
                    )
                )
            else:
                seen[key] = row.line
        if errors:
            result.errors.extend(errors)
            continue
        if value is None or period is None:
            continue  # CBS's "." : no figure for this period, so none is stored
        values.append(
            NationalSeriesValue(
                period_code=period.code,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                value=value,
                provisional=period.provisional,
            )
        )
    if result.errors:
        return result
    with transaction.atomic():
        series, _created = NationalSeries.objects.select_for_update().update_or_create(
            code=note["code"],
            defaults={
                "table_id": note["table"],
                "title": note["title"],
                "measure": note["measure"],
                "selection": {str(k): str(v) for k, v in note["selection"].items()},
                "description": note["description"],
                "publisher": note["publisher"],
                "url": note["url"],
                "licence": note["licence"],
                "retrieved_on": note["retrieved_on"],
                "source_file": filename,
                "imported_at": timezone.now(),
            },
        )
        NationalSeriesValue.objects.filter(series=series).delete()
        for v in values:
            v.series = series
        NationalSeriesValue.objects.bulk_create(values)
    result.series, result.written = series, len(values)
    return result
