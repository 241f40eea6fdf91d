"""Celery beat entries for the indicator engine. The lead adds these to
``CELERY_BEAT_SCHEDULE`` in ``config/settings/base.py`` (apps do not edit settings)::

    from indicators.schedule import INDICATOR_BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE.update(INDICATOR_BEAT_SCHEDULE)
"""

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
