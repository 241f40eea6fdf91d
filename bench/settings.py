"""Settings for the benchmark server: production-like (DEBUG off, cached templates), plain HTTP.

Used by ``bench/run.py`` for seed_demo, gunicorn and the Celery worker; the database and Redis
come from ``DATABASE_URL``/``REDIS_URL`` (a throwaway ``bench_*`` database, a private Redis).
"""

from common import embedded

# bench/run.py hands DATABASE_URL/REDIS_URL to its children; run alone, an unset one is embedded.
with embedded.urls_in_environment():
    from config.settings.base import *  # noqa: F403
    from config.settings.base import env

DEBUG = False
# A fixed, public key for the processing log's seal (bench only: a throwaway database; production
# must set its own). Without a key the system check privacy.E001 stops seed_demo and gunicorn.
PROCESSING_LOG_HMAC_KEY = env.str(
    "PROCESSING_LOG_HMAC_KEY", default="bench-only-processing-log-key-not-a-secret"
)
DEMO_MODE = True  # seed_demo loads the demo municipality into the throwaway database
# Static files straight from the finders (no collectstatic step on a fresh machine).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
# One API token serves all simulated users: lift the per-client throttle so the load test
# measures the API, not the 429s (set API_THROTTLE_RATE to measure throttling instead).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "client": env.str("API_THROTTLE_RATE", default="1000000/minute"),
        "bsn_search": env.str("API_BSN_SEARCH_RATE", default="1000000/minute"),
    },
}
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
