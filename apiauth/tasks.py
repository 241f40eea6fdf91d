"""Celery tasks: take ids, call one job body, safe to run twice. The bodies live one layer down
(``imports``, ``idempotency``), so the services may queue these tasks without an import cycle."""

from celery import shared_task

from . import imports
from .idempotency import idempotency_keys_purge


@shared_task(name="apiauth.caseload_import_job_run")
def caseload_import_job_run(job_id: int) -> str:
    """Run a queued caseload import; a job that already ran is left alone."""
    return imports.import_job_run(job_id=job_id)


@shared_task(name="apiauth.idempotency_keys_purge")
def idempotency_keys_purge_task() -> int:
    """Schedule daily (django-celery-beat): forget idempotency keys older than a day."""
    return idempotency_keys_purge()
