"""Every periodic job in the beat schedule names a task the worker actually has, and the
schedule has one source (config/schedule.py)."""

from django.conf import settings

from config.celery import app
from config.schedule import CHECKPOINT_ENTRY, RETENTION_ENTRY, beat_schedule


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()


def test_indicators_are_recomputed_nightly_and_the_current_periods_often():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "indicators.recompute_all" in tasks
    assert tasks["indicators.recompute_current"] <= 10 * 60


def test_point_10_the_beat_schedule_has_one_source():
    """Issue 16, point 10: the schedule was split over the settings, ``indicators/schedule.py``
    and ``PrivacyConfig.ready`` (which added the retention run to the Celery app only, so the
    settings did not show it). Now the settings, the Celery app beat reads and
    ``config/schedule.py`` hold the same entries, every one of them."""
    app.loader.import_default_modules()
    expected = beat_schedule(
        processing_log_checkpoint_minutes=settings.PROCESSING_LOG_CHECKPOINT_MINUTES
    )
    assert expected == settings.CELERY_BEAT_SCHEDULE
    assert dict(app.conf.beat_schedule) == expected
    assert set(expected) >= {
        "outflow-durability-nightly",
        "budget-payment-totals-current",
        "budget-payment-totals-nightly",
        "indicators-recompute-nightly",
        "indicators-recompute-current",
        "idempotency-keys-purge-daily",
        CHECKPOINT_ENTRY,
        RETENTION_ENTRY,
    }
    assert expected[CHECKPOINT_ENTRY]["task"] == "privacy.processing_log_checkpoint"
    assert expected[RETENTION_ENTRY]["task"] == "privacy.retention_anonymise_overdue"


def test_the_checkpoint_interval_comes_from_its_setting():
    schedule = beat_schedule(processing_log_checkpoint_minutes=7)
    assert schedule[CHECKPOINT_ENTRY]["schedule"] == 7 * 60


def test_beat_entries_pass_no_personal_data():
    """Only flags as arguments: no resident, no BSN in a task's arguments."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert not entry.get("args")
        assert set(entry.get("kwargs", {})) <= {"current_year_only"}
