"""The beat schedule: every periodic job of the installation, in one place (issue 16, point 10).

``config/settings/base.py`` sets ``CELERY_BEAT_SCHEDULE`` from :func:`beat_schedule`; nothing
else adds entries (no app's ``ready()``, no data migration). Celery beat runs with
django-celery-beat's database scheduler, which copies these entries into its tables on start;
an administrator may pause or reschedule them in the admin, and the next start restores the
entry from here. Each entry names a registered task by its ``name=`` (a test checks that every
one resolves to a task the worker has) and passes only ids or flags, never personal data.

This module names tasks as strings and imports no app, so settings can import it.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

DAY = 24 * 60 * 60
#: the running periods are refreshed this often (seconds)
CURRENT_PERIODS_EVERY = 5 * 60
#: beat drains the indicators' recompute outbox this often (seconds), the safety net for lost
#: wake-ups (docs/architecture.md, "From a case change to a figure")
OUTBOX_DRAIN_EVERY = 60

#: the recompute outbox drain's entry name
OUTBOX_DRAIN_ENTRY = "indicators-drain-recompute-outbox"

#: interrupted jobs (lease run out) are ended this often (seconds)
JOBS_EXPIRE_EVERY = 60
#: the interrupted-jobs sweep's entry name
JOBS_EXPIRE_ENTRY = "jobs-expire-interrupted"

#: expired sessions are deleted this often (seconds): a session may hold an unfinished
#: registration's BSN and BRP answer (common.tasks.sessions_clear)
SESSIONS_CLEAR_EVERY = 15 * 60

#: the retention run's entry name (docs/privacy.md)
RETENTION_ENTRY = "privacy-retention-nightly"
#: the processing-log checkpoint's entry name (docs/privacy.md, PROCESSING_LOG_CHECKPOINT_MINUTES)
CHECKPOINT_ENTRY = "privacy-processing-log-checkpoint"


def beat_schedule(*, processing_log_checkpoint_minutes: int) -> dict[str, dict[str, Any]]:
    """Every beat entry, by entry name."""
    return {
        # caseload
        "outflow-durability-nightly": {
            "task": "caseload.outflow_durability_refresh",
            "schedule": DAY,
        },
        # budget: payment totals of the current year often, every year nightly
        "budget-payment-totals-current": {
            "task": "budget.payment_totals_refresh",
            "schedule": CURRENT_PERIODS_EVERY,
            "kwargs": {"current_year_only": True},
        },
        "budget-payment-totals-nightly": {
            "task": "budget.payment_totals_refresh",
            "schedule": crontab(hour=2, minute=15),
        },
        # indicators: the full recompute nightly, the running month/quarter/year often
        "indicators-recompute-nightly": {
            "task": "indicators.recompute_all",
            "schedule": crontab(hour=2, minute=30),
        },
        "indicators-recompute-current": {
            "task": "indicators.recompute_current",
            "schedule": CURRENT_PERIODS_EVERY,
        },
        # the recompute outbox (issue 13, finding 1): every case change committed is drained
        # within a minute even when its Redis wake-up was lost
        OUTBOX_DRAIN_ENTRY: {
            "task": "indicators.drain_recompute_outbox",
            "schedule": OUTBOX_DRAIN_EVERY,
        },
        # jobs (imports, reports): one left running by a dead worker ends failed, upload
        # deleted, once its lease has run out (issue 13, finding 5; common/jobs.py)
        JOBS_EXPIRE_ENTRY: {
            "task": "common.jobs_expire",
            "schedule": JOBS_EXPIRE_EVERY,
        },
        # expired sessions, with an abandoned registration's BSN and BRP answer in them
        "sessions-clear-expired": {
            "task": "common.sessions_clear",
            "schedule": SESSIONS_CLEAR_EVERY,
        },
        # matching (issue 18): the region's candidate facts every 15 minutes (the safety net
        # for a lost debounced refresh after a case change), and nightly the facts and then
        # the stored scores of every open vacancy, after the indicators' recompute
        "matching-candidate-facts-refresh": {
            "task": "matching.candidate_facts_refresh",
            "schedule": 15 * 60,
        },
        "matching-nightly-refresh": {
            "task": "matching.nightly_refresh",
            "schedule": crontab(hour=2, minute=50),
        },
        # apiauth
        "idempotency-keys-purge-daily": {
            "task": "apiauth.idempotency_keys_purge",
            "schedule": DAY,
        },
        "form-submissions-purge-daily": {
            "task": "common.form_submissions_purge",
            "schedule": DAY,
        },
        # privacy: signed checkpoints of the processing log, and the nightly retention run
        CHECKPOINT_ENTRY: {
            "task": "privacy.processing_log_checkpoint",
            "schedule": processing_log_checkpoint_minutes * 60,
        },
        RETENTION_ENTRY: {
            "task": "privacy.retention_anonymise_overdue",
            "schedule": crontab(hour=3, minute=15),
        },
    }
