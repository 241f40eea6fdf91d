"""Production settings: every secret from the environment, hardened transport."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_MODE = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
# Two-factor login cannot be switched off in production (only demo mode may, see base.py).
TWO_FACTOR_ENFORCED = True
# The lockout counts per username and client address (issue 12, finding 9). Behind the reverse
# proxies REMOTE_ADDR is the proxy, so django-axes resolves the client with django-ipware
# (without it axes silently falls back to REMOTE_ADDR: fail at start-up instead). Each proxy
# appends the address it saw to X-Forwarded-For, so with N proxies in front the client is the
# N-th entry from the right; entries further left come from the client itself and are ignored.
# ipware counts only the proxies listed in the header (N - 1), and non-strict lets the client
# prepend entries without invalidating the chain.
import ipware  # noqa: E402, F401

_proxies = env.int("AXES_PROXY_COUNT", default=1)  # not a setting: axes deprecated that name
if _proxies > 0:
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = _proxies - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
