# One image for every process: web (gunicorn), worker and beat (Celery) and the one-off setup
# (migrations). The process is chosen by the command: `docker run IMAGE web|worker|beat|setup`,
# the same bin/entrypoint that `make run` uses through the Procfile. See docker-compose.yml and
# docs/configuration.md.
#
# Three stages (issue 16, point 1): `builder` builds wheels of the runtime dependencies in
# requirements.lock and installs them into a virtualenv; `assets` installs the front-end packages
# with npm; the final image gets that virtualenv and the packages, and nothing else: no compiler,
# no Node.js, no test or development package (the dev lock file is never read here;
# tests/common/test_settings_and_deps.py checks both).
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
COPY requirements.lock ./
RUN pip wheel --wheel-dir /wheels -r requirements.lock \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-index --find-links /wheels -r requirements.lock


# Node.js and npm from Debian: only needed to install the front-end packages (package-lock.json)
# that Django serves itself from /static/vendor/; nothing is loaded from a CDN.
FROM python:3.11-slim-bookworm AS assets

RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# devDependencies (axe-core) are only used by the accessibility tests.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app

# Pango for WeasyPrint (the plan van aanpak as PDF, issue 14).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that code changes do not invalidate these layers.
COPY --from=builder /opt/venv /opt/venv
COPY --from=assets /app/node_modules ./node_modules

COPY . .

# Static files are collected into the image (served by WhiteNoise). The production settings
# refuse to start without DATABASE_URL and REDIS_URL (they never start an embedded server), so
# both are set to dummy values; collectstatic connects to neither. The secret is a build-only
# placeholder, never used at run time.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_SECRET_KEY=build \
    DATABASE_URL=postgres://x@localhost/x \
    REDIS_URL=redis://localhost:6379 \
    python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user; it only needs to write uploaded/exported files (MEDIA_ROOT).
RUN groupadd --system --gid 10001 caseload \
    && useradd --system --uid 10001 --gid caseload --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin caseload \
    && mkdir -p /app/media \
    && chown caseload:caseload /app/media
USER caseload

ENV BIND=0.0.0.0:8000 \
    PYTHON=python \
    DJANGO_SETTINGS_MODULE=config.settings.production

EXPOSE 8000
ENTRYPOINT ["bin/entrypoint"]
CMD ["web"]
