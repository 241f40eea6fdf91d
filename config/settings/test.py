"""Test settings: real PostgreSQL and Redis (embedded when no URL is given)."""

import atexit
import shutil
import tempfile

from common import embedded

# An unset DATABASE_URL/REDIS_URL starts an embedded server (tests only; issue 16, point 1). Each
# process (also each pytest-xdist worker) gets a Redis of its own: caches and throttles of one
# worker's test users never meet another's.
with embedded.urls_in_environment():
    from .base import *  # noqa: F403
    from .base import DATABASES, env

DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Concurrent test runs in one checkout (helpers, CI shards) each name their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_caseload")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Two-factor login is off for the suite (tests log in with force_login); tests/security turn it
# on with the ``settings`` fixture and prove the redirect, the refused and the accepted code.
TWO_FACTOR_ENFORCED = False
# e-mail stays in memory (django.core.mail.outbox), whatever EMAIL_URL says
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A fixed, public key for the processing log's seal (test only; production must set its own).
PROCESSING_LOG_HMAC_KEY = env.str(
    "PROCESSING_LOG_HMAC_KEY", default="test-only-processing-log-key-not-a-secret"
)
# Checkpoints of this test run's log go to a fresh directory (a test database starts empty),
# removed when the process that made it ends.
PROCESSING_LOG_CHECKPOINT_DIR = env.str("PROCESSING_LOG_CHECKPOINT_DIR", default="")
if not PROCESSING_LOG_CHECKPOINT_DIR:
    PROCESSING_LOG_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="caseload-checkpoints-")
    atexit.register(shutil.rmtree, PROCESSING_LOG_CHECKPOINT_DIR, ignore_errors=True)
