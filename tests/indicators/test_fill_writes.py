"""A fill writes only the figures that changed (issue 17, the regional recompute).

Recomputing a figure the same as stored leaves its row as it is (no new row version); a new
figure is inserted, a changed one updated, one no longer computed deleted, so that after any
change of the case records the stored rows are those a fill into an empty table gives. When a
figure was last computed is its period's fill state, which the detail page and the export show
as "berekend op", whatever the row's own ``changed_at``.
"""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone

from caseload import services as cs
from caseload.models import Resident
from indicators.fill import _mark
from indicators.models import FillState, IndicatorValue
from indicators.registry import indicator_get
from indicators.selectors import computed_at, computed_times
from tests import factories

from .conftest import Period, World, stored_values

pytestmark = pytest.mark.django_db

D = dt.date


def _versions(municipality_id: int) -> dict[int, tuple[str, str]]:
    """Each stored row's physical version: its place in the table and the transaction that
    wrote it (both change when a row is rewritten, by an update or a delete and insert)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ctid::text, xmin::text FROM indicators_indicatorvalue"
            " WHERE municipality_id = %s",
            [municipality_id],
        )
        return {pk: (ctid, xmin) for pk, ctid, xmin in cursor.fetchall()}


def _history(world: World) -> list[Resident]:
    people = []
    for i in range(4):
        r, _ = world.on_benefit(start=D(2024, 1, 1))
        people.append(r)
        if i < 3:
            world.outflow(r, D(2025, 2 + i, 10))
    world.trajectory(people[3], "loonkostensubsidie", D(2025, 3, 1))
    return people


def test_a_refill_with_the_same_figures_rewrites_no_row(world):
    _history(world)
    world.fill()
    before = _versions(world.municipality.pk)
    assert len(before) > 100
    result = world.fill()
    assert result.rows == 0
    assert _versions(world.municipality.pk) == before
    # and every period is marked done again
    assert set(FillState.objects.values_list("state", flat=True)) == {"done"}


def test_a_refill_with_the_same_figures_does_not_lock_the_rows(world):
    """The unchanged rows are matched in a join, not by ``ON CONFLICT``, which locks every row
    it compares (its transaction in ``xmax`` and a WAL record per row) before it finds nothing
    to update."""
    _history(world)
    world.fill()
    world.fill()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE xmax::text <> '0')"
            " FROM indicators_indicatorvalue WHERE municipality_id = %s",
            [world.municipality.pk],
        )
        rows, locked = cursor.fetchone()
    assert rows > 100
    assert locked == 0


def test_a_refill_after_changes_stores_what_a_fill_into_an_empty_table_stores(world):
    people = _history(world)
    world.fill()
    before = stored_values(world.municipality.pk)
    # a new outflow (new and changed figures), a resident moved to another team (the old
    # team's breakdown rows of the outflow and the caseload go: figures no longer computed),
    # and an ended trajectory
    world.outflow(people[3], D(2025, 6, 2))
    other = factories.TeamFactory(municipality=world.municipality, name="Zorg")
    Resident.objects.filter(pk=people[0].pk).update(team=other)
    cs.trajectory_close(
        trajectory=people[3].trajectories.get(), on=D(2025, 7, 1), result="afgerond", by=None
    )
    result = world.fill()
    refilled = stored_values(world.municipality.pk)
    assert result.rows > 0
    # keys (code, kind, period, breakdown) no longer computed, and new ones
    keys_before, keys_after = {r[:6] for r in before}, {r[:6] for r in refilled}
    assert any(key[4:] == ("team", "Werk") for key in keys_before - keys_after)
    assert any(key[4:] == ("team", "Zorg") for key in keys_after - keys_before)
    IndicatorValue.objects.filter(municipality=world.municipality).delete()
    world.fill()
    assert stored_values(world.municipality.pk) == refilled


def test_berekend_op_is_the_last_fill_not_the_last_change(client, world):
    _history(world)
    world.fill()
    long_ago = timezone.make_aware(dt.datetime(2020, 1, 1))
    IndicatorValue.objects.filter(municipality=world.municipality).update(changed_at=long_ago)
    FillState.objects.update(updated_at=long_ago, computed_at=long_ago)
    world.fill()  # the same figures: the rows keep their time, the fill states get a new one
    assert set(IndicatorValue.objects.values_list("changed_at", flat=True)) == {long_ago}
    filled_at = FillState.objects.get(
        code="outflow.to_work", period_start=D(2025, 1, 1), period_end=D(2025, 12, 31)
    ).computed_at
    assert filled_at > long_ago
    client.force_login(factories.UserFactory(manager=True, team=world.team))
    response = client.get("/indicatoren/export.csv?jaar=2025")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    year_total = next(
        r
        for r in rows
        if r["code"] == "outflow.to_work" and r["periode"] == "2025" and not r["uitsplitsing"]
    )
    shown = timezone.localtime(filled_at).replace(tzinfo=None, microsecond=0)
    assert year_total["berekend_op"] == shown.isoformat()
    assert not any(r["berekend_op"].startswith("2020") for r in rows)
    detail = client.get("/indicatoren/outflow.to_work/?jaar=2025").content.decode()
    assert "2020" not in detail.split("Berekend op", 1)[1][:200]


def test_berekend_op_stays_the_last_fill_while_its_period_is_being_filled_again(world):
    """A new 'started' mark (a recompute in progress, or one that crashed) does not move "berekend
    op" back to the row's own time, which can be months old for a figure that has not changed."""
    _history(world)
    world.fill(codes=["caseload.size"])
    long_ago = timezone.make_aware(dt.datetime(2020, 1, 1))
    IndicatorValue.objects.filter(code="caseload.size").update(changed_at=long_ago)
    state = FillState.objects.get(
        code="caseload.size", period_start=D(2025, 1, 1), period_end=D(2025, 12, 31)
    )
    assert state.computed_at is not None
    with connection.cursor() as cursor:  # the fill's own 'started' mark, as a new run writes it
        _mark(
            cursor,
            municipality_id=world.municipality.pk,
            defns=[indicator_get("caseload.size")],
            periods=[Period(D(2025, 1, 1), D(2025, 12, 31), "year")],
            state="started",
        )
    state.refresh_from_db()
    assert state.state == "started"
    row = world.value("caseload.size", "2025")
    times = computed_times(municipality=world.municipality, year=2025)
    assert computed_at(row, times) == state.computed_at != long_ago
    # and with no fill on record the row's own time is all there is
    FillState.objects.all().delete()
    assert computed_at(row, computed_times(municipality=world.municipality, year=2025)) == long_ago


def test_the_fill_counts_the_rows_it_writes_and_deletes(world):
    people = _history(world)
    first = world.fill(codes=["caseload.size"])
    assert first.rows == IndicatorValue.objects.filter(code="caseload.size").count()
    # everyone to another team: the old team's rows go, the new team's come, the totals stay
    other = factories.TeamFactory(municipality=world.municipality, name="Zorg")
    Resident.objects.filter(pk__in=[p.pk for p in people]).update(team=other)
    before = _versions(world.municipality.pk)
    result = world.fill(codes=["caseload.size"])
    after = _versions(world.municipality.pk)
    changed = {pk for pk in before.keys() & after.keys() if before[pk] != after[pk]}
    deleted = before.keys() - after.keys()
    inserted = after.keys() - before.keys()
    assert deleted and inserted and len(after) > len(inserted)
    assert result.rows == len(changed) + len(deleted) + len(inserted)


def test_the_periods_are_sent_as_array_literals_postgresql_reads_back():
    from indicators.calculations import periods_of_year
    from indicators.engine import _array, period_arrays

    periods = periods_of_year(2024, ("month", "quarter", "year"), D(2024, 12, 31))
    params = period_arrays(periods)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %(kinds)s::text[], %(starts)s::date[], %(ends)s::date[]", params)
        kinds, starts, ends = cursor.fetchone()
    assert kinds == [p.kind for p in periods]
    assert starts == [p.start for p in periods] and ends == [p.end for p in periods]
    for bad in (["month", "x,y"], ["NULL"], [""], ["a b"]):
        with pytest.raises(ValueError):
            _array(bad)
