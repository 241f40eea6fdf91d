"""Scheduled privacy jobs: thin adapters around one service, safe to run twice."""

from celery import shared_task

from .services import retention_run


@shared_task(name="privacy.retention_anonymise_overdue")
def retention_anonymise_overdue() -> int:
    """Anonymise the dossiers whose retention period has ended (nightly, Celery beat)."""
    return retention_run()
