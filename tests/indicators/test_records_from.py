"""A municipality's ``records_from`` (the first day this system holds all its dossiers, e.g.
the conversion from the former system): figures from the dossiers start there. The independent
recomputation of 3 December found the demo's years before its history stored as real zeros
(Hilversum 2018: 0 outflows to work, where the plan counts 205; 0,0 % in beeld)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from indicators import fill
from indicators.models import FillState, IndicatorValue
from indicators.registry import indicator_get
from indicators.services import indicator_values_fill, manual_value_set

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = dt.date
MANUAL = "bbv.netto_arbeidsparticipatie"


def _years(world, code):
    return sorted(
        IndicatorValue.objects.filter(
            municipality=world.municipality, code=code, period_kind="year", dimension=""
        ).values_list("period_start__year", flat=True)
    )


def test_no_values_before_records_from_and_old_ones_go(world):
    r, _ = world.on_benefit(start=D(2021, 3, 1))
    world.outflow(r, D(2025, 4, 1))
    manual_value_set(
        municipality_id=world.municipality.pk,
        code=MANUAL,
        year=2022,
        value=Decimal("66.1"),
        source="CBS StatLine",
        source_date=D(2023, 6, 1),
    )
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    assert _years(world, "caseload.size") == [2021, 2022, 2023, 2024, 2025, 2026]
    # the conversion was on 1 July 2023: the figures before it are no data, not zeros
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    assert _years(world, "caseload.size") == [2024, 2025, 2026]
    months = IndicatorValue.objects.filter(
        municipality=world.municipality, code="caseload.size", period_kind="month", dimension=""
    )
    assert min(months.values_list("period_start", flat=True)) == D(2023, 7, 1)
    assert not FillState.objects.filter(code="caseload.size", period_start__lt=D(2023, 7, 1))
    assert world.value("caseload.size", "2023-07").value == 1
    # the hand-entered CBS figure of 2022 is not from the dossiers: it stays
    assert _years(world, MANUAL) == [2022]


def test_the_dashboard_says_no_data_before_records_from(world, client):
    from tests import factories

    world.on_benefit(start=D(2021, 3, 1))
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    client.force_login(factories.UserFactory(manager=True, municipality=world.municipality))
    before = client.get("/indicatoren/", {"jaar": 2022}).content.decode()
    assert "Geen gegevens over 2022" in before and "vanaf 1-7-2023" in before
    partly = client.get("/indicatoren/", {"jaar": 2023}).content.decode()
    assert "de jaarwaarde van 2023 hebben geen cijfers uit de dossiers" in partly
    after = client.get("/indicatoren/", {"jaar": 2024}).content.decode()
    assert "Geen gegevens" not in after and "vanaf 1-7-2023" not in after
    detail = client.get("/indicatoren/caseload.size/", {"jaar": 2022}).content.decode()
    assert "Geen gegevens over 2022" in detail


def test_a_records_from_to_come_is_refused(world):
    """A date after today would take every figure from the dossiers away: the admin refuses
    it with the reason at the field."""
    from django.core.exceptions import ValidationError

    from common import clock

    world.municipality.records_from = clock.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        world.municipality.full_clean()
    assert refused.value.message_dict == {
        "records_from": ["Deze datum kan niet in de toekomst liggen."]
    }
    world.municipality.records_from = clock.today()
    world.municipality.full_clean()


def _holding_the_lock(municipality_id: int, code: str, *, then=None):
    """A thread that takes the fill's lock of ``code`` (``fill._lock``, as a fill in progress
    holds it), runs ``then()`` inside that transaction, and holds on until ``release`` is set."""
    holding, release = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                fill._lock(cursor, municipality_id, [indicator_get(code)])
                if then is not None:
                    then()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    return thread, release


def _until_one_waits_for_a_fill_lock() -> None:
    """Until another session waits for an advisory lock (a fill's, held by the test)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT count(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND NOT granted
                      AND database = (SELECT oid FROM pg_database
                                       WHERE datname = current_database())"""
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("no session waits for the fill's lock")


def _in_thread(target):
    errors: list[Exception] = []

    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _before(world, code, day):
    return (
        IndicatorValue.objects.filter(
            municipality=world.municipality, code=code, period_start__lt=day
        ).count()
        + FillState.objects.filter(
            municipality=world.municipality, code=code, period_start__lt=day
        ).count()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_full_fills_delete_waits_for_a_fill_that_is_writing_an_earlier_period(world):
    """A fill that is writing a 2022 figure (under its lock, not yet committed) when the full
    fill after a records_from move deletes the earlier periods: the delete waited for it, so the
    figure does not stay (it did while the delete took no lock)."""
    world.on_benefit(start=D(2021, 3, 1))
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    code, year_2022 = "caseload.size", world.value("caseload.size", "2022")
    year_2022.delete()  # the period is not stored yet: the fill below inserts it
    year_2022.pk = None

    writer, release = _holding_the_lock(world.municipality.pk, code, then=year_2022.save)
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    full, errors = _in_thread(
        lambda: indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    )
    _until_one_waits_for_a_fill_lock()  # the full fill: at its delete, or at a batch after it
    release.set()
    writer.join(10)
    full.join(60)
    assert errors == []
    assert _before(world, code, D(2023, 7, 1)) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fill_that_read_the_former_records_from_writes_no_earlier_period(world):
    """A recompute of 2022 that read records_from before it moved, and got its lock after the
    move: it writes no 2022 figure and leaves no 2022 period 'started' (it wrote them back)."""
    world.on_benefit(start=D(2021, 3, 1))
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    code = "caseload.size"
    assert _before(world, code, D(2023, 7, 1)) > 0
    holder, release = _holding_the_lock(world.municipality.pk, code)
    late, errors = _in_thread(
        lambda: indicator_values_fill(
            municipality_id=world.municipality.pk, codes=[code], year=2022, today=TODAY
        )
    )
    _until_one_waits_for_a_fill_lock()  # it has read records_from (none) and waits
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    release.set()
    holder.join(10)
    late.join(60)
    assert errors == []
    assert _before(world, code, D(2023, 7, 1)) == 0
    assert world.value("caseload.size", "2023-07").value == 1  # the later periods stay
