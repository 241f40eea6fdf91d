"""What `make run` shows a new user (the walk of 3 December): the product's Dutch error pages,
not Django's debug page that lists every URL pattern; and a log in which the expected refusals
(403, 404) are one line each instead of a traceback that buries the real errors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from common.logging import BsnMaskingFilter, RefusalWithoutTracebackFilter

ROOT = Path(__file__).resolve().parents[2]


def _dev_setting(expression: str, **env: str) -> str:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        # set URLs keep the embedded servers from starting (nothing connects)
        DATABASE_URL="postgres://unused/unused",
        REDIS_URL="redis://unused:6379/0",
        **env,
    )
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_run_serves_without_debug_pages_unless_asked():
    assert _dev_setting("(settings.DEBUG, settings.WHITENOISE_USE_FINDERS)") == "(False, True)"
    assert _dev_setting("settings.DEBUG", DJANGO_DEBUG="1") == "True"


def test_make_run_starts_whitenoise_without_the_missing_static_root_warning(
    settings, tmp_path, monkeypatch
):
    """Walk-through finding: the web process logged "No directory at: .../staticfiles/"."""
    import warnings

    from whitenoise.middleware import WhiteNoiseMiddleware

    from common import devserver

    assert devserver.STATIC_ROOT == settings.STATIC_ROOT  # the directory the settings name
    monkeypatch.setattr(devserver, "STATIC_ROOT", tmp_path / "staticfiles")
    settings.STATIC_ROOT = devserver.STATIC_ROOT
    settings.WHITENOISE_USE_FINDERS = True
    devserver.static_root_create()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WhiteNoiseMiddleware(lambda request: None)


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Forbidden: %s",
            ("/x/",),
            sys.exc_info(),
        )
    record.status_code = status
    return record


def test_an_expected_refusal_is_one_line_and_an_error_keeps_its_traceback():
    handler_filters = [RefusalWithoutTracebackFilter(), BsnMaskingFilter()]
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    lines = {}
    for status in (403, 404, 500):
        record = _record(status)
        assert all(f.filter(record) for f in handler_filters)  # never drops a record
        lines[status] = formatter.format(record)
    assert lines[403] == "WARNING django.request Forbidden: /x/"
    assert "Traceback" not in lines[404]
    assert "Traceback" in lines[500] and "PermissionError: refused" in lines[500]
