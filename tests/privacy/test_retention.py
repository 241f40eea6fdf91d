"""Retention: a closed dossier is anonymised after the retention period (time-travelled
clock: ``today=``), keeping what the indicators count; the run is logged and idempotent."""

import datetime as dt

import pytest
from django.core.management import call_command

from caseload import models as cm
from common.bsn import is_valid_bsn
from config.celery import app
from privacy import selectors, services
from privacy.models import AnonymisedResident, ProcessingRecord
from tests import factories
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db

ENDED = dt.date(2025, 6, 30)  # BenefitFactory(ended_for_work=True)


@pytest.fixture
def closed(resident, consulent):
    benefit = factories.BenefitFactory(applicant=resident, ended_for_work=True)
    cm.BenefitPayment.objects.create(benefit=benefit, month=dt.date(2025, 1, 1), amount_paid=1200)
    cm.ContactMoment.objects.create(
        resident=resident,
        occurred_on=dt.date(2025, 5, 1),
        channel="telefoon",
        by=consulent,
        summary="Vertelde over zijn schulden",
    )
    factories.GroupAssignmentFactory(
        resident=resident, decided_by=consulent, reason="Gesprek over gezondheid"
    )
    return resident


def test_destruction_date_is_ten_years_after_the_last_benefit_end(closed):
    assert selectors.resident_destruction_date(resident_id=closed.pk) == dt.date(2035, 6, 30)


def test_open_dossier_has_no_destruction_date(resident, open_benefit):
    assert selectors.resident_destruction_date(resident_id=resident.pk) is None


def test_retention_years_are_configurable(closed, settings):
    settings.PRIVACY_RETENTION_YEARS = 7
    assert selectors.resident_destruction_date(resident_id=closed.pk) == dt.date(2032, 6, 30)


def test_nothing_happens_before_the_date(closed):
    assert services.retention_run(today=dt.date(2035, 6, 29)) == 0
    closed.refresh_from_db()
    assert closed.first_name != services.ANONYMISED


def test_overdue_dossier_is_anonymised_keeping_the_facts(closed):
    bsn, birth, household = closed.bsn, closed.birth_date, closed.household
    assert services.retention_run(today=dt.date(2035, 7, 1)) == 1
    closed.refresh_from_db()
    assert closed.first_name == services.ANONYMISED and closed.last_name == f"Inwoner {closed.pk}"
    assert closed.bsn != bsn and is_valid_bsn(closed.bsn) and closed.is_fake
    assert closed.birth_date == birth.replace(day=1)
    household.refresh_from_db()
    assert household.street == services.ANONYMISED and household.house_number == "0"
    assert household.city == "Hilversum" and household.household_type == "alleenstaand"
    assert cm.ContactMoment.objects.get(resident=closed).summary == ""
    assert cm.GroupAssignment.objects.get(resident=closed).reason == services.ANONYMISED
    # what the indicators and the budget count is untouched
    benefit = cm.Benefit.objects.get(applicant=closed)
    assert (benefit.start_date, benefit.end_date, benefit.end_reason) == (
        dt.date(2024, 1, 1),
        ENDED,
        "11",
    )
    assert cm.BenefitPayment.objects.get(benefit=benefit).amount_paid == 1200
    assert cm.GroupAssignment.objects.get(resident=closed).group == 2
    assert closed.team_id and closed.municipality_id
    marker = AnonymisedResident.objects.get(resident=closed)
    assert marker.destruction_due_on == dt.date(2035, 6, 30)
    record = records_for(closed).get(action="anonymise")
    assert record.purpose == "bewaartermijn" and record.username == "systeem"
    assert bsn not in str(record.__dict__)


def test_run_is_idempotent_and_spares_open_dossiers(closed, team, consulent):
    still_open = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    factories.BenefitFactory(applicant=still_open, start_date=dt.date(2010, 1, 1))
    assert services.retention_run(today=dt.date(2040, 1, 1)) == 1
    before = ProcessingRecord.objects.count()
    assert services.retention_run(today=dt.date(2040, 1, 1)) == 0
    assert ProcessingRecord.objects.count() == before
    still_open.refresh_from_db()
    assert still_open.first_name != services.ANONYMISED


def test_shared_household_address_is_kept_while_a_member_is_still_a_client(closed, consulent):
    partner = factories.ResidentFactory(
        household=closed.household, team=closed.team, consulent=consulent, household_role="partner"
    )
    # the partner has a pending application: still a client, so the address stays
    cm.Application.objects.create(resident=partner, received_on=dt.date(2030, 1, 1))
    services.retention_run(today=dt.date(2036, 1, 1))
    closed.refresh_from_db()
    closed.household.refresh_from_db()
    assert closed.first_name == services.ANONYMISED
    assert closed.household.street != services.ANONYMISED


def test_management_command_with_a_date(closed):
    call_command("retention_run", "--vandaag", "2035-07-01")
    closed.refresh_from_db()
    assert closed.first_name == services.ANONYMISED


def test_beat_runs_the_retention_job_nightly():
    app.loader.import_default_modules()
    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "privacy.retention_anonymise_overdue" in entries
    assert "privacy.retention_anonymise_overdue" in app.tasks
