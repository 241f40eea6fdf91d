"""Issue 13, finding 6: concurrent duplicate creates end in the same clean DomainError as the
sequential case (a 4xx JSON error in the API, a form error in the UI), never a 500.

Real concurrency against the real database: the first create runs in a transaction that stays
open (its row inserted, not committed) until the second create, in another thread with its own
connection, has passed the pre-check and is waiting on a lock (seen in ``pg_stat_activity``);
then the first commits and the second goes on. On the old code the second ended in an
IntegrityError.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from caseload import services
from caseload.models import Application, Benefit, GroupAssignment, LadderScore, Trajectory
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = dt.date(2026, 1, 5)


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run ``first`` in a transaction held open until ``second`` (another thread and
    connection) waits on a lock behind it; then commit. Returns both outcomes (a raised
    exception is the outcome)."""
    outcome: dict[str, Any] = {}
    inserted = threading.Event()
    commit = threading.Event()

    def run_first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = first()
                inserted.set()
                commit.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - the outcome is asserted by the test
            outcome["first"] = exc
            inserted.set()
        finally:
            connection.close()

    def run_second() -> None:
        try:
            outcome["second"] = second()
        except Exception as exc:  # noqa: BLE001
            outcome["second"] = exc
        finally:
            connection.close()

    thread_a = threading.Thread(target=run_first)
    thread_a.start()
    assert inserted.wait(timeout=30)
    thread_b = threading.Thread(target=run_second)
    thread_b.start()
    deadline = time.monotonic() + 20
    while not _someone_waits_on_a_lock():
        assert time.monotonic() < deadline, "the second create never waited on the first"
        assert thread_b.is_alive(), f"the second create did not wait: {outcome.get('second')!r}"
        time.sleep(0.02)
    commit.set()
    thread_a.join(timeout=30)
    thread_b.join(timeout=30)
    return outcome["first"], outcome["second"]


def assert_domain_error(outcome: Any, code: str) -> None:
    assert isinstance(outcome, DomainError), repr(outcome)
    assert outcome.code == code


@pytest.fixture
def setup():
    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team)
    resident = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    return team, consulent, resident


def api_client(consulent) -> APIClient:
    client = APIClient()
    client.force_login(consulent)
    return client


# --- trajectories: one open trajectory per instrument ----------------------------------------


def test_finding_6_concurrent_trajectory_same_instrument_is_a_domain_error(setup):
    """Issue 13, finding 6: two trajectories with one instrument started at once."""
    _, consulent, resident = setup
    instrument = factories.InstrumentFactory()

    def start():
        return services.trajectory_start(
            resident=resident, instrument=instrument, started_on=DAY, by=consulent
        )

    first, second = race(start, start)
    assert isinstance(first, Trajectory)
    assert_domain_error(second, "trajectory_open")
    assert second.message == "Er loopt al een traject met dit instrument."
    assert Trajectory.objects.filter(resident=resident).count() == 1


def test_finding_6_concurrent_trajectory_api_is_400_json(setup):
    """Issue 13, finding 6: the API answers the structured 400, not a 500."""
    _, consulent, resident = setup
    instrument = factories.InstrumentFactory()
    client = api_client(consulent)

    def start():
        return services.trajectory_start(
            resident=resident, instrument=instrument, started_on=DAY, by=consulent
        )

    def post():
        return client.post(
            "/api/v1/caseload/trajectories/",
            {"resident": resident.pk, "instrument": instrument.pk, "started_on": DAY.isoformat()},
            format="json",
        )

    _, response = race(start, post)
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "trajectory_open"
    assert Trajectory.objects.filter(resident=resident).count() == 1


def test_finding_6_concurrent_trajectory_ui_is_form_error(setup):
    """Issue 13, finding 6: the page comes back with the form error (422), not a 500."""
    _, consulent, resident = setup
    instrument = factories.InstrumentFactory()
    client = Client()
    client.force_login(consulent)
    url = reverse("caseload:trajectory_start", args=[resident.pk])

    def start():
        return services.trajectory_start(
            resident=resident, instrument=instrument, started_on=DAY, by=consulent
        )

    def post():
        return client.post(
            url, {"instrument": instrument.pk, "started_on": DAY.isoformat(), "provider": "X"}
        )

    _, response = race(start, post)
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 422
    assert "Er loopt al een traject met dit instrument." in response.content.decode()


# --- ladder scores: one measurement per day ---------------------------------------------------


def test_finding_6_concurrent_ladder_score_same_day_is_a_domain_error(setup):
    """Issue 13, finding 6: two ladder scores of one day recorded at once."""
    _, consulent, resident = setup

    def record():
        return services.ladder_score_record(
            resident=resident, measured_on=DAY, step=3, by=consulent
        )

    first, second = race(record, record)
    assert isinstance(first, LadderScore)
    assert_domain_error(second, "ladder_exists")
    assert second.field == "measured_on"
    assert LadderScore.objects.filter(resident=resident).count() == 1


def test_finding_6_concurrent_ladder_score_api_and_ui(setup):
    """Issue 13, finding 6: the ladder score's API answer and page under the race."""
    _, consulent, resident = setup
    client = api_client(consulent)
    ui = Client()
    ui.force_login(consulent)

    def record(day):
        return lambda: services.ladder_score_record(
            resident=resident, measured_on=day, step=3, by=consulent
        )

    def post():
        return client.post(
            "/api/v1/caseload/ladder-scores/",
            {"resident": resident.pk, "measured_on": DAY.isoformat(), "step": 4},
            format="json",
        )

    _, response = race(record(DAY), post)
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "ladder_exists"

    other_day = DAY - dt.timedelta(days=1)
    url = reverse("caseload:ladder_record", args=[resident.pk])

    def post_ui():
        return ui.post(url, {"measured_on": other_day.isoformat(), "step": "4"})

    _, page = race(record(other_day), post_ui)
    assert not isinstance(page, Exception), repr(page)
    assert page.status_code == 422
    assert "Op deze datum is al een meting vastgelegd." in page.content.decode()
    assert LadderScore.objects.filter(resident=resident).count() == 2


# --- group assignments: one current assignment per resident ------------------------------------


def test_finding_6_concurrent_group_assignments_behave_as_sequential(setup):
    """Issue 13, finding 6: two group assignments of one resident at once. Sequentially the
    second ends the first; concurrently it does the same (one current assignment, no error)."""
    _, consulent, resident = setup

    def assign(group):
        return lambda: services.group_assign(
            resident=resident, group=group, reason="Brede intake", by=consulent, decided_on=DAY
        )

    first, second = race(assign(1), assign(2))
    assert isinstance(first, GroupAssignment), repr(first)
    assert isinstance(second, GroupAssignment), repr(second)
    current = GroupAssignment.objects.get(resident=resident, ended_on__isnull=True)
    assert current.pk == second.pk and current.group == 2
    assert GroupAssignment.objects.get(pk=first.pk).ended_on == DAY


def test_finding_6_concurrent_group_assignment_api_and_ui(setup):
    """Issue 13, finding 6: the API and the page under the same race: no 500."""
    _, consulent, resident = setup
    client = api_client(consulent)
    ui = Client()
    ui.force_login(consulent)

    def assign(day=DAY):
        return lambda: services.group_assign(
            resident=resident, group=1, reason="Intake", by=consulent, decided_on=day
        )

    def post():
        return client.post(
            "/api/v1/caseload/group-assignments/",
            {"resident": resident.pk, "group": 2, "reason": "Herzien", "decided_on": "2026-01-06"},
            format="json",
        )

    _, response = race(assign(), post)
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 201, response.json()

    url = reverse("caseload:group_change", args=[resident.pk])
    later = dt.date(2026, 1, 7)
    _, page = race(assign(later), lambda: ui.post(url, {"group": "3", "reason": "Opnieuw"}))
    assert not isinstance(page, Exception), repr(page)
    # sequential semantics: the later decision (today) ends the one of 7 January
    assert page.status_code == 302
    assert GroupAssignment.objects.filter(resident=resident, ended_on__isnull=True).count() == 1
    assert GroupAssignment.objects.get(resident=resident, ended_on__isnull=True).group == 3


# --- benefits: one open benefit per household and regime --------------------------------------


def test_finding_6_concurrent_grants_of_one_household_are_a_domain_error(setup):
    """Issue 13, finding 6: two applications of one household granted at once."""
    _, _, applicant = setup
    partner = factories.ResidentFactory(
        team=applicant.team,
        consulent=applicant.consulent,
        household=applicant.household,
        household_role="partner",
    )
    first_application = factories.ApplicationFactory(resident=applicant)
    second_application = factories.ApplicationFactory(resident=partner)

    def grant(application):
        return lambda: services.application_decide(
            application=application, outcome=Application.Outcome.GRANTED, decided_on=DAY
        )

    first, second = race(grant(first_application), grant(second_application))
    assert isinstance(first, Application), repr(first)
    assert_domain_error(second, "benefit_open_exists")
    assert Benefit.objects.filter(household=applicant.household).count() == 1
    second_application.refresh_from_db()
    assert second_application.outcome == Application.Outcome.PENDING  # nothing half-written


def test_finding_6_concurrent_grant_api_is_400_json(setup):
    """Issue 13, finding 6: granting through the API while another grant is in flight."""
    _, consulent, applicant = setup
    partner = factories.ResidentFactory(
        team=applicant.team,
        consulent=applicant.consulent,
        household=applicant.household,
        household_role="partner",
    )
    first_application = factories.ApplicationFactory(resident=applicant)
    second_application = factories.ApplicationFactory(resident=partner)
    client = api_client(consulent)

    def grant():
        return services.application_decide(
            application=first_application, outcome=Application.Outcome.GRANTED, decided_on=DAY
        )

    def post():
        return client.post(
            f"/api/v1/caseload/applications/{second_application.pk}/decide/",
            {"outcome": "toegekend", "decided_on": DAY.isoformat()},
            format="json",
        )

    _, response = race(grant, post)
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "benefit_open_exists"
    assert Benefit.objects.filter(household=applicant.household).count() == 1
