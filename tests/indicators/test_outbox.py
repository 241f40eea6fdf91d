"""The recompute outbox (issue 13, finding 1): a case change writes its outbox row in its own
transaction, and the drain turns the rows into a recompute that equals a full one, once, even
when it is interrupted or runs twice at the same time."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connections, transaction

from caseload import services as cs
from indicators import fill as fill_module
from indicators import outbox
from indicators.models import RecomputeRequest
from indicators.outbox import outbox_drain
from indicators.services import indicator_values_fill

from .conftest import stored_values

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = dt.date
TODAY = dt.date.today()
LAST_YEAR = TODAY.year - 1


def _outflow(world, person, on):
    return cs.outflow_record(
        resident=person,
        kind="volledig",
        reason="werk",
        occurred_on=on,
        hours_per_week=Decimal(36),
        contract_type="vast",
        by=world.staff,
    )


def _full_recompute_equals_stored(municipality_id: int) -> None:
    """The stored values now, and after a full recompute from scratch, are the same rows."""
    stored = stored_values(municipality_id)
    indicator_values_fill(municipality_id=municipality_id)
    assert stored == stored_values(municipality_id)


@pytest.fixture
def filled(world):
    """Three residents on benefit since last January, every period computed, outbox empty."""
    people = [world.on_benefit(start=D(LAST_YEAR, 1, 1))[0] for _ in range(3)]
    indicator_values_fill(municipality_id=world.municipality.pk)
    RecomputeRequest.objects.all().delete()
    return people


class _Spy:
    """Counts the drain's fills per municipality; calls the real fill."""

    def __init__(self, monkeypatch, before=None):
        self.calls: list[tuple[int, dt.date]] = []
        self.before = before
        real = outbox.indicator_values_fill

        def spy(*, municipality_id, affected_from, **kw):
            self.calls.append((municipality_id, affected_from))
            if self.before is not None:
                self.before(municipality_id)
            return real(municipality_id=municipality_id, affected_from=affected_from, **kw)

        monkeypatch.setattr(outbox, "indicator_values_fill", spy)


def test_finding_1_the_outbox_row_commits_and_rolls_back_with_the_case_change(world, filled):
    """Issue 13, finding 1: the dirty period was noted in Redis after commit, so a broker
    outage lost it. Now the listener writes the outbox row inside the case change's transaction:
    it is there the moment the change commits, and gone when the change rolls back."""
    m = world.municipality.pk
    with transaction.atomic():
        _outflow(world, filled[0], D(TODAY.year, 1, 15))
        # visible inside the transaction already, i.e. not an after-commit side effect
        assert set(RecomputeRequest.objects.values_list("municipality_id", "affected_from")) == {
            (m, D(TODAY.year, 1, 15))
        }
    written = RecomputeRequest.objects.filter(municipality_id=m).count()
    assert written >= 1

    with pytest.raises(RuntimeError), transaction.atomic():
        _outflow(world, filled[1], D(TODAY.year, 1, 16))
        raise RuntimeError("rolled back")
    assert RecomputeRequest.objects.filter(municipality_id=m).count() == written


def test_finding_1_the_drain_equals_a_full_recompute_and_empties_the_outbox(
    world, filled, monkeypatch
):
    """Issue 13, finding 1: after the drain every stored value equals a full recompute."""
    spy = _Spy(monkeypatch)
    m = world.municipality.pk
    _outflow(world, filled[0], D(TODAY.year, 1, 15))
    _outflow(world, filled[1], D(LAST_YEAR, 6, 1))
    assert stored_values(m) != set()

    result = outbox_drain()

    assert result.municipalities == 1 and result.requests >= 2 and result.failed == []
    assert spy.calls == [(m, D(LAST_YEAR, 6, 1))]  # one recompute from the earliest date
    assert not RecomputeRequest.objects.exists()
    _full_recompute_equals_stored(m)
    assert outbox_drain().requests == 0  # nothing left


def test_finding_1_a_burst_of_edits_costs_one_recompute(world, filled, monkeypatch):
    spy = _Spy(monkeypatch)
    for person in filled:
        _outflow(world, person, D(TODAY.year, 1, 10))
    burst = RecomputeRequest.objects.count()
    assert burst >= 3
    result = outbox_drain()
    assert result.requests == burst and len(spy.calls) == 1
    _full_recompute_equals_stored(world.municipality.pk)


def test_finding_1_an_interrupted_drain_keeps_the_rows_and_the_next_one_redoes_them(
    world, filled, monkeypatch
):
    """Issue 13, finding 1: a recompute that dies half-way (here: the third indicator's
    statement fails after two indicators committed their periods) leaves the outbox rows, and
    the next drain recomputes them; the figures then equal a full recompute."""
    m = world.municipality.pk
    _outflow(world, filled[0], D(TODAY.year, 1, 15))

    real_fill_sql = fill_module.fill_sql
    statements = []

    def failing_fill_sql(defn, shared):
        statements.append(defn.code)
        if len(statements) == 3:
            raise RuntimeError("worker lost mid-recompute")
        return real_fill_sql(defn, shared)

    monkeypatch.setattr(fill_module, "fill_sql", failing_fill_sql)
    monkeypatch.setattr(fill_module, "_fill_workers", lambda: 1)
    with pytest.raises(RuntimeError, match="mid-recompute"):
        outbox_drain()
    kept = RecomputeRequest.objects.filter(municipality_id=m).count()
    assert kept >= 1

    monkeypatch.setattr(fill_module, "fill_sql", real_fill_sql)
    result = outbox_drain()
    assert result.requests == kept
    assert not RecomputeRequest.objects.exists()
    _full_recompute_equals_stored(m)


def test_finding_1_a_failing_municipality_does_not_hold_up_the_others(world, filled, monkeypatch):
    from tests import factories

    other = factories.MunicipalityFactory(cbs_code="GM9998", name="Buurgemeente")
    first = world.municipality.pk
    assert other.pk != first
    _outflow(world, filled[0], D(TODAY.year, 1, 15))
    RecomputeRequest.objects.create(municipality=other, affected_from=D(TODAY.year, 1, 1))

    def boom(municipality_id):
        if municipality_id == first:
            raise RuntimeError("fill failed")

    _Spy(monkeypatch, before=boom)
    with pytest.raises(RuntimeError, match="fill failed"):
        outbox_drain()
    # the failing municipality keeps its rows, the other one was drained
    assert set(RecomputeRequest.objects.values_list("municipality_id", flat=True)) == {first}


def test_finding_1_two_concurrent_drains_do_not_process_a_request_twice(world, filled, monkeypatch):
    """Issue 13, finding 1: two drains at once (two workers, or a wake-up and beat's safety
    net): the second skips the rows the first holds (FOR UPDATE SKIP LOCKED) and takes the
    rest; every request is recomputed exactly once."""
    from tests import factories

    m = world.municipality.pk
    other_team = factories.TeamFactory(
        municipality=factories.MunicipalityFactory(cbs_code="GM9998", name="Buurgemeente")
    )
    other_person = factories.ResidentFactory(
        team=other_team, household__municipality=other_team.municipality
    )
    cs.benefit_open(
        household=other_person.household,
        applicant=other_person,
        regime="pw",
        start_date=D(LAST_YEAR, 3, 1),
    )
    _outflow(world, filled[0], D(TODAY.year, 1, 15))
    other = other_team.municipality_id
    assert set(RecomputeRequest.objects.values_list("municipality_id", flat=True)) == {m, other}
    requests = RecomputeRequest.objects.count()

    first_is_filling = threading.Event()
    release_first = threading.Event()

    def hold_first(municipality_id):
        if threading.current_thread().name == "drain-a":
            first_is_filling.set()
            assert release_first.wait(30)

    spy = _Spy(monkeypatch, before=hold_first)
    results = {}

    def drain_a():
        try:
            results["a"] = outbox_drain()
        finally:
            connections.close_all()

    thread = threading.Thread(target=drain_a, name="drain-a")
    thread.start()
    try:
        assert first_is_filling.wait(30)
        held = spy.calls[0][0]
        results["b"] = outbox_drain()  # while drain A holds its municipality's rows
    finally:
        release_first.set()
        thread.join(60)

    assert results["a"].municipalities == 1 and results["b"].municipalities == 1
    assert results["a"].requests + results["b"].requests == requests
    assert sorted(call[0] for call in spy.calls) == sorted([m, other])  # each once
    assert spy.calls[0][0] == held and spy.calls[1][0] != held
    assert not RecomputeRequest.objects.exists()
    _full_recompute_equals_stored(m)
    _full_recompute_equals_stored(other)


def test_finding_1_a_drain_skips_rows_held_by_an_open_claim(world, filled):
    """A drain that holds rows (its claim transaction is open) blocks nobody: another drain
    returns at once with nothing taken, and the rows are still there for the holder."""
    _outflow(world, filled[0], D(TODAY.year, 1, 15))
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT id FROM indicators_recomputerequest FOR UPDATE")
            held = len(cursor.fetchall())
            assert held >= 1
            assert outbox_drain().requests == 0
        holder.rollback()
    finally:
        holder.close()
    assert RecomputeRequest.objects.count() == held
    assert outbox_drain().requests == held
