"""The apps that hold personal data about a resident, for retention and subject access.

Each app whose tables hold records about a resident registers one holder in its
``AppConfig.ready()`` (like the timeline providers in :mod:`common.timeline`):

* ``anonymise(resident_id)`` replaces what identifies the resident in the app's own tables
  (free text, names) and keeps the facts the indicators count. It runs inside the retention
  run's transaction, must be idempotent and may not write other apps' tables.
* ``sections(resident)`` returns the app's sections of the AVG subject-access export
  (``{"section": [row, ...]}``, rows as plain JSON values, see :func:`model_rows`).

``privacy`` walks the holders in registration order (the order of ``INSTALLED_APPS``), so it
imports none of the apps whose data it anonymises or exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: what replaces an anonymised free text or name
ANONYMISED = "Geanonimiseerd"

Anonymiser = Callable[[int], None]
SectionsProvider = Callable[[Any], dict[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class PersonalDataHolder:
    app_label: str
    anonymise: Anonymiser
    sections: SectionsProvider


_holders: dict[str, PersonalDataHolder] = {}


def personal_data_register(
    *, app_label: str, anonymise: Anonymiser, sections: SectionsProvider
) -> None:
    """Register the app's anonymiser and subject-access sections, once per app.

    A second, different registration for the same app is refused: two anonymisers for one app
    would leave it unclear which tables are scrubbed. Registering the very same functions again
    (``ready()`` run twice) changes nothing."""
    holder = PersonalDataHolder(app_label=app_label, anonymise=anonymise, sections=sections)
    existing = _holders.get(app_label)
    if existing is not None and existing != holder:
        raise ImproperlyConfigured(
            f"personal data of app {app_label!r} is already registered "
            f"({existing.anonymise.__module__}.{existing.anonymise.__qualname__})"
        )
    _holders[app_label] = holder


def personal_data_holders() -> list[PersonalDataHolder]:
    return list(_holders.values())


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _shown(instance: Any, field: Any) -> Any:
    """A field's value as the resident reads it: a choice by its label, yes/no in words, a
    related record by its name (a colleague by full name), dates and amounts as text."""
    if field.is_relation:
        related = getattr(instance, field.name)
        if related is None:
            return None
        full_name = getattr(related, "get_full_name", None)
        return (full_name() if callable(full_name) else "") or str(related)
    value = getattr(instance, field.attname)
    if value is None:
        return None
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _plain(value)


def _label(field: Any) -> str:
    return "nummer" if field.primary_key else str(field.verbose_name)


def model_rows(qs, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every concrete field of every row of ``qs`` for the subject access export, in the words
    of the screens: each column by its Dutch name, a choice by its label, yes/no in words, a
    related record by its name (the walk of 4 December read ``first_name``, ``driving_licence:
    True`` and ``consulent_id: 1`` in what is meant for the resident)."""
    skip = set(exclude)
    fields = [
        f for f in qs.model._meta.concrete_fields if f.attname not in skip and f.name not in skip
    ]
    related = [f.name for f in fields if f.is_relation]
    rows = []
    for instance in qs.select_related(*related) if related else qs:
        row: dict[str, Any] = {}
        for field in fields:
            label = _label(field)
            row[label if label not in row else f"{label} ({field.name})"] = _shown(instance, field)
        rows.append(row)
    return rows
