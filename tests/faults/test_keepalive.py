"""Keep-alive of the web process (issue 13, finding 7): gunicorn started exactly as in
production (``bin/entrypoint web`` with config/gunicorn.conf.py) on the dedicated stack."""

from __future__ import annotations

import http.client
import time

import pytest

pytestmark = pytest.mark.slow


def test_finding_7_idle_kept_alive_connection_is_reused_after_three_seconds(fault_stack):
    """Issue 13, finding 7: gunicorn's default keep-alive of 2 s closed an idle connection, so a
    client (or reverse proxy) that reused it after about 2 s got a reset. With the project's
    keep-alive (GUNICORN_KEEPALIVE, 75 s) the same connection still answers after 3 s idle."""
    web = fault_stack.web()
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        conn.request("GET", "/health/")
        first = conn.getresponse()
        first.read()
        assert first.status == 200
        assert first.getheader("Connection", "").lower() != "close"
        local_port = conn.sock.getsockname()[1]

        time.sleep(3)

        conn.request("GET", "/health/")
        second = conn.getresponse()
        second.read()
        assert second.status == 200
        assert conn.sock.getsockname()[1] == local_port  # the same TCP connection
    finally:
        conn.close()
