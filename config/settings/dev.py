"""Local development (``make run``): demo logins; Django's debug pages with DJANGO_DEBUG=1."""

from common import embedded

# An unset DATABASE_URL/REDIS_URL starts an embedded server (development only; issue 16, point 1).
with embedded.urls_in_environment():
    from .base import *  # noqa: F403
    from .base import env

# Debug off by default: `make run` is also the demo a new user walks through, who should get the
# product's Dutch error pages, not Django's debug page listing every URL (DJANGO_DEBUG=1 for
# developing). Static files are served from the finders, so no collectstatic is needed.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# demo mode (the default here) switches two-factor login off; the banner on every page says so
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=not DEMO_MODE)
# e-mail (password reset links) is printed on the console unless EMAIL_URL says otherwise
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A fixed, public key for the processing log's seal (dev only; production must set its own).
PROCESSING_LOG_HMAC_KEY = env.str(
    "PROCESSING_LOG_HMAC_KEY", default="dev-only-processing-log-key-not-a-secret"
)
# The BRP simulator that `make run` starts (Procfile `brp`: manage.py brp_simulator --port 8001),
# with a fixed, public key (dev only).
BRP_BASE_URL = env.str("BRP_BASE_URL", default="http://127.0.0.1:8001/haalcentraal/api/brp")
BRP_API_KEY = env.str("BRP_API_KEY", default="dev-only-brp-simulator-key")
