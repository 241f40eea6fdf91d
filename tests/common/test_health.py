import time

import pytest
from django.test import override_settings

from tests.faults.stack import Redis

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_health_reports_unreachable_broker_as_degraded(client):
    """The web process still serves with the broker down (docs/reliability.md): 200, status
    "degraded", the broker named."""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionError"}


@pytest.fixture
def dedicated_redis(tmp_path, settings):
    """A Redis server of this test's own (never the suite's shared one), which the test may kill
    or pause; the health check's cache and broker point at it."""
    server = Redis(tmp_path / "redis", appendonly=False)
    server.start()
    settings.CELERY_BROKER_URL = f"{server.url}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{server.url}/2",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        yield server
    finally:
        server.kill()


@pytest.mark.parametrize("mode", ["killed", "paused"])
def test_finding_4_health_answers_within_a_second_with_redis_down(client, dedicated_redis, mode):
    """Issue 13, finding 4: ``/health/`` timed out with Redis down. It answers within a second
    whether Redis refuses connections (killed) or accepts and never answers (SIGSTOP), names
    cache and broker as down and the database as up, and says "degraded" with a 200 (the web
    process still serves). Asked again while the first check still hangs, it answers as fast."""
    assert client.get("/health/").json()["status"] == "ok"
    if mode == "killed":
        dedicated_redis.kill()
    else:
        dedicated_redis.pause()
    for _ in range(2):
        started = time.monotonic()
        response = client.get("/health/")
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"/health/ took {elapsed:.2f} s with Redis {mode}"
        body = response.json()
        assert response.status_code == 200, body
        assert body["status"] == "degraded"
        assert body["checks"]["database"]["ok"] is True
        assert body["checks"]["cache"]["ok"] is False
        assert body["checks"]["broker"]["ok"] is False
    if mode == "paused":
        dedicated_redis.resume()
        time.sleep(0.6)  # the hung checks give up within their own timeout
        assert client.get("/health/").json()["status"] == "ok"


def test_login_page_renders_in_dutch(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
