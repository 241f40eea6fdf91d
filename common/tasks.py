"""Celery tasks of the cross-cutting pieces: take ids or nothing, call one body, safe to run
twice."""

from celery import shared_task

from .jobs import jobs_expire_all


@shared_task(name="common.jobs_expire")
def jobs_expire() -> dict[str, int]:
    """End every job left running by a dead worker (lease run out) failed, upload deleted
    (issue 13, finding 5; beat runs this every minute, config/schedule.py)."""
    return jobs_expire_all()
