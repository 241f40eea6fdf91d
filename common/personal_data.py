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


def model_rows(qs, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every concrete field of every row of ``qs`` as plain JSON values (subject access)."""
    skip = set(exclude)
    fields = [f.attname for f in qs.model._meta.concrete_fields if f.attname not in skip]
    return [{k: _plain(v) for k, v in row.items()} for row in qs.values(*fields)]
