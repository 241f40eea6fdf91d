"""Scheduled privacy jobs: thin adapters around one service, safe to run twice."""

from celery import shared_task

from .chain import checkpoint_write
from .services import retention_run


@shared_task(name="privacy.retention_anonymise_overdue")
def retention_anonymise_overdue() -> int:
    """Anonymise the dossiers whose retention period has ended (nightly, Celery beat)."""
    return retention_run()


@shared_task(name="privacy.processing_log_checkpoint")
def processing_log_checkpoint() -> str:
    """Write a signed checkpoint of the processing log's head outside the database (Celery
    beat); skipped when the head has not moved since the newest checkpoint."""
    path = checkpoint_write()
    return path.name if path else ""
