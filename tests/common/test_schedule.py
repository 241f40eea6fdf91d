"""Every periodic job in the beat schedule names a task the worker actually has."""

from django.conf import settings

from config.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()


def test_indicators_are_recomputed_nightly_and_the_current_periods_often():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "indicators.recompute_all" in tasks
    assert tasks["indicators.recompute_current"] <= 10 * 60
