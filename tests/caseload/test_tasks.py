"""A Celery task executed by a real worker against the real (Redis) broker."""

import datetime as dt

import pytest

from caseload import services
from caseload.models import OutflowEvent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_durability_task_runs_in_a_real_worker(celery_worker, resident, consulent):
    benefit = factories.BenefitFactory(applicant=resident, start_date=dt.date(2023, 1, 1))
    event = services.outflow_record(
        resident=resident,
        kind=OutflowEvent.Kind.FULL,
        reason=OutflowEvent.Reason.WORK,
        occurred_on=dt.date(2024, 2, 1),
        hours_per_week=36,
        contract_type=OutflowEvent.ContractType.PERMANENT,
        by=consulent,
    )
    assert event.benefit_id == benefit.id

    from caseload.tasks import outflow_durability_refresh_task

    result = outflow_durability_refresh_task.delay()
    counts = result.get(timeout=30)

    assert counts == {"still_off_benefit_6m": 1, "still_off_benefit_12m": 1}
    event.refresh_from_db()
    assert event.still_off_benefit_6m is True
    assert event.still_off_benefit_12m is True
