"""Issue 16, point 10: mypy with the Django and DRF plugins is part of ``make lint`` and covers
the modules the issue names (``make lint`` runs it; this test keeps the wiring from slipping)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NAMED = {
    "*/services.py",
    "*/selectors.py",
    "*/calculations.py",
    "indicators/engine.py",
    "indicators/registry.py",
    "common/clock.py",
}


def test_point_10_mypy_checks_the_named_modules_with_the_django_and_drf_plugins():
    """Issue 16, point 10: ``[tool.mypy]`` names the services, selectors, calculations, the
    indicator engine and registry and the clock, with django-stubs and the DRF stubs, against
    the test settings; ``make lint`` runs mypy without a database."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mypy = pyproject["tool"]["mypy"]
    assert set(mypy["files"]) >= NAMED
    assert {"mypy_django_plugin.main", "mypy_drf_plugin.main"} <= set(mypy["plugins"])
    assert pyproject["tool"]["django-stubs"]["django_settings_module"] == "config.settings.test"
    dev = " ".join(pyproject["project"]["optional-dependencies"]["dev"])
    for package in ("mypy", "django-stubs", "djangorestframework-stubs"):
        assert f"{package}>=" in dev.replace('"', "")
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "DATABASE_URL=postgres://unused/unused" in lint
    assert "$(VENV)/bin/mypy" in lint
