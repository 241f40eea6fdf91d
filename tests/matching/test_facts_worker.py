"""The debounced refresh of the candidate facts after a case change, through the real Celery
worker and Redis (issue 18): a committed group change reaches the facts, and so the account
manager's list, without anyone calling the refresh."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings

from caseload import services as cs
from matching import selectors
from matching.models import CandidateFacts
from matching.tasks import _client_for, _token, facts_refresh_wake_up


def _grp(resident_id: int) -> int | None:
    row = CandidateFacts.objects.filter(resident_id=resident_id).values_list("grp", flat=True)
    return row[0] if row else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_group_change_reaches_the_facts_through_the_worker(celery_worker, region):
    vacancy = region.vacancy()
    resident = region.resident(group=1)  # the profile service wrote the row in its transaction
    assert _grp(resident.pk) == 1
    # an earlier wake-up went to a queue no worker of this test consumes: drop its token
    _client_for(settings.REDIS_URL).delete(_token(region.municipality.pk))

    cs.group_assign(
        resident=resident,
        group=2,
        reason="Herbeoordeling",
        by=region.consulent,
        decided_on=dt.date(2026, 11, 20),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _grp(resident.pk) != 2:
        time.sleep(0.25)
    assert _grp(resident.pk) == 2
    (match,) = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert match.credits["group"] == 0.6


@pytest.mark.django_db
def test_a_burst_of_changes_queues_one_refresh_per_municipality(monkeypatch):
    from matching import tasks

    queued = []
    monkeypatch.setattr(
        tasks.candidate_facts_refresh_task,
        "apply_async",
        lambda args, **kw: queued.append((args, kw["countdown"])),
    )
    client = _client_for(settings.REDIS_URL)
    client.delete(_token(901), _token(902))
    for municipality_id in (901, 901, 902, 901):
        facts_refresh_wake_up(municipality_id)
    assert queued == [([901], tasks.COUNTDOWN), ([902], tasks.COUNTDOWN)]
    client.delete(_token(901), _token(902))
