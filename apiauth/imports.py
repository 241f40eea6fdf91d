"""Running a caseload import job: progress in Redis while it runs, the outcome on the job row.

Progress cannot be written to the job row while the import's transaction is open (other
connections would not see it until the commit), so it goes to the cache, which the status page
polls; the final state is saved on the row.
"""

from __future__ import annotations

from django.core.cache import cache

from caseload.importers import caseload_import
from common.jobs import job_claim, job_finish

from .models import ImportJob

PROGRESS_TTL = 24 * 60 * 60


def progress_key(job_id: int) -> str:
    return f"apiauth:import-progress:{job_id}"


def import_progress(*, job: ImportJob) -> dict:
    """{'phase', 'done', 'total'} while running, from the cache; else from the row."""
    if job.is_finished:
        return {
            "phase": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
        }
    return cache.get(progress_key(job.pk)) or {"phase": "wachtrij", "done": 0, "total": 0}


def import_job_run(*, job_id: int) -> str:
    # a job left "running" by a crashed worker runs again: the import is all-or-nothing
    job = job_claim(
        ImportJob, job_id, from_statuses=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    )
    if job is None:  # gone, finished, or another worker is claiming it right now
        return "skipped"
    content = bytes(job.content or b"")

    def progress(phase: str, done: int, total: int) -> None:
        cache.set(
            progress_key(job.pk), {"phase": phase, "done": done, "total": total}, PROGRESS_TTL
        )

    try:
        result = caseload_import(
            content=content,
            filename=job.filename,
            municipality=job.municipality,
            by=job.created_by,
            progress=progress,
        )
    except Exception:
        # a crash is an end state too: nothing was imported, and the upload (BSNs) goes
        job_finish(
            job,
            ImportJob.Status.FAILED,
            errors=[
                {"line": 0, "column": None, "message": "Technische fout; er is niets ingelezen."}
            ],
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
