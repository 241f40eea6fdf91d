"""Running a caseload import job: progress in Redis while it runs, the outcome on the job row.

Progress cannot be written to the job row while the import's transaction is open (other
connections would not see it until the commit), so it goes to the cache, which the status page
polls; the final state is saved on the row.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from caseload.importers import caseload_import

from .models import ImportJob

PROGRESS_TTL = 24 * 60 * 60


def progress_key(job_id: int) -> str:
    return f"apiauth:import-progress:{job_id}"


def import_progress(*, job: ImportJob) -> dict:
    """{'phase', 'done', 'total'} while running, from the cache; else from the row."""
    if job.is_finished:
        return {
            "phase": job.get_status_display(),
            "done": job.processed_rows,
            "total": job.total_rows,
        }
    return cache.get(progress_key(job.pk)) or {"phase": "wachtrij", "done": 0, "total": 0}


def import_job_run(*, job_id: int) -> str:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        # a job left "running" by a crashed worker runs again: the import is all-or-nothing
        if job is None or job.is_finished:
            return "skipped"
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])
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
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            processed_rows=0,
            errors=[
                {"line": 0, "column": None, "message": "Technische fout; er is niets ingelezen."}
            ],
            content=None,
            finished_at=timezone.now(),
        )
        cache.delete(progress_key(job.pk))
        raise
    job.status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
    job.total_rows = result.total_rows
    job.processed_rows = result.total_rows if result.ok else 0
    job.summary = result.counts
    job.errors = [e.as_dict() for e in result.errors]
    job.content = None  # the upload holds BSNs: keep it no longer than needed
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "total_rows",
            "processed_rows",
            "summary",
            "errors",
            "content",
            "finished_at",
        ]
    )
    cache.delete(progress_key(job.pk))
    return job.status
