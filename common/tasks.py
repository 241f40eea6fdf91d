"""Celery tasks of the cross-cutting pieces: take ids or nothing, call one body, safe to run
twice."""

from celery import shared_task

from .jobs import jobs_expire_all, jobs_requeue_all


@shared_task(name="common.jobs_expire")
def jobs_expire() -> dict[str, int]:
    """End every job left running by a dead worker (lease run out) failed, upload deleted
    (issue 13, finding 5), and send again the task of every job left queued past its grace
    (its message never reached the broker). Beat runs this every minute (config/schedule.py)."""
    ended = jobs_expire_all()
    sent = jobs_requeue_all()
    return ended | {f"{label}:requeued": n for label, n in sent.items()}
