"""Running a caseload import job: progress in Redis while it runs, the outcome on the job row.

Progress cannot be written to the job row while the import's transaction is open (other
connections would not see it until the commit), so it goes to the cache, which the status page
polls; the final state is saved on the row.
"""

from __future__ import annotations

import contextlib

from django.core.cache import cache

from caseload.importers import caseload_import
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
        cache.delete(progress_key(job.pk))
    if job.is_finished:
        return {
            "phase": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
        }
    return cache.get(progress_key(job.pk)) or {"phase": "wachtrij", "done": 0, "total": 0}


def import_job_run(*, job_id: int) -> str:
    # a job left "running" by a crashed worker (its lease ran out) runs again when its task is
    # delivered again, unless the sweep ended it failed first: the import is all-or-nothing
    job = job_claim(ImportJob, job_id, reclaim_expired=True)
    if job is None:  # gone, finished, or another worker is claiming it right now
        return "skipped"
    content = bytes(job.content or b"")

    def progress(phase: str, done: int, total: int) -> None:
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
        cache.delete(progress_key(job.pk))
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
    cache.delete(progress_key(job.pk))
    return job.status
