"""Running a caseload import job: progress in Redis while it runs, the outcome on the job row.

Progress cannot be written to the job row while the import's transaction is open (other
connections would not see it until the commit), so it goes to the cache, which the status page
polls; the final state is saved on the row.
"""

from __future__ import annotations

import contextlib

from django.core.cache import cache
from django.utils import timezone

from caseload.importers import caseload_import
from caseload.templatetags.caseload_tags import dmy
from common.dependencies import redis_optional
from common.jobs import JobLost, job_claim, job_finish, job_lease_kept, jobs_expire

from .models import ImportJob

PROGRESS_TTL = 24 * 60 * 60


def progress_key(job_id: int) -> str:
    return f"apiauth:import-progress:{job_id}"


def import_progress(*, job: ImportJob) -> dict:
    """{'phase', 'done', 'total'} while running, from the cache; else from the row. A job
    looked at whose worker died (lease run out) is ended failed first (issue 13, finding 5)."""
    if not job.is_finished and jobs_expire(ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db(fields=["status", "errors", "progress_done", "progress_total"])
        _progress_clear(job.pk)
    if job.is_finished:
        return {
            "phase": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
        }
    if job.status == ImportJob.Status.QUEUED:
        return {"phase": "wachtrij", "done": 0, "total": 0}
    # progress is shown, not kept: without Redis the page shows the job row's (the fault run
    # of 3 December: the status page answered 503)
    progress = None
    with redis_optional("import progress"):
        progress = cache.get(progress_key(job.pk))
    return progress or {"phase": "bezig", "done": job.progress_done, "total": job.progress_total}


def _progress_clear(job_id: int) -> None:
    with redis_optional("import progress"):
        cache.delete(progress_key(job_id))


def _newer_import(job: ImportJob) -> ImportJob | None:
    """A file of the same municipality offered after this one and already read in. Running
    this older one would overwrite what the newer one corrected (the fault run of 3 December:
    a file uploaded while the broker was down ran minutes later, after its corrected version)."""
    return (
        ImportJob.objects.filter(
            municipality_id=job.municipality_id,
            created_at__gt=job.created_at,
            status=ImportJob.Status.SUCCEEDED,
        )
        .order_by("created_at")
        .first()
    )


def import_job_run(*, job_id: int) -> str:
    # a job left "running" by a crashed worker (its lease ran out) runs again when its task is
    # delivered again, unless the sweep ended it failed first: the import is all-or-nothing
    job = job_claim(ImportJob, job_id, reclaim_expired=True)
    if job is None:  # gone, finished, or another worker is claiming it right now
        return "skipped"
    if newer := _newer_import(job):
        when = timezone.localtime(newer.created_at)
        offered = f"{dmy(when.date())} {when:%H:%M}"
        return job_finish(
            job,
            ImportJob.Status.REJECTED,
            errors=[
                ImportJob.job_error(
                    f"Niet ingelezen: het bestand {newer.filename} (import {newer.pk}, "
                    f"aangeboden {offered}) is later aangeboden en al ingelezen; "
                    "dit oudere bestand zou die gegevens overschrijven. Bied het opnieuw aan "
                    "als het toch nodig is."
                )
            ],
            progress_done=0,
            content=None,
        )
    content = bytes(job.content or b"")

    def progress(phase: str, done: int, total: int) -> None:
        # a Redis blip must not fail the import (the fault run of 3 December)
        with redis_optional("import progress"):
            cache.set(
                progress_key(job.pk), {"phase": phase, "done": done, "total": total}, PROGRESS_TTL
            )

    try:
        # the import holds one transaction: the lease is renewed from a connection of its own
        with job_lease_kept(job):
            result = caseload_import(
                content=content,
                filename=job.filename,
                municipality=job.municipality,
                by=job.created_by,
                progress=progress,
            )
    except Exception:
        # a crash is an end state too: nothing was imported, and the upload (BSNs) goes
        with contextlib.suppress(JobLost):  # already ended (interrupted): that end stands
            job_finish(
                job,
                ImportJob.Status.FAILED,
                errors=[ImportJob.job_error("Technische fout; er is niets ingelezen.")],
                progress_done=0,
                content=None,
            )
        _progress_clear(job.pk)
        raise
    # refused rows: rejected (nothing imported); the upload holds BSNs: kept no longer
    job_finish(
        job,
        ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.REJECTED,
        errors=[e.as_dict() for e in result.errors],
        progress_total=result.total_rows,
        progress_done=result.total_rows if result.ok else 0,
        summary=result.counts,
        content=None,
    )
    _progress_clear(job.pk)
    return job.status
