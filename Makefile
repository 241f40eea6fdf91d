# The README's commands. Everything a fresh machine needs is installed by these targets.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

# pytest-xdist workers for `make test` (the machines have 2 cores); PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2

.PHONY: run test checks lint format install assets browser pdf-libs lock clean-db help bench bench-region screenshots chaos

help:
	@echo "make run    install, migrate, load the demo municipality, serve on http://127.0.0.1:8000"
	@echo "make test   ruff + the whole test suite against real PostgreSQL and Redis"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Development installs everything (requirements-dev.lock: the runtime pins plus tests, the
# embedded servers, psutil, ruff, ...); the production image installs requirements.lock only.
$(PIP_STAMP): $(PY) requirements.lock requirements-dev.lock pyproject.toml
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(PIP_STAMP)
assets: $(NPM_STAMP)

run: install assets pdf-libs
	$(PY) -m common.devserver

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
# mypy imports the test settings: set URLs keep the embedded servers from starting (none is used)
	DATABASE_URL=postgres://unused/unused REDIS_URL=redis://unused:6379/0 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Debian's headless Chromium for the browser tests (Playwright drives it; no `playwright install`).
browser:
	@command -v chromium >/dev/null || ( \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium)

# Debian's pango for WeasyPrint (the plan van aanpak as PDF, issue 14).
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 || ( \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0)

# make lint and the migrations check, in one process of their own (called through CHECKS in
# the test recipe, so that `make -n test` prints the recipe instead of running it)
CHECKS = $(MAKE) --no-print-directory checks
checks: lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# The checks run alongside the suite (issue 16, point 11: they only read, and take ~10 s of the
# run otherwise); their output follows the suite's as one block, and either failing fails the
# target. worksteal: a worker that runs out of tests takes half of the other's queue.
# The fault suite (tests/faults) runs alongside too, in a process of its own: it spends its
# ~3 minutes waiting on servers it starts, stops and pauses, not on the CPU, so it no longer
# holds one of the two workers. tests/durations.json orders the modules, longest test first
# (WRITE_TEST_DURATIONS=1 make test refreshes it from the run).
test: install assets browser pdf-libs
	@mkdir -p .local
	@$(CHECKS) > .local/checks.log 2>&1 & checks=$$!; \
	$(VENV)/bin/pytest tests/faults > .local/faults.log 2>&1 & faults=$$!; \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal --ignore=tests/faults; suite=$$?; \
	wait $$faults; fault_status=$$?; \
	echo "--- the fault suite (pytest tests/faults): exit $$fault_status"; \
	cat .local/faults.log; \
	wait $$checks; status=$$?; \
	echo "--- make checks (ruff, lint-imports, mypy, makemigrations --check): exit $$status"; \
	cat .local/checks.log; \
	[ $$status -eq 0 ] && [ $$suite -eq 0 ] && [ $$fault_status -eq 0 ]

# Rewrite docs/screenshots/*.png from the browser tests (other test runs leave them alone).
screenshots: install assets browser
	SCREENSHOTS=1 $(VENV)/bin/pytest -n $(PYTEST_WORKERS) tests/browser tests/security/test_browser_csp.py

# Benchmark suite (issue #8): a throwaway database, 40,000 households x 10 years by default
# (BENCH_HOUSEHOLDS=2000 BENCH_DURATION=20 for a smoke run); writes docs/benchmarks/results.*
bench: install assets
	$(PY) bench/run.py

# The regional run (issue 17; ~30 min, not in CI): 16 municipalities, 40,000 households, in
# bench_region_40000 (kept); writes docs/benchmarks/region.*
bench-region: install assets
	$(PY) bench/run.py --region

# Soak under faults (issue 13; never in CI, about 25 minutes): the whole stack natively on a
# PostgreSQL and Redis of its own, case changes through the API and the UI, a broker outage and a
# database outage of CHAOS_MINUTES each (default 10; CHAOS_BROKER_MINUTES, CHAOS_DB_MINUTES),
# the worker SIGKILLed every ~CHAOS_KILL_EVERY s (120); prints the figures of docs/reliability.md
chaos: install
	$(PY) -m tests.faults.chaos

# Regenerate both lock files from pyproject.toml (issue 16, point 1): requirements.lock holds the
# runtime dependencies only (the production image installs it and nothing else);
# requirements-dev.lock adds the dev extra, every package of both pinned to the same version.
lock: $(PY)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links \
		--strip-extras -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --extra dev \
		--strip-extras -c requirements.lock -o requirements-dev.lock pyproject.toml

# Remove the embedded PostgreSQL data (the demo is loaded again on the next `make run`).
clean-db:
	rm -rf .local/pgdata
