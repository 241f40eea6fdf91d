"""Settings shared by every environment.

Every setting that can change between deployments is read from the environment here, once, with a
safe development default. The full list with explanations is in ``docs/configuration.md`` and
``.env.example``.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def required_url(name: str) -> str:
    """A server URL that must be set. Production fails closed without it (issue 16, point 1);
    only the dev and test settings fill an unset one with an embedded server (common/embedded.py)."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: these settings need a real server and start "
            "no embedded one (only config.settings.dev and config.settings.test do; "
            "docs/configuration.md)."
        )
    return value


# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Demo mode: demo logins are printed and accepted; never enable in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widget templates for FORM_RENDERER (TemplatesSetting)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "common",
    "caseload",
    "intake",
    "indicators",
    "budget",
    "apiauth",
    "privacy",
    "registers",
    "employers",
    "matching",  # profiles, matching, proposals and placements (#18)
    "region",  # the region: aggregates and comparison of its municipalities (#17)
    "statline",  # national series from CBS StatLine, imported as published (#17)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 before anything reads it (#12)
    "common.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # the request's municipalities and the application role on the database session: the
    # row-level security policies (issue 17, docs/row-level-security.md)
    "common.rls.RowLevelSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a page's form does its write once, however often it is sent (common.double_submit)
    "common.double_submit.DoubleSubmitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.ThirdPartyPagesCspMiddleware",
    "common.middleware.TwoFactorRequiredMiddleware",
    "common.middleware.NoStoreMiddleware",
    # a BSN, name or birth date in a query string: 400 instead of silently ignored (#12)
    "common.middleware.PersonalDataQueryMiddleware",
    # Redis down while a view runs: 503 with Retry-After, never a 500 (issue 13, finding 4)
    "common.middleware.DependencyUnavailableMiddleware",
    # last, so it sees the outcome of every login attempt (docs/security.md)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% form_nonce %} next to every {% csrf_token %} (common.double_submit)
            "builtins": ["common.templatetags.form_nonce", "common.templatetags.error_summary"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.site",
            ],
        },
    },
]

# One form-rendering path: the project's template engine, one accessible field template.
FORM_RENDERER = "common.forms.FormRenderer"

# --- Database: PostgreSQL only ------------------------------------------------------------------
DATABASE_URL = required_url("DATABASE_URL")
# Row-level security (issue 17, docs/row-level-security.md). DATABASE_URL is the application's
# login (web); DATABASE_OWNER_URL the owner of the tables, used by the processes started with
# DATABASE_ROLE=owner (bin/entrypoint setup, worker, beat: migrations, the indicator fill, the
# demo loader). Requests, and the tasks that act for one municipality, run as DATABASE_APP_ROLE
# (no BYPASSRLS), which the policies bind.
DATABASE_OWNER_URL = env.str("DATABASE_OWNER_URL", default="")
DATABASE_ROLE = env.str("DATABASE_ROLE", default="app")
DATABASES = {
    "default": env.db_url_config(
        DATABASE_OWNER_URL if DATABASE_OWNER_URL and DATABASE_ROLE == "owner" else DATABASE_URL
    )
}
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="caseload_app")
RLS_ENFORCED = env.bool("RLS_ENFORCED", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database server that does not answer holds a request no longer than these (the fault run of
# 3 December: a paused server held every web thread, /health/ and the login page included, for
# as long as it was paused). libpq's connect_timeout bounds a new connection (a request then
# answers 503 with Retry-After); TCP keepalives find a server lost behind a network cut on a
# connection in use within about idle + interval x count seconds (not over a Unix socket, as
# the embedded server's). A stopped-but-running server process (SIGSTOP, a frozen VM whose
# kernel still answers) can only be bounded by the database's own statement_timeout once it
# resumes: docs/reliability.md. A URL's own ?connect_timeout=... wins.
for _name, _value in {
    "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
    "keepalives": 1,
    "keepalives_idle": env.int("DATABASE_KEEPALIVES_IDLE", default=10),
    "keepalives_interval": 5,
    "keepalives_count": 3,
}.items():
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_name, _value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, result backend and cache ---------------------------------------------
REDIS_URL = required_url("REDIS_URL")
CELERY_BROKER_URL = f"{REDIS_URL}/0"
CELERY_RESULT_BACKEND = f"{REDIS_URL}/1"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
# django-celery-beat's database scheduler, surviving database outages (issue 13, finding 3)
CELERY_BEAT_SCHEDULER = "common.beat:ResilientDatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker keeps the root logger's handlers of LOGGING (with the BSN mask) and configures its
# logging from LOGGING (config.celery's setup_logging receiver; review of 4 December, finding 2).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# No request waits on Redis longer than these seconds (connect; each read or write), whatever
# client it goes through: the cache (throttling), the broker publish, the result backend,
# common.dependencies.redis_client (health, indicator wake-up). What a request does when Redis
# is down is chosen per dependency (docs/reliability.md; issue 13, finding 4).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
# Retry-After (seconds) of the 503 a request gets when a dependency it needs is down.
DEPENDENCY_RETRY_AFTER = env.int("DEPENDENCY_RETRY_AFTER", default=30)
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
# Queuing a task tries twice (not 4 times), and its subscription to the result tries once (not
# 21 times, 1 s apart): a request that queues a task while Redis is down fails within a second
# or two (common.middleware.DependencyUnavailableMiddleware answers 503), not after 20 s.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
# The worker rides out a broker outage (issue 13, finding 2; docs/reliability.md): it retries
# the connection forever (not 100 times), and a message it had taken but not acknowledged when
# the connection dropped, or whose worker process was killed, is delivered again: a dead pool
# process's task at once (acks_late + reject_on_worker_lost), a message held by a killed or
# disconnected worker once it is TASK_VISIBILITY_TIMEOUT seconds old (kombu's Redis transport
# keeps it in its `unacked` hash; a worker sweeps every TASK_VISIBILITY_TIMEOUT / 10 s, at
# most 60 s). The timeout must exceed the longest task and the longest countdown, or a task
# still running is started a second time (every task is safe to run twice, but it is wasted
# work). A task running when the connection drops is not cancelled: it finishes its work in
# PostgreSQL; its acknowledgement is lost with the connection, so it runs once more after the
# timeout and finds nothing left to do. config.celery.RedisTransport repairs kombu's restore.
CELERY_BROKER_TRANSPORT = "config.celery:RedisTransport"
# A running job (import, report) renews its lease every third of this; one whose lease ran out
# (its worker died) ends failed and frees its file (issue 13, finding 5; common/jobs.py).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
#: a job still queued after this long is sent to the broker again (common.jobs.jobs_requeue)
JOB_QUEUE_GRACE_SECONDS = env.int("JOB_QUEUE_GRACE_SECONDS", default=120)
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
TASK_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=1800)
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    visibility_timeout=TASK_VISIBILITY_TIMEOUT,
    unacked_restore_interval=max(1, min(60, TASK_VISIBILITY_TIMEOUT // 10)),
    unacked_restore_throttle=1,
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"{REDIS_URL}/2",
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
        },
    }
}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "caseload.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+address before the password is checked
    "common.auth_backends.LockoutBackend",
    # has_perm for the role matrix (ROLE_PERMISSIONS below); before ModelBackend, which answers for
    # the admin's model permissions only (docs/security.md, section 1)
    "common.auth_backends.RolePermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Session expiry after inactivity: every request pushes the expiry forward by this many seconds.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # inactivity timeout rather than absolute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Password reset links (e-mailed from the admin, "Stuur herstel-link"; common/password_reset.py)
# stay valid this many seconds, and work once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 60 * 60)

# --- E-mail (password reset links) --------------------------------------------------------------
# EMAIL_URL as django-environ reads it: smtp+tls://user:password@host:587, smtps://...,
# consolemail:// (printed; the dev default), memorymail:// (kept in memory; the test default).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Werk en Inkomen <noreply@localhost>")

# --- Security: 2FA, lockout, headers, permissions (docs/security.md) ----------------------------
# TOTP two-factor login (django-otp) for every staff member. Only demo mode may switch it off, and
# then every page says so; production settings force it on.
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=not DEMO_MODE)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Werk en Inkomen")
# Lockout after repeated failed logins (django-axes): per username and address combination.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours: 30 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False  # no start-up banner in every manage.py and worker log
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "common.lockout.lockout_response"  # Dutch page, HTTP 429
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
# Content-Security-Policy (django-csp): same origin only, no inline scripts or styles. The one
# exception is the indicator <style> element htmx 2 inserts, allowed by its hash (checked by
# tests/security/test_headers.py against static/vendor/htmx.org).
HTMX_INDICATOR_STYLE_HASH = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", HTMX_INDICATOR_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The admin and DRF's browsable API have inline styles in their templates: inline styles (never
# scripts) are allowed on their views only, decided by the resolved view, not the path
# (common.request_kind.is_third_party_page, common.middleware.ThirdPartyPagesCspMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Error reports (ADMINS e-mail, DEBUG page) mask every string that passes the BSN 11-test.
DEFAULT_EXCEPTION_REPORTER_FILTER = "common.error_reports.BsnSafeExceptionReporterFilter"
# A refused CSRF check answers with the Dutch 403 page (JSON under /api/), like every error page.
CSRF_FAILURE_VIEW = "common.views.csrf_failure"
# Cache-Control: no-store on every response to a signed-in user and every /api/ response
# (common.middleware.NoStoreMiddleware).
NO_STORE_PATH_PREFIXES = ["/api/"]

# Permissions (user.has_perm, answered by common.auth_backends.RolePermissionBackend): codenames
# are the enums in <app>/permissions.py; this is the only place that says which role holds which.
# Superusers hold all. Field grants: caseload.view_fraud (fraud investigations),
# intake.view_health (physical and mental capacity notes, health barrier notes).
ROLE_PERMISSIONS = {
    "consulent": [
        "caseload.view_dossier",
        "caseload.change_dossier",
        "caseload.correct_facts",
        "intake.view_health",
        "indicators.view_residents",
        "employers.view_vacancies",
        "matching.propose",
    ],
    "teamleider": [
        "caseload.view_dossier",
        "caseload.change_dossier",
        "caseload.correct_facts",
        "caseload.reassign_resident",
        "caseload.export_worklist",
        "caseload.view_fraud",
        "intake.view_health",
        "indicators.view_dashboards",
        "indicators.view_residents",
        "employers.view_employers",
        "employers.view_vacancies",
        "matching.view_candidates",
    ],
    "manager": ["indicators.view_dashboards", "region.view_comparison"],
    "financien": [
        "budget.view_budget",
        "budget.change_budget",
        "budget.import_ledger",
        "budget.export_reports",
        "indicators.view_dashboards",
        "region.view_budget",
    ],
    "beheer": [
        "caseload.configure",
        "budget.view_budget",
        "budget.change_budget",
        "budget.import_ledger",
        "budget.export_reports",
        "indicators.view_dashboards",
        "indicators.edit_targets",
        "employers.view_employers",
        "employers.view_vacancies",
        "region.view_region",
        "region.view_comparison",
        "region.view_budget",
    ],
    "privacy": ["privacy.view_processing_log"],
    # the werkgeversservicepunt (WSP): employers and their vacancies (issue 18)
    "accountmanager": [
        "employers.view_employers",
        "employers.change_employers",
        "employers.view_vacancies",
        "matching.view_candidates",
        "matching.propose",
        "matching.place",
    ],
    # the region (issue 17): aggregates of its municipalities only, no dossier or worklist; the
    # regional BUIG overview without any budget page (region.view_budget, not budget.view_budget)
    "regio": ["region.view_region", "region.view_comparison", "region.view_budget"],
}
# Dossier timeline entries that need a field grant (kind -> permission); see
# common.templatetags.security_tags.visible_entries.
TIMELINE_KIND_PERMISSIONS = {"fraud": "caseload.view_fraud"}
# Extra permissions for members of a team of this kind (on top of their role).
TEAM_KIND_PERMISSIONS = {"handhaving": ["caseload.view_fraud"]}
# Connected systems acting through an API token (apiauth service accounts). Which residents they
# reach is set by the account's municipality and the token's scopes; these are the field grants.
SERVICE_ACCOUNT_PERMISSIONS = env.list("SERVICE_ACCOUNT_PERMISSIONS", default=[])
# API keys expire after this many days unless the issuer picks another date (issue 12).
API_TOKEN_DEFAULT_LIFETIME_DAYS = env.int("API_TOKEN_DEFAULT_LIFETIME_DAYS", default=90)
#: the latest expiry an issuer may choose for a key
API_TOKEN_MAX_LIFETIME_DAYS = env.int("API_TOKEN_MAX_LIFETIME_DAYS", default=730)

# --- Privacy (docs/privacy.md) -------------------------------------------------------------------
# Key of the HMAC that names residents in the processing log; empty: derived from SECRET_KEY.
# Set it separately in production, so that rotating SECRET_KEY keeps the pseudonyms stable.
PRIVACY_PSEUDONYM_KEY = env.str("PRIVACY_PSEUDONYM_KEY", default="")
# Years after the last benefit end (or decision on an application) before anonymisation.
PRIVACY_RETENTION_YEARS = env.int("PRIVACY_RETENTION_YEARS", default=10)
# How long a break-the-glass reason opens one resident's dossier.
PRIVACY_BREAK_GLASS_MINUTES = env.int("PRIVACY_BREAK_GLASS_MINUTES", default=60)
# Key of the HMAC that seals the processing log's chain and its checkpoints; never stored in the
# database. Required: without it the system check fails and no log record can be written (the
# dev and test settings set a fixed, public key). Rotate: new key with a new id, old key to the
# retired keys ("id=key,id=key").
PROCESSING_LOG_HMAC_KEY = env.str("PROCESSING_LOG_HMAC_KEY", default="")
PROCESSING_LOG_HMAC_KEY_ID = env.str("PROCESSING_LOG_HMAC_KEY_ID", default="1")
PROCESSING_LOG_HMAC_RETIRED_KEYS = env.dict("PROCESSING_LOG_HMAC_RETIRED_KEYS", default={})
# Signed checkpoints of the log's head, outside the database (WORM or object storage in
# production), written every PROCESSING_LOG_CHECKPOINT_MINUTES by Celery beat.
PROCESSING_LOG_CHECKPOINT_DIR = env.str(
    "PROCESSING_LOG_CHECKPOINT_DIR", default=str(BASE_DIR / ".local" / "processing-log-checkpoints")
)
PROCESSING_LOG_CHECKPOINT_MINUTES = env.int("PROCESSING_LOG_CHECKPOINT_MINUTES", default=15)

# --- I18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry at install time (package.json) and are served
# from here under /static/vendor/; nothing is loaded from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # token first: its WWW-Authenticate header turns "not authenticated" into a 401
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apiauth.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A token also needs the scope of the view's resource group (apiauth.scopes).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "apiauth.permissions.TokenHasScope",
        # a view's ``required_permission`` (e.g. fraud investigations: caseload.view_fraud)
        "common.api_permissions.RequiredPermission",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON with a size and nesting limit: 413 / 400 instead of a 500 (#12)
    "DEFAULT_PARSER_CLASSES": ["common.api.SafeJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "apiauth.schema.ApiAutoSchema",
    # Per client (token, else user, else address), counted in the Redis cache.
    "DEFAULT_THROTTLE_CLASSES": ["apiauth.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "client": env.str("API_THROTTLE_RATE", default="600/minute"),
        "bsn_search": env.str("API_BSN_SEARCH_RATE", default="120/minute"),
    },
    "EXCEPTION_HANDLER": "common.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Werk en Inkomen API",
    "DESCRIPTION": (
        "API voor de caseload van Werk en Inkomen: inwoners, huishoudens, uitkeringen, trajecten, "
        "uitstroom, contacten, indicatoren en BUIG-budget. Dezelfde toegangsregels als in de "
        "browser. Zie docs/api.md voor sleutels en voorbeelden."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # the schema is served to logged-in users and to any valid API token
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "TrajectoryResultEnum": "caseload.models.Trajectory.Result",
        "FraudResultEnum": "caseload.models.FraudInvestigation.Result",
        "DebtResultEnum": "caseload.models.DebtCase.Result",
    },
}

# --- Logging: never log personal data (see docs/privacy.md) -------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # every run of nine digits (a BSN's shape) is masked in messages and tracebacks (#12)
    "filters": {
        "mask_bsn": {"()": "common.logging.BsnMaskingFilter"},
        # an expected 403/404 is one line, not a traceback (the errors stay visible)
        "refusal_one_line": {"()": "common.logging.RefusalWithoutTracebackFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusal_one_line", "mask_bsn"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "mask_bsn"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # SQL with its parameters (BSNs among them) is never logged, whatever LOG_LEVEL says.
        "django.db.backends": {"level": "INFO", "propagate": True},
        # Django's own handlers (an unfiltered console in DEBUG) replaced by the masked ones:
        # its records reach the root's console; the development server's request lines too.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Domain defaults (overridable per municipality and year in the database) --------------------
# Municipal convention: a resident who returns within this many days is not counted as outflow
# plus new inflow.
OUTFLOW_RETURN_WINDOW_DAYS = env.int("OUTFLOW_RETURN_WINDOW_DAYS", default=30)
# PostgreSQL work_mem of each indicator fill transaction (SET LOCAL), so its grouping-set sorts
# stay in memory; empty keeps the server's value. Shared TEMP TABLEs per fill: see
# indicators/fill.py (on: the indicators reading benefit_dims and group_segments share one build).
INDICATORS_FILL_WORK_MEM = env.str("INDICATORS_FILL_WORK_MEM", default="64MB")
# ... and its hash_mem_multiplier: hash tables get this many times work_mem, so hash joins stay in
# one batch at national size while the facts' sorts may spill (docs/benchmarks/scale.md, #19).
INDICATORS_FILL_HASH_MEM_MULTIPLIER = env.str("INDICATORS_FILL_HASH_MEM_MULTIPLIER", default="8")
INDICATORS_FILL_SHARED_TABLES = env.bool("INDICATORS_FILL_SHARED_TABLES", default=True)
# Indicators filled at once, each on its own database connection (the fill is CPU-bound in
# PostgreSQL); 1 fills them one after the other.
INDICATORS_FILL_WORKERS = env.int("INDICATORS_FILL_WORKERS", default=2)
# Business case page (budget). The average yearly cost of one benefit that the form proposes when
# the year has none recorded (MunicipalityYear.average_benefit_cost), and the plan's rounded
# saving that the page quotes under its worked example. Source of both: the Hilversum outflow plan
# (53 extra outflows, half full-time and half at 50%, at EUR 14.400 a year = EUR 572.400, rounded
# in the plan to EUR 550.000; docs/budget.md, "Business case").
BUSINESS_CASE_DEFAULT_AVERAGE_COST = Decimal(
    env.str("BUSINESS_CASE_DEFAULT_AVERAGE_COST", default="14400")
)
BUSINESS_CASE_PLAN_ROUND_FIGURE = Decimal(
    env.str("BUSINESS_CASE_PLAN_ROUND_FIGURE", default="550000")
)
# Uploaded tables (caseload import, ledger import; common/tabular_read.py): a bigger file or
# more data rows is refused as a whole before any row is validated.
TABULAR_IMPORT_MAX_BYTES = env.int("TABULAR_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
TABULAR_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "TABULAR_IMPORT_MAX_UNPACKED_BYTES", default=512 * 1024 * 1024
)
TABULAR_IMPORT_MAX_ROWS = env.int("TABULAR_IMPORT_MAX_ROWS", default=1_000_000)

# --- Scheduled jobs (Celery beat; stored and editable in the admin via django-celery-beat) -------
# One source: config/schedule.py (issue 16, point 10).
CELERY_BEAT_SCHEDULE = beat_schedule(
    processing_log_checkpoint_minutes=PROCESSING_LOG_CHECKPOINT_MINUTES
)
# --- Registers (BRP Personen Bevragen, Haal Centraal v2; registers/brp/client.py) -------------
# Base URL up to /personen (empty: no BRP, the consulent registers by hand); the API key and the
# header it goes in; seconds to wait for an answer before the consulent registers by hand.
BRP_BASE_URL = env.str("BRP_BASE_URL", default="")
BRP_API_KEY = env.str("BRP_API_KEY", default="")
BRP_API_KEY_HEADER = env.str("BRP_API_KEY_HEADER", default="X-API-Key")
BRP_TIMEOUT = env.float("BRP_TIMEOUT", default=5.0)
