"""Review of 4 December: the Celery worker's log and the payments upload API.

Finding 2: a Celery worker replaced the root logger's handlers with its own (no ``setup_logging``
receiver, ``worker_hijack_root_logger`` on), so the BSN mask of ``settings.LOGGING``
(``common.logging.BsnMaskingFilter``) was gone from its log: a task failure naming a BSN (a
unique violation's DETAIL in a caseload or payments import) was written as is. Now
``config.celery`` configures the worker's logging from ``settings.LOGGING``. Proven in process
(the worker's own logging set-up, as a fresh worker runs it) and with a real worker
(``bin/entrypoint worker`` on a Redis of its own) whose tasks fail with a BSN in the error.

Finding 3: ``POST /api/v1/budget/betalingen/imports/`` read and stored a file of any size; the
page's ``TableFileField`` refuses one over ``TABULAR_IMPORT_MAX_BYTES``. Now the API runs the same
check (``common.forms.check_table_upload``) and answers the page's message as a 400 on ``file``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.log import configure_logging
from rest_framework.test import APIClient

from budget.models import PaymentImport
from caseload.models import Role
from tests import factories

BSN = "123456782"  # passes the 11-test
UPLOAD_URL = "/api/v1/budget/betalingen/imports/"
HEADER = "bsn;regeling;maand;bruto;verrekende_inkomsten;netto\n"


# --- finding 2: the worker's log ---------------------------------------------------------------


@pytest.fixture
def fresh_worker_logging(settings):
    """Celery's logging set-up runs once per process: make it run again as in a fresh worker,
    and put this process's logging back as Django configured it afterwards."""
    from celery.app import log as celery_log

    was_setup = celery_log.Logging._setup
    celery_log.Logging._setup = False
    try:
        yield
    finally:
        celery_log.Logging._setup = was_setup
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_worker_logging_set_up_keeps_the_bsn_mask(fresh_worker_logging, capfd):
    from celery.utils.log import get_task_logger

    from common.logging import BsnMaskingFilter
    from config.celery import app

    app.log.setup_logging_subsystem(loglevel=logging.INFO, colorize=False)

    root = logging.getLogger()
    assert root.handlers
    for handler in root.handlers:
        assert any(isinstance(f, BsnMaskingFilter) for f in handler.filters), handler
    try:
        raise RuntimeError(
            'duplicate key value violates unique constraint "caseload_resident_bsn_key"\n'
            f"DETAIL:  Key (bsn)=({BSN}) already exists."
        )
    except RuntimeError:
        logging.getLogger("celery.app.trace").error(
            "Task apiauth.caseload_import_job_run[x] raised unexpected", exc_info=True
        )
    # a task's own logger (celery.task.*) and a task's print (redirected stdout)
    get_task_logger("budget.tasks").error("Betaling van %s afgewezen", BSN)
    logging.getLogger("celery.redirected").warning(f"regel 3: {BSN}")

    out, err = capfd.readouterr()
    output = out + err
    assert "Key (bsn)=(*********) already exists." in output, output[-2000:]
    assert "Betaling van ********* afgewezen" in output
    assert "regel 3: *********" in output
    assert BSN not in output, output[-2000:]


def test_celery_does_not_hijack_the_root_logger():
    from config.celery import app

    assert app.conf.worker_hijack_root_logger is False


def test_worker_stdout_and_stderr_go_through_the_masked_log(fresh_worker_logging, capfd):
    """With a setup_logging receiver Celery does not redirect the worker's stdout/stderr itself;
    config.celery does (celeryd_after_setup), so a task's print passes the mask too."""
    import sys
    from types import SimpleNamespace

    from celery.signals import celeryd_after_setup

    from config.celery import app

    app.log.setup_logging_subsystem(loglevel=logging.INFO, colorize=False)
    stdout, stderr = sys.stdout, sys.stderr
    worker = SimpleNamespace(app=app, redirect_stdouts=True, redirect_stdouts_level="WARNING")
    try:
        celeryd_after_setup.send(sender="celery@test", instance=worker, conf=app.conf)
        print(f"resident {BSN} not found")
        sys.stdout.flush()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    out, err = capfd.readouterr()
    assert "celery.redirected resident ********* not found" in out + err, out + err
    assert BSN not in out + err


def test_handlers_celery_installs_itself_get_the_mask():
    """Second line of defence: the after_setup_(task_)logger receivers mask any handler Celery
    installs should it ever configure its loggers itself."""
    from celery.signals import after_setup_logger, after_setup_task_logger

    from common.logging import BsnMaskingFilter

    for signal in (after_setup_logger, after_setup_task_logger):
        logger = logging.getLogger(f"review4.{signal.name}")
        handler = logging.StreamHandler()
        logger.addHandler(handler)
        try:
            signal.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None)
            assert any(isinstance(f, BsnMaskingFilter) for f in handler.filters)
        finally:
            logger.removeHandler(handler)


@pytest.mark.slow
def test_real_worker_log_masks_a_bsn_in_a_failing_task(settings):
    """``bin/entrypoint worker`` (``celery -A config worker``, as in production) on a Redis of its
    own: a task that fails with a BSN in its error (``celery.map`` of a task name that is a BSN:
    "raised unexpected: NotRegistered('123456782')" and its traceback) and a message of an
    unknown task with a BSN among its arguments (Celery logs the whole message body) leave only
    masked BSNs in the worker's log. The tasks touch no database."""
    from celery import Celery

    from tests.faults.stack import AppProcess, Redis, app_environment

    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    workdir = Path(tempfile.mkdtemp(prefix="review4-worker-", dir="/tmp"))
    redis = Redis(workdir, appendonly=False)
    redis.start()
    worker = None
    client = Celery(broker=f"{redis.url}/0", backend=f"{redis.url}/1", set_as_current=False)
    try:
        env = app_environment(
            database_url=database_url, redis_url=redis.url, CELERY_CONCURRENCY="1"
        )
        worker = AppProcess("worker", env=env, log=workdir / "worker.log").start(timeout=30)

        failing = client.send_task(
            "celery.map",
            args=[{"task": BSN, "args": [], "kwargs": {}, "options": {}}, [1]],
        )
        client.send_task("review4.unknown_task", args=[BSN])
        with pytest.raises(KeyError, match=BSN):  # celery.exceptions.NotRegistered
            failing.get(timeout=15, propagate=True)
        worker.wait_output(r"raised unexpected", timeout=15)
        worker.wait_output(r"unregistered task", timeout=15)
        output = worker.output()
    finally:
        client.close()
        if worker is not None:
            worker.kill()
        redis.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    assert "raised unexpected: Task of kind '*********' never registered" in output, output[-3000:]
    assert "NotRegistered: '*********'" in output  # the traceback
    assert "'argsrepr': \"['*********']\"" in output  # the unknown task's message
    assert BSN not in output, output[-3000:]


# --- finding 3: the payments upload API --------------------------------------------------------


@pytest.fixture
def finance_api(db):
    municipality = factories.MunicipalityFactory()
    user = factories.UserFactory(role=Role.FINANCE, team=None)
    user.municipality = municipality
    user.save(update_fields=["municipality"])
    api = APIClient()
    api.force_login(user)
    return api


def _post(api, upload, capture):
    with capture(execute=False):
        return api.post(UPLOAD_URL, {"file": upload}, format="multipart")


def test_payments_upload_over_the_limit_is_refused_and_stores_nothing(
    finance_api, settings, django_capture_on_commit_callbacks
):
    settings.TABULAR_IMPORT_MAX_BYTES = 10_000
    big = (HEADER + f"{BSN};P;2026-01;1;0;1\n" * 1000).encode()
    assert len(big) > 10_000

    response = _post(
        finance_api, SimpleUploadedFile("betalingen.csv", big), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400, response.content
    assert response.json() == {
        "errors": [
            {
                "code": "too_large",
                # the page's message (common.forms.TableFileField)
                "message": "Het bestand is groter dan 0.00953674 MB; splits het in kleinere "
                "bestanden.",
                "field": "file",
            }
        ]
    }
    assert not PaymentImport.objects.exists()


def test_payments_upload_gives_the_same_message_as_the_page(settings):
    from django.core.exceptions import ValidationError

    from budget.api import PaymentUploadSerializer
    from budget.forms import PaymentUploadForm

    settings.TABULAR_IMPORT_MAX_BYTES = 1024 * 1024
    content = b"x" * (1024 * 1024 + 1)
    form = PaymentUploadForm(files={"file": SimpleUploadedFile("b.csv", content)})
    assert not form.is_valid()
    serializer = PaymentUploadSerializer(data={"file": SimpleUploadedFile("b.csv", content)})
    assert not serializer.is_valid()
    assert [str(m) for m in serializer.errors["file"]] == form.errors["file"]
    assert serializer.errors["file"][0].code == "too_large"
    assert form.errors["file"] == [
        "Het bestand is groter dan 1 MB; splits het in kleinere bestanden."
    ]
    with pytest.raises(ValidationError):  # the shared check itself
        from common.forms import check_table_upload

        check_table_upload(SimpleUploadedFile("b.csv", content))


def test_payments_upload_with_a_wrong_name_is_refused(
    finance_api, django_capture_on_commit_callbacks
):
    response = _post(
        finance_api,
        SimpleUploadedFile("betalingen.exe", (HEADER + f"{BSN};P;2026-01;1;0;1\n").encode()),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "extension", "message": "Alleen CSV- of XLSX-bestanden.", "field": "file"}
    ]
    assert not PaymentImport.objects.exists()


def test_payments_upload_within_the_limit_is_queued(
    finance_api, settings, django_capture_on_commit_callbacks
):
    settings.TABULAR_IMPORT_MAX_BYTES = 10_000
    good = (HEADER + f"{BSN};P;2026-01;100,00;0,00;100,00\n").encode()

    response = _post(
        finance_api, SimpleUploadedFile("betalingen.csv", good), django_capture_on_commit_callbacks
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "queued"
    assert PaymentImport.objects.count() == 1
