"""Hardening: `check --deploy` with production settings, CSP, HSTS, Cache-Control: no-store."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEMO_", "TWO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        PROCESSING_LOG_HMAC_KEY=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="caseload.example.nl",
        # check --deploy connects to neither; unreachable addresses prove it
        DATABASE_URL="postgres://caseload:x@127.0.0.1:9/caseload",
        REDIS_URL="redis://127.0.0.1:9",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="caseload.example.nl")
login = c.get("/inloggen/", secure=True)
api = c.get("/api/v1/schema/", secure=True)
plain = c.get("/inloggen/", secure=False)
print(json.dumps({
    "two_factor": settings.TWO_FACTOR_ENFORCED,
    "demo": settings.DEMO_MODE,
    "debug": settings.DEBUG,
    "login": dict(login.headers),
    "api_status": api.status_code,
    "api": dict(api.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "sql_log_level": settings.LOGGING["loggers"]["django.db.backends"]["level"],
}))
"""


@pytest.fixture(scope="module")
def production_probe():
    # DEMO_MODE and TWO_FACTOR_ENFORCED from the environment must not switch 2FA off
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(DEMO_MODE="1", TWO_FACTOR_ENFORCED="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_forces_two_factor_and_no_demo(production_probe):
    assert production_probe["two_factor"] is True
    assert production_probe["demo"] is False
    assert production_probe["debug"] is False


def test_production_sends_hsts_csp_and_redirects_to_https(production_probe):
    login = production_probe["login"]
    assert login["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in login["Content-Security-Policy"]
    assert login["X-Frame-Options"] == "DENY"
    assert login["X-Content-Type-Options"] == "nosniff"
    assert login["Referrer-Policy"] == "same-origin"
    assert production_probe["plain_status"] == 301
    assert production_probe["plain_location"].startswith("https://")


def test_production_api_answer_is_no_store(production_probe):
    assert production_probe["api_status"] in (401, 403)
    assert "no-store" in production_probe["api"]["Cache-Control"]


def test_sql_is_never_logged_in_any_settings(production_probe):
    """SQL parameters carry BSNs: django.db.backends never logs below INFO (dev, test, prod)."""
    from django.conf import settings

    assert production_probe["sql_log_level"] == "INFO"
    assert settings.LOGGING["loggers"]["django.db.backends"]["level"] == "INFO"
    import logging

    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.INFO
    for module in ("base", "dev", "production", "test"):
        text = (ROOT / "config/settings" / f"{module}.py").read_text()
        assert "django.db.backends" not in text or module == "base", module


# --- Content-Security-Policy -----------------------------------------------------------------


def test_csp_header_allows_only_our_origin(client, consulent):
    client.force_login(consulent)
    csp = client.get(reverse("caseload:worklist"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http" not in csp  # no CDN or other origin


def test_htmx_indicator_style_hash_matches_the_vendored_htmx(settings):
    """htmx 2 inserts one <style> element; the CSP allows exactly that one by its hash."""
    source = (ROOT / "node_modules/htmx.org/dist/htmx.min.js").read_text()
    assert "includeIndicatorStyles:true" in source
    match = re.search(r"`<style\$\{e\}>`\+`(.+?)`\+`(.+?)`\+\"</style>\"", source)
    assert match, "htmx changed how it inserts its indicator style: recompute the hash"
    css = (
        (match.group(1) + match.group(2))
        .replace("${t}", "htmx-indicator")
        .replace("${n}", "htmx-request")
    )
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.HTMX_INDICATOR_STYLE_HASH
    assert (
        settings.HTMX_INDICATOR_STYLE_HASH
        in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    )


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> block"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
]


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                line = text[: m.start()].count("\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == []


# --- Cache-Control: no-store ------------------------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_dossier_and_worklist_are_no_store(client, consulent, resident):
    client.force_login(consulent)
    for url in [
        reverse("caseload:worklist"),
        reverse("caseload:dossier", args=[resident.pk]),
        reverse("intake:intake", args=[resident.pk]),
        reverse("home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
        assert "private" in response["Cache-Control"]


def test_every_api_response_is_no_store(client, consulent, resident):
    anonymous = client.get("/api/v1/caseload/residents/")
    assert anonymous.status_code in (401, 403)
    assert _no_store(anonymous)
    client.force_login(consulent)
    for url in [
        "/api/v1/caseload/residents/",
        f"/api/v1/caseload/residents/{resident.pk}/",
        "/api/v1/caseload/residents/999999999/",
    ]:
        assert _no_store(client.get(url)), url
    search = client.post(
        "/api/v1/caseload/residents/search/", {"bsn": resident.bsn}, content_type="application/json"
    )
    assert search.status_code == 200
    assert _no_store(search)


def test_api_token_response_is_no_store(client, resident):
    from apiauth import services as api_services

    admin = factories.UserFactory(beheer=True)
    account = api_services.service_account_create(
        username="koppeling", municipality=resident.municipality, description="Koppeling"
    )
    _token, secret = api_services.token_issue(
        user=account, name="test", scopes=["caseload:read"], created_by=admin
    )
    factories.api_token_approve(_token)  # four eyes (issue 12, finding 2)
    response = client.get("/api/v1/caseload/residents/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert _no_store(response)


def test_deploy_check_warns_when_two_factor_is_off_outside_demo(settings):
    from django.core.checks import run_checks

    settings.TWO_FACTOR_ENFORCED = False
    settings.DEMO_MODE = False
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert "common.W001" in ids
    settings.TWO_FACTOR_ENFORCED = True
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert "common.W001" not in ids and "common.W002" not in ids
    settings.AXES_FAILURE_LIMIT = 50
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert "common.W002" in ids


def test_inline_styles_allowed_only_on_admin_and_browsable_api(client, consulent):
    admin_csp = client.get("/beheer/login/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in admin_csp
    assert "script-src 'self';" in admin_csp + ";"
    client.force_login(consulent)
    api_csp = client.get("/api/v1/caseload/residents/", HTTP_ACCEPT="text/html")
    assert "script-src 'self';" in api_csp["Content-Security-Policy"] + ";"
    own = client.get(reverse("caseload:worklist"))["Content-Security-Policy"]
    assert "unsafe-inline" not in own
