"""Shared setup for the budget benchmarks: a throwaway database (never the dev database)."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def setup(name: str):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    # Tasks run inline: nothing from a benchmark reaches the shared broker or a running worker.
    from config.celery import app

    app.conf.task_always_eager = True
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection


def teardown(connection, name: str) -> None:
    connection.creation.destroy_test_db(name, verbosity=0)


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start
    print(f"{label}: {results[label]:.2f} s", flush=True)
