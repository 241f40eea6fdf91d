"""PostgreSQL down while the web process serves (issue 13, the chaos run's "database down: 500,
not 503"): every request answers 503 with ``Retry-After`` -- the API's JSON error, the Dutch page
elsewhere -- also when the error comes from a middleware before any view (sessions,
authentication), and the web process answers normally again when the database returns."""

from __future__ import annotations

import http.client
import json
import time

import pytest

from tests.faults.stack import wait_for

pytestmark = pytest.mark.slow

SESSION_COOKIE = "sessionid"


def _get(
    port: int, path: str, accept: str = "text/html", cookie: str = ""
) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {"Accept": accept} | ({"Cookie": cookie} if cookie else {})
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_database_down_answers_503_with_retry_after_not_500(fault_stack):
    web = fault_stack.web()
    assert _get(web.port, "/inloggen/")[0] == 200
    fault_stack.postgres.stop()
    try:
        status, headers, body = _get(web.port, "/api/v1/caseload/residents/", "application/json")
        assert status == 503, body[:300]
        assert int(headers["Retry-After"]) > 0
        assert json.loads(body)["errors"][0]["code"] == "service_unavailable"

        # a signed-in user's page: the session middleware needs the database before any view
        status, headers, body = _get(web.port, "/", cookie=f"{SESSION_COOKIE}=onbekend")
        assert status == 503, body[:300]
        assert "Retry-After" in headers
        assert "Tijdelijk niet beschikbaar" in body
    finally:
        fault_stack.postgres.start()
    wait_for(lambda: _get(web.port, "/inloggen/")[0] == 200, timeout=30, what="web answers again")


def test_a_paused_database_answers_503_within_the_connect_timeout(fault_stack):
    """The fault run of 3 December: with PostgreSQL paused (SIGSTOP: the socket accepts, nothing
    answers) every request waited for as long as the pause lasted, 35 s, then took the web's
    threads with it. A request that opens its connection now gives up after
    ``DATABASE_CONNECT_TIMEOUT`` and answers 503 with Retry-After; once the server answers
    again, so does the web. (A connection already open to a server that stops answering waits
    for it: docs/reliability.md.)"""
    web = fault_stack.web(DATABASE_CONN_MAX_AGE="0", DATABASE_CONNECT_TIMEOUT="2")
    assert _get(web.port, "/inloggen/")[0] == 200
    fault_stack.postgres.pause()
    try:
        started = time.monotonic()
        status, headers, body = _get(web.port, "/api/v1/caseload/residents/", "application/json")
        elapsed = time.monotonic() - started
        assert status == 503, body[:300]
        assert int(headers["Retry-After"]) > 0
        assert elapsed < 8, f"{elapsed:.1f} s with the database paused"
    finally:
        fault_stack.postgres.resume()
    wait_for(lambda: _get(web.port, "/inloggen/")[0] == 200, timeout=30, what="web answers again")
