"""Issue 12, finding 11: no BSN in server logs.

* PostgreSQL logs an error without its statement and without DETAIL (a unique violation named
  the BSN, and the INSERT with name and birth date): provoked on the real embedded server.
* A query parameter that carries personal data is refused (400), on the API and on pages,
  instead of silently ignored (it stayed in the access log).
* What does reach a log line is masked: Django's handlers and gunicorn's access log replace
  every run of nine digits with ``*********``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config as GunicornConfig
from rest_framework.test import APIClient

from caseload.models import Resident
from common import embedded
from common.logging import BsnMaskingFilter, GunicornLogger, mask_bsn_shaped
from tests import factories

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
BSN = "123456782"  # passes the 11-test
OTHER_BSN = "111222333"  # passes the 11-test


# --- PostgreSQL's own log -----------------------------------------------------------------------


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")  # noqa: S608 - fixed names below
        return cursor.fetchone()[0]


def test_finding_11_postgres_log_settings_are_in_effect():
    """Issue 12, finding 11: the server the tests run on logs no statements and no DETAIL."""
    assert _show("log_min_error_statement") == "panic"
    assert _show("log_error_verbosity") == "terse"
    assert _show("log_statement") == "none"
    assert _show("log_min_duration_statement") == "-1"


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="an external server's log is not reachable"
)
def test_finding_11_unique_violation_on_a_bsn_leaves_no_personal_data_in_the_postgres_log(
    resident,
):
    """Issue 12, finding 11: a duplicate BSN made PostgreSQL log ``Key (bsn)=(...)`` and the
    whole INSERT (BSN, name, birth date). Provoked against the real embedded server, whose log
    file is then read."""
    log = embedded.postgres_log_path()
    assert log.exists(), log
    start = log.stat().st_size
    duplicate = factories.ResidentFactory.build(
        bsn=resident.bsn,
        household=resident.household,
        team=resident.team,
        first_name="Sentinelvoornaam",
        last_name="Sentinelachternaam",
        birth_date=dt.date(1971, 3, 14),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.bulk_create([duplicate])  # a plain INSERT, no model validation
    with log.open("rb") as fh:
        fh.seek(start)
        written = fh.read().decode("utf-8", "replace")
    assert "duplicate key value violates unique constraint" in written  # the log is this one
    for secret in (resident.bsn, "Sentinelvoornaam", "Sentinelachternaam", "1971-03-14"):
        assert secret not in written, written
    assert "DETAIL" not in written and "STATEMENT" not in written, written


def test_finding_11_embedded_settings_are_applied_to_an_existing_data_directory(tmp_path):
    """Issue 12, finding 11: the settings go in with ALTER SYSTEM (works on a running server and
    an old .local/pgdata); when postgresql.auto.conf already holds them nothing is run."""
    calls = []
    server = SimpleNamespace(psql=calls.append)
    embedded._postgres_log_settings(server, tmp_path)
    assert len(calls) == 1
    for name, value in embedded.POSTGRES_LOG_SETTINGS.items():
        assert f"ALTER SYSTEM SET {name} = '{value}';" in calls[0]
    assert "pg_reload_conf()" in calls[0]
    (tmp_path / "postgresql.auto.conf").write_text(
        "".join(f"{k} = '{v}'\n" for k, v in embedded.POSTGRES_LOG_SETTINGS.items())
    )
    embedded._postgres_log_settings(server, tmp_path)
    assert len(calls) == 1


def test_finding_11_compose_postgres_is_started_with_the_log_settings():
    """Issue 12, finding 11: the docker-compose PostgreSQL gets the same settings."""
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    command = compose["services"]["db"]["command"]
    assert command[0] == "postgres"
    for name, value in embedded.POSTGRES_LOG_SETTINGS.items():
        assert f"{name}={value}" in command, name


def test_finding_11_managed_server_settings_are_documented():
    """Issue 12, finding 11: docs/security.md tells the operator of a managed server."""
    text = (BASE_DIR / "docs" / "security.md").read_text()
    for name, value in embedded.POSTGRES_LOG_SETTINGS.items():
        assert f"{name} = {value}" in text, name


# --- personal data in a query string is refused -------------------------------------------------


def _api_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def assert_refused_json(response):
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("application/json")
    errors = json.loads(response.content)["errors"]
    assert errors[0]["code"] == "personal_data_in_query", errors
    assert BSN not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"bsn": BSN},
        {"bsn": "12"},
        {"burgerservicenummer": BSN},
        {"geboortedatum": "1985-06-15"},
        {"naam": "Jansen"},
        {"achternaam": "Jansen"},
        {"name": "Jansen"},
        {"zoek": BSN},
        {"ordering": "id", "x": f"Jansen {BSN}"},
        # the security assessment of 4 December: a cursor that is no cursor is a value like any
        {"cursor": BSN},
    ],
)
def test_finding_11_api_refuses_personal_data_in_the_query_string(consulent, resident, query):
    """Issue 12, finding 11: ``?bsn=`` was silently ignored (200 with every resident), so the
    BSN stayed in the access log with no sign to the client that it was wrong."""
    response = _api_client(consulent).get(reverse("caseload-api:resident-list"), query)
    assert_refused_json(response)


def test_finding_11_api_declared_parameters_still_work(consulent, resident):
    """Issue 12, finding 11: parameters the endpoint declares (``last_name`` is a filter of the
    residents list) are not refused, nor are ordinary ids."""
    client = _api_client(consulent)
    url = reverse("caseload-api:resident-list")
    assert client.get(url, {"last_name": resident.last_name[:3]}).status_code == 200
    assert client.get(url, {"team": resident.team_id}).status_code == 200
    assert client.get(url, {"page_size": 10}).status_code == 200


def test_finding_11_api_real_cursor_still_pages(consulent, resident):
    """The API's own next link (a base64 cursor) keeps working."""
    factories.ResidentFactory(
        team=resident.team, consulent=consulent, household__municipality=resident.municipality
    )
    client = _api_client(consulent)
    first = client.get(reverse("caseload-api:resident-list"), {"page_size": 1})
    assert first.status_code == 200
    following = json.loads(first.content)["next"]
    assert following and "cursor=" in following
    assert client.get(following).status_code == 200


def test_finding_11_api_bsn_search_by_post_still_works(consulent, resident):
    """Issue 12, finding 11: the BSN search is a POST with the BSN in the body."""
    response = _api_client(consulent).post(
        reverse("caseload-api:resident-search"), {"bsn": resident.bsn}, format="json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "query",
    # ?cursor= on a page that pages by no cursor passed the guard (security assessment of
    # 4 December: /caseload/?cursor=<bsn> answered 200)
    [{"q": BSN}, {"bsn": BSN}, {"na": OTHER_BSN}, {"naam": "x"}, {"cursor": BSN}],
)
def test_finding_11_pages_refuse_a_bsn_in_the_query_string(consulent, resident, query):
    """Issue 12, finding 11: a page that takes no BSN answers a BSN in its URL with the Dutch
    400 page (the worklist's name search once put a typed BSN in the address)."""
    client = Client()
    client.force_login(consulent)
    response = client.get(reverse("caseload:worklist"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="nl"' in body
    assert "horen niet in een webadres" in body
    assert BSN not in body and OTHER_BSN not in body


def test_finding_11_pages_with_ordinary_queries_still_work(consulent, resident):
    client = Client()
    client.force_login(consulent)
    url = reverse("caseload:worklist")
    assert client.get(url, {"q": resident.last_name}).status_code == 200
    found = client.post(url, {"bsn-bsn": resident.bsn})
    assert found.status_code == 302, found.status_code


# --- masking of what reaches a log line ---------------------------------------------------------


def test_mask_bsn_shaped_masks_exactly_nine_digit_runs():
    assert mask_bsn_shaped(f"/x/?bsn={BSN}&id=12345678") == "/x/?bsn=*********&id=12345678"
    assert mask_bsn_shaped("1234567890 " + BSN) == "1234567890 *********"


@pytest.fixture
def console_stream():
    """The stream of the configured console handler (settings.LOGGING), swapped for a buffer."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    handler = next(h for h in handlers if any(isinstance(f, BsnMaskingFilter) for f in h.filters))
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(old)


def test_finding_11_django_loggers_mask_bsns(console_stream):
    """Issue 12, finding 11: the request lines of ``django.server`` and the errors of
    ``django.request`` (with a database error's DETAIL in the traceback) are masked."""
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /api/v1/caseload/residents/?bsn={BSN} HTTP/1.1", 400, 187
    )
    try:
        raise IntegrityError(f"duplicate key\nDETAIL:  Key (bsn)=({BSN}) already exists.")
    except IntegrityError:
        logging.getLogger("django.request").exception(
            "Internal Server Error: %s", f"/caseload/?q={BSN}"
        )
    logging.getLogger("caseload").warning("inwoner %s", OTHER_BSN)
    written = console_stream.getvalue()
    assert BSN not in written and OTHER_BSN not in written, written
    assert written.count("*********") >= 4, written
    assert "django.server" in written and "django.request" in written


def test_finding_11_gunicorn_access_log_masks_bsns():
    """Issue 12, finding 11: ``bin/entrypoint web`` runs gunicorn with ``config/gunicorn.conf.py``
    whose logger class masks the request line, query string, referer and headers."""
    assert "--config config/gunicorn.conf.py" in (BASE_DIR / "bin" / "entrypoint").read_text()
    cfg = GunicornConfig()
    for name, value in runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    assert cfg.logger_class is GunicornLogger
    logger = cfg.logger_class(cfg)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.access_log.addHandler(handler)
    logger.error_log.addHandler(handler)
    try:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/api/v1/caseload/residents/?bsn={BSN}",
            "PATH_INFO": "/api/v1/caseload/residents/",
            "QUERY_STRING": f"bsn={BSN}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.1",
            "HTTP_REFERER": f"https://caseload.example.nl/caseload/?q={OTHER_BSN}",
            "HTTP_USER_AGENT": "curl/8",
        }
        resp = SimpleNamespace(status="400 Bad Request", headers=[], sent=187)
        req = SimpleNamespace(headers=[("X-BSN", BSN)])
        logger.access(resp, req, environ, dt.timedelta(microseconds=1500))
        logger.error("Invalid request from %s: /?bsn=%s", "10.0.0.1", BSN)
    finally:
        logger.access_log.removeHandler(handler)
        logger.error_log.removeHandler(handler)
    written = buffer.getvalue()
    assert "GET /api/v1/caseload/residents/?bsn=********* HTTP/1.1" in written, written
    assert "Invalid request from 10.0.0.1: /?bsn=*********" in written, written
    assert BSN not in written and OTHER_BSN not in written, written
