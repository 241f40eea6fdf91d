"""A recompute outside a transaction fills ``INDICATORS_FILL_WORKERS`` indicators at once, each
on its own database connection, with the same rows as one after the other; inside a
transaction it stays on the caller's connection (others could not see its rows)."""

from __future__ import annotations

import pytest
from django.db import connection

from indicators import fill
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill

from .conftest import stored_values
from .test_interval_facts import EDGE_TODAY, _edge_history


def _recording_backends(monkeypatch) -> set[int]:
    """The PostgreSQL backend of every fill transaction (observed, the fill itself runs)."""
    backends: set[int] = set()
    fill_periods = fill._fill_periods

    def observed(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends.add(cursor.fetchone()[0])
        return fill_periods(**kwargs)

    monkeypatch.setattr(fill, "_fill_periods", observed)
    return backends


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_fill_the_rows_of_one(world, settings, monkeypatch):
    _edge_history(world)
    m = world.municipality.pk
    settings.INDICATORS_FILL_WORKERS = 1
    indicator_values_fill(municipality_id=m, today=EDGE_TODAY)
    one_by_one = stored_values(m)
    assert len(one_by_one) > 500
    IndicatorValue.objects.all().delete()

    settings.INDICATORS_FILL_WORKERS = 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    backends = _recording_backends(monkeypatch)
    result = indicator_values_fill(municipality_id=m, today=EDGE_TODAY)
    assert stored_values(m) == one_by_one
    assert len(backends) == 2 and own not in backends  # one connection per worker thread
    # a time per batch: one indicator, or those sharing a relation together
    assert sorted(c for batch in result.seconds for c in batch.split(", ")) == sorted(result.codes)
    assert ", ".join(d.code for d in fill.indicator_all() if d.uses) in result.seconds
    assert result.codes == [d.code for d in fill.indicator_all()]  # in registry order


@pytest.mark.django_db
def test_inside_a_transaction_the_fill_stays_on_the_callers_connection(
    world, settings, monkeypatch
):
    settings.INDICATORS_FILL_WORKERS = 2
    world.on_benefit()  # uncommitted: only this connection sees it
    backends = _recording_backends(monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    world.fill(codes=["caseload.size", "outflow.to_work"])
    assert backends == {own}
    assert world.value("caseload.size", "2025-06").value == 1
