"""One shape for background jobs (issue 16, point 6): an abstract model with the status, the
progress, the errors, a lease and the timestamps, and the helpers that claim, keep alive and
finish a job.

A worker claims a queued job with :func:`job_claim` (a row lock taken with ``SKIP LOCKED``, so
two workers never run the same job), renews the lease with :func:`job_heartbeat` while it works
and ends it with :func:`job_finish`. A job whose lease has run out while it is still running was
interrupted (issue 13, finding 5 builds on this).

Stored status values are English codes; the labels are Dutch, and a model may give a status its
own label (:func:`job_status_field`) so that its pages keep their words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_LEASE = timedelta(minutes=5)


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
    lease: timedelta = DEFAULT_LEASE,
    from_statuses: tuple[str, ...] = (JobStatus.QUEUED,),
) -> J | None:
    """Move the job from queued (or another of ``from_statuses``) to running and give it a lease;
    the claimed job, or None when it is not claimable: another worker holds its row lock, or it
    is no longer queued."""
    with transaction.atomic():
        job = (
            model._default_manager.select_for_update(skip_locked=True)
            .filter(pk=pk, status__in=from_statuses)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = now
        job.finished_at = None
        job.lease_expires_at = now + lease
        job.save(update_fields=["status", "started_at", "finished_at", "lease_expires_at"])
    return job


def job_heartbeat(
    job: Job,
    *,
    lease: timedelta = DEFAULT_LEASE,
    done: int | None = None,
    total: int | None = None,
) -> bool:
    """Renew a running job's lease (and record its progress); False when the job is no longer
    running (finished, or taken away), so that the worker can stop."""
    fields: dict[str, Any] = {"lease_expires_at": timezone.now() + lease}
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
    """End the job with a finished status (succeeded, rejected or failed), its errors and any
    other fields of the model; the lease is released. Returns the status."""
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
    type(job)._default_manager.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)
    return status
