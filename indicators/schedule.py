"""Celery beat entries for the indicator engine: the nightly full recompute and the current
periods every five minutes. Merged into ``CELERY_BEAT_SCHEDULE`` in ``config/settings/base.py``."""

from celery.schedules import crontab

INDICATOR_BEAT_SCHEDULE = {
    "indicators-recompute-nightly": {
        "task": "indicators.recompute_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "indicators-recompute-current": {
        "task": "indicators.recompute_current",
        "schedule": 5 * 60,
    },
}
