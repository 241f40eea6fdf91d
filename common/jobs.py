"""One shape for background jobs (issue 16, point 6): an abstract model with the status, the
progress, the errors, a lease and the timestamps, and the helpers that claim, keep alive and
finish a job.

A worker claims a queued job with :func:`job_claim` (a row lock taken with ``SKIP LOCKED``, so
two workers never run the same job), renews the lease with :func:`job_heartbeat` while it works
(and from a thread of its own with :func:`job_lease_kept`, which also holds while the body waits
in one long transaction) and ends it with :func:`job_finish`.

A job whose lease has run out while it is still running was interrupted: its worker died, or
lost the database (issue 13, finding 5). :func:`jobs_expire` ends such a job *failed* with the
reason "Onderbroken" and deletes its upload (``Job.upload_fields``), so nothing stays "running"
for ever and the same file can be offered again (a failed job blocks nothing). Beat runs
:func:`jobs_expire_all` every minute (``common.jobs_expire``, config/schedule.py) and the pages
that show a job check it when they are looked at. A job left *queued* (the broker was down
when it was created, or lost its message) is sent again by :func:`jobs_requeue_all` in the same
beat run once it has waited ``JOB_QUEUE_GRACE_SECONDS``; claiming makes a second message
harmless. An interrupted job is not resumed: every job
body is all-or-nothing, so nothing of it was written, and the user offers the file again. A
worker that comes back after its job was ended cannot overwrite that end: :func:`job_finish`
only ends a running job and otherwise raises :class:`JobLost` (inside the body's transaction,
so its writes roll back).

Stored status values are English codes; the labels are Dutch, and a model may give a status its
own label (:func:`job_status_field`) so that its pages keep their words."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def default_lease() -> timedelta:
    """A job's lease: ``JOB_LEASE_SECONDS`` (five minutes unless configured)."""
    return timedelta(seconds=getattr(settings, "JOB_LEASE_SECONDS", 300))


#: the error of a job ended by :func:`jobs_expire` (its lease ran out while it was running)
INTERRUPTED_REASON = (
    "Onderbroken: de verwerking is door een storing gestopt voordat ze klaar was; er is niets "
    "verwerkt. Probeer het opnieuw."
)


class JobLost(Exception):
    """The job is no longer running (ended meanwhile, e.g. by :func:`jobs_expire`)."""


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Geslaagd")
    REJECTED = "rejected", _("Afgekeurd")  # the input was refused (row errors); nothing applied
    FAILED = "failed", _("Mislukt")  # a crash; nothing applied


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.REJECTED, JobStatus.FAILED)


def job_status_field(**labels: Any) -> models.CharField:
    """The status field, with a model's own label for some statuses (keyword = lower-case code
    name, e.g. ``succeeded=_("Verwerkt")``)."""
    unknown = set(labels) - {s.value for s in JobStatus}
    if unknown:
        raise ValueError(f"unknown job status: {sorted(unknown)}")
    choices = [(value, labels.get(value, label)) for value, label in JobStatus.choices]
    return models.CharField(_("status"), max_length=10, choices=choices, default=JobStatus.QUEUED)


class Job(models.Model):
    """Abstract base of a background job. ``Status`` is :class:`JobStatus` on every job model."""

    Status = JobStatus

    #: fields holding the upload (personal data): emptied when the job ends, whatever the end
    upload_fields: ClassVar[tuple[str, ...]] = ()
    #: the Celery task (by name) that runs the job with its id; :func:`jobs_requeue_all` sends it
    #: again for a job left queued (its message never reached the broker, or was lost)
    task_name: ClassVar[str] = ""

    status = job_status_field()
    progress_done = models.PositiveIntegerField(_("verwerkt"), default=0)
    progress_total = models.PositiveIntegerField(_("totaal"), default=0)
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    lease_expires_at = models.DateTimeField(_("lease tot"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def job_error(cls, message: str) -> dict[str, Any]:
        """One whole-job error (line 0) in the shape of this model's ``errors``."""
        return {"line": 0, "reason": message}

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def progress(self) -> int:
        """Percentage done: 100 once the job succeeded or was rejected."""
        if self.status in (JobStatus.SUCCEEDED, JobStatus.REJECTED):
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


J = TypeVar("J", bound=Job)


def job_claim(
    model: type[J],
    pk: int,
    *,
    lease: timedelta | None = None,
    from_statuses: tuple[str, ...] = (JobStatus.QUEUED,),
    reclaim_expired: bool = False,
) -> J | None:
    """Move the job from queued (or another of ``from_statuses``) to running and give it a lease;
    the claimed job, or None when it is not claimable: another worker holds its row lock, or it
    is no longer queued. ``reclaim_expired``: a running job whose lease ran out (its worker died)
    is claimed again, to be run once more from the start."""
    claimable = Q(status__in=from_statuses)
    if reclaim_expired:
        claimable |= _expired(timezone.now())
    with transaction.atomic():
        job = (
            model._default_manager.select_for_update(skip_locked=True)
            .filter(claimable, pk=pk)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = now
        job.finished_at = None
        job.lease_expires_at = now + (lease or default_lease())
        job.save(update_fields=["status", "started_at", "finished_at", "lease_expires_at"])
    return job


def job_heartbeat(
    job: Job,
    *,
    lease: timedelta | None = None,
    done: int | None = None,
    total: int | None = None,
) -> bool:
    """Renew a running job's lease (and record its progress); False when the job is no longer
    running (finished, or taken away), so that the worker can stop."""
    fields: dict[str, Any] = {"lease_expires_at": timezone.now() + (lease or default_lease())}
    if done is not None:
        fields["progress_done"] = done
    if total is not None:
        fields["progress_total"] = total
    updated = (
        type(job)._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields)
    )
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(updated)


def job_finish(job: Job, status: str, *, errors: list | None = None, **fields: Any) -> str:
    """End the running job with a finished status (succeeded, rejected or failed), its errors and
    any other fields of the model; the lease is released. Returns the status. A job that is no
    longer running (ended by :func:`jobs_expire` meanwhile) is left as it is: :class:`JobLost`."""
    if status not in FINISHED_STATUSES:
        raise ValueError(f"not a finished job status: {status}")
    values: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "lease_expires_at": None,
        **fields,
    }
    if errors is not None:
        values["errors"] = errors
    updated = (
        type(job)._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING).update(**values)
    )
    if not updated:
        raise JobLost(f"{type(job)._meta.label} {job.pk} is no longer running")
    for name, value in values.items():
        setattr(job, name, value)
    return status


def job_upload_delete(job: Job) -> None:
    """Delete the job's upload (``upload_fields``): a stored file is removed from storage (one
    already gone is fine) and its name cleared, other fields (stored bytes) become NULL."""
    values: dict[str, Any] = {}
    for name in job.upload_fields:
        field = job._meta.get_field(name)
        if isinstance(field, models.FileField):
            stored = getattr(job, name)
            if stored and stored.name:
                stored.storage.delete(stored.name)
            values[name] = ""
        else:
            values[name] = None
    if values:
        type(job)._default_manager.filter(pk=job.pk).update(**values)
        for name, value in values.items():
            setattr(job, name, value)


def _expired(now: datetime) -> Q:
    """Running with its lease run out (or, from before leases, none and older than a lease)."""
    return Q(status=JobStatus.RUNNING) & (
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, created_at__lt=now - default_lease())
    )


def jobs_expire(jobs: QuerySet[J], *, now: datetime | None = None) -> list[int]:
    """End every job of ``jobs`` that is running with its lease run out: failed, with
    :data:`INTERRUPTED_REASON`, its upload deleted. A job whose row another connection holds
    is left for the next round. The ids of the jobs ended."""
    model = jobs.model
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(jobs.select_for_update(skip_locked=True, of=("self",)).filter(_expired(now)))
        for job in expired:
            job_finish(job, JobStatus.FAILED, errors=[model.job_error(INTERRUPTED_REASON)])
    for job in expired:
        job_upload_delete(job)
        logger.warning("%s %s was interrupted (lease ran out): failed", model._meta.label, job.pk)
    return [job.pk for job in expired]


def job_models() -> list[type[Job]]:
    """Every concrete job model of the installation."""
    return [m for m in apps.get_models() if issubclass(m, Job)]


def jobs_expire_all(*, now: datetime | None = None) -> dict[str, int]:
    """:func:`jobs_expire` over every job model; the number ended per model label."""
    return {
        model._meta.label: len(jobs_expire(model._default_manager.all(), now=now))
        for model in job_models()
    }


def job_queue_grace() -> timedelta:
    """How long a job may wait queued before it is queued again: ``JOB_QUEUE_GRACE_SECONDS``."""
    return timedelta(seconds=getattr(settings, "JOB_QUEUE_GRACE_SECONDS", 120))


def job_send_after_commit(task: Any, job_id: int) -> None:
    """Queue ``task`` for the job once the job's row is committed. With the broker down the job
    stays queued and :func:`jobs_requeue_all` sends it once Redis is back, so the page that
    created it goes on to the job's status instead of answering 503. The 503 asked for the file
    again, which made two jobs of one file, the older one running last (the fault run of 3
    December). Any other error is raised."""

    def send() -> None:
        from .dependencies import is_outage

        try:
            task.delay(job_id)
        except Exception as exc:
            # the broker's errors, and Celery's RuntimeError around them (the result store)
            if not is_outage(exc):
                raise
            logger.warning("job %s left queued, the broker is down: %s", job_id, type(exc).__name__)

    transaction.on_commit(send)


def jobs_requeue(jobs: QuerySet[J], *, now: datetime | None = None) -> list[int]:
    """Send the task again for every job of ``jobs`` still queued after the grace period: its
    task was never delivered (the broker was down when the job was created: the user saw the
    503 page, the job row was saved) or its message was lost with the broker's data. Safe when
    the first message does arrive after all: :func:`job_claim` runs a job once. A send that
    fails (the broker is still down) is left for the next round. The ids sent."""
    model = jobs.model
    if not model.task_name:
        return []
    now = now or timezone.now()
    stale = list(
        jobs.filter(status=JobStatus.QUEUED, created_at__lt=now - job_queue_grace())
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    sent = []
    for pk in stale:
        try:
            current_app.send_task(model.task_name, args=[pk])
        except Exception:  # noqa: BLE001 - the broker is down: the next round sends it
            logger.warning("%s %s still queued; the broker did not take it", model._meta.label, pk)
            break
        sent.append(pk)
    if sent:
        logger.info("%s: %s queued jobs sent again", model._meta.label, len(sent))
    return sent


def jobs_requeue_all(*, now: datetime | None = None) -> dict[str, int]:
    """:func:`jobs_requeue` over every job model; the number sent again per model label."""
    return {
        model._meta.label: len(jobs_requeue(model._default_manager.all(), now=now))
        for model in job_models()
    }


@contextlib.contextmanager
def job_lease_kept(
    job: Job, *, lease: timedelta | None = None, every: float | None = None
) -> Iterator[None]:
    """Keep the running job's lease alive while the block runs: a thread with its own database
    connection renews it every ``every`` seconds (a third of the lease). The renewal is seen at
    once even while the block waits in one long transaction; when the process dies, or cannot
    reach the database, the renewals stop and the lease runs out."""
    kept = lease or default_lease()
    interval = every if every is not None else kept.total_seconds() / 3
    stop = threading.Event()
    rows = type(job)._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING)

    def keep() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not rows.update(lease_expires_at=timezone.now() + kept):
                        return  # ended (or taken away): nothing left to keep
                except DatabaseError:
                    logger.warning("lease of %s %s not renewed", type(job)._meta.label, job.pk)
                    connection.close()  # the next round connects again
        finally:
            connection.close()

    thread = threading.Thread(target=keep, name=f"lease-{job._meta.label}-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 10)
