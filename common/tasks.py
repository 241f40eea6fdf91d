"""Celery tasks of the cross-cutting pieces: take ids or nothing, call one body, safe to run
twice."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from .double_submit import form_submissions_purge as _form_submissions_purge
from .jobs import jobs_expire_all, jobs_requeue_all


@shared_task(name="common.jobs_expire")
def jobs_expire() -> dict[str, int]:
    """End every job left running by a dead worker (lease run out) failed, upload deleted
    (issue 13, finding 5), and send again the task of every job left queued past its grace
    (its message never reached the broker). Beat runs this every minute (config/schedule.py)."""
    ended = jobs_expire_all()
    sent = jobs_requeue_all()
    return ended | {f"{label}:requeued": n for label, n in sent.items()}


@shared_task(name="common.sessions_clear")
def sessions_clear() -> int:
    """Delete the sessions that have expired (Django keeps their rows until someone does).
    A session can hold the state of an unfinished registration (``registers``: the BSN and what
    the BRP answered) of a consulent who walked away; beat runs this every
    ``SESSIONS_CLEAR_EVERY`` seconds, so such a row outlives its 30 minutes by at most that
    (security review of 3 December). Returns the number deleted."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="common.form_submissions_purge")
def form_submissions_purge() -> int:
    """Forget the forms submitted more than a day ago (``common.double_submit``); daily."""
    return _form_submissions_purge()
