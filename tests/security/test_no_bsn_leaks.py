"""No BSN in URLs, logs, task arguments or error reports.

The log test captures every log record (root at DEBUG, so every logger that does not set its own
level, Celery's and Django's included) while a representative set of requests runs, Celery tasks
queued on commit run in-process, and then scans the records for any nine-digit string that passes
the 11-test.
"""

from __future__ import annotations

import inspect
import io
import logging
import re
import sys

import pytest
from celery import current_app
from celery.signals import task_prerun
from django.test import Client, RequestFactory
from django.urls import get_resolver, path, reverse
from django.views.debug import ExceptionReporter

from common.bsn import generate_fake_bsn, is_valid_bsn
from tests import factories
from tests.api.test_import import bsns as import_bsns
from tests.api.test_import import row as import_row
from tests.api.test_import import to_csv
from tests.security.conftest import url_routes

NINE = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")


def bsns_in(text: str) -> list[str]:
    return [m.group() for m in NINE.finditer(text) if is_valid_bsn(m.group())]


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.name, record.getMessage(), repr(record.args)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    extras = {
        k: v
        for k, v in vars(record).items()
        if k not in logging.LogRecord("", 0, "", 0, "", (), None).__dict__ and k != "request"
    }
    parts.append(repr(extras))
    return "\n".join(parts)


# --- a view that fails, for the 500 path ---------------------------------------------------------


def _boom(request):
    bsn = request.POST.get("bsn", "")  # a local that holds the BSN when the error happens
    raise RuntimeError(f"kapot na {len(bsn)} tekens")


urlpatterns = [path("test-boom/", _boom), *get_resolver("config.urls").url_patterns]


@pytest.fixture
def eager_tasks():
    """Run tasks queued on commit in-process and record their arguments."""
    seen: list[tuple[str, tuple, dict]] = []

    def record(sender=None, task_id=None, task=None, args=None, kwargs=None, **_):
        seen.append((task.name, tuple(args or ()), dict(kwargs or {})))

    old = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)
    current_app.conf.task_always_eager = old


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_no_bsn_in_logs_urls_or_task_arguments(
    caplog, eager_tasks, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    for name in ("celery", "celery.task", "celery.app.trace", "gunicorn.error", "gunicorn.access"):
        caplog.set_level(logging.DEBUG, logger=name)

    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team)
    resident = factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )
    factories.BenefitFactory(applicant=resident)
    import random

    new_bsn = generate_fake_bsn(random.Random(6))
    client = Client(raise_request_exception=False)
    client.force_login(consulent)
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        # search by BSN (found, not found, invalid)
        responses.append(client.post(reverse("caseload:worklist"), {"bsn-bsn": resident.bsn}))
        responses.append(client.post(reverse("caseload:worklist"), {"bsn-bsn": new_bsn}))
        responses.append(client.post(reverse("caseload:worklist"), {"bsn-bsn": "123456789"}))
        # dossier, and showing the full BSN on it
        dossier = reverse("caseload:dossier", args=[resident.pk])
        responses.append(client.get(dossier))
        responses.append(client.post(dossier, {"toon_bsn": "1"}))
        # API: search, register a resident with a BSN, a duplicate and an invalid BSN
        api = "/api/v1/caseload/residents/"
        responses.append(
            client.post(f"{api}search/", {"bsn": resident.bsn}, content_type="application/json")
        )
        payload = {
            "bsn": new_bsn,
            "first_name": "Sanne",
            "last_name": "de Vries",
            "birth_date": "1990-02-03",
            "household": resident.household_id,
            "team": team.pk,
        }
        created = client.post(api, payload, content_type="application/json")
        assert created.status_code == 201, created.content
        responses.append(created)
        duplicate = client.post(api, payload, content_type="application/json")
        assert duplicate.status_code == 400
        responses.append(duplicate)
        invalid = client.post(api, {**payload, "bsn": "123456780"}, content_type="application/json")
        assert invalid.status_code == 400
        responses.append(invalid)
        responses.append(client.get(f"{api}{created.json()['id']}/"))
        # an unexpected error with a BSN in the request
        boom = client.post("/test-boom/", {"bsn": resident.bsn})
        assert boom.status_code == 500
        # a 404 for a resident id (the URL carries the id, never the BSN)
        responses.append(client.get(reverse("caseload:dossier", args=[999999])))
        # bulk import of a file full of BSNs (runs as a Celery task), and one with a bad row
        beheer = Client()
        beheer.force_login(factories.UserFactory(beheer=True))
        for rows in (
            [import_row(team, b) for b in import_bsns(3, seed=11)],
            [import_row(team, import_bsns(1, seed=12)[0]), import_row(team, "123456780")],
        ):
            upload = io.BytesIO(to_csv(rows))
            upload.name = "export.csv"
            responses.append(
                beheer.post(
                    "/beheer/import/",
                    {"municipality": team.municipality.pk, "file": upload},
                )
            )

    from apiauth.models import ImportJob

    assert sorted(ImportJob.objects.values_list("status", flat=True)) == sorted(
        [ImportJob.Status.SUCCEEDED, ImportJob.Status.REJECTED]
    )
    # URLs (redirects, pagination links) carry ids, never the BSN
    for response in responses:
        assert bsns_in(response.get("Location", "")) == []
    assert any(r.get("Location", "").endswith(f"/inwoners/{resident.pk}/") for r in responses)

    records = caplog.records
    assert any(r.name == "django.request" and r.levelno >= logging.ERROR for r in records), (
        "the 500 was logged"
    )
    leaks = [
        (r.name, r.levelname, bsns_in(_record_text(r))) for r in records if bsns_in(_record_text(r))
    ]
    assert leaks == []
    text = caplog.text
    for bsn in (resident.bsn, new_bsn, *import_bsns(3, seed=11), *import_bsns(1, seed=12)):
        assert bsn not in text
    assert bsns_in(text) == []

    # tasks that ran got ids, not BSNs
    assert "apiauth.caseload_import_job_run" in {name for name, _, _ in eager_tasks}
    for name, args, kwargs in eager_tasks:
        assert bsns_in(repr(args) + repr(kwargs)) == [], name


def test_sql_is_not_logged_even_at_debug(caplog, settings, db):
    """django.db.backends logs SQL with parameters at DEBUG (with DEBUG on): kept at INFO."""
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    resident = factories.ResidentFactory()
    from django.db import connection

    connection.force_debug_cursor = True
    try:
        list(type(resident).objects.filter(bsn=resident.bsn))
    finally:
        connection.force_debug_cursor = False
    assert not [r for r in caplog.records if r.name.startswith("django.db.backends")]
    assert resident.bsn not in caplog.text


def test_no_url_pattern_takes_a_bsn():
    routes = url_routes(unnamed=True)
    assert len(routes) > 30
    for route in routes:
        assert "bsn" not in route.pattern.lower(), route.pattern
        assert not any("bsn" in arg.lower() for arg in route.args), route.pattern


def test_no_celery_task_takes_a_bsn():
    from django.apps import apps

    import config.celery  # noqa: F401 - registers the project's tasks

    current_app.loader.import_default_modules()
    for app_config in apps.get_app_configs():
        try:
            __import__(f"{app_config.name}.tasks")
        except ModuleNotFoundError:
            continue
    ours = {
        name: task
        for name, task in current_app.tasks.items()
        if name.split(".")[0] in {c.label for c in apps.get_app_configs()}
    }
    assert len(ours) >= 5
    for name, task in ours.items():
        params = inspect.signature(task.run).parameters
        assert not [p for p in params if "bsn" in p.lower()], name


def test_error_report_masks_bsns():
    bsn = generate_fake_bsn(__import__("random").Random(9))
    request = RequestFactory().post("/caseload/", {"bsn-bsn": bsn, "note": f"zie {bsn}"})
    request.user = None

    def failing(value):
        local_copy = {"bsn": value}  # noqa: F841 - shown in the report's frame variables
        raise ValueError("zoekactie mislukt")

    try:
        failing(bsn)
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    assert "zoekactie mislukt" in text
    assert bsn not in text and bsn not in html
    assert bsns_in(text) == []
