"""System checks: the deploy checks (``manage.py check --deploy``) for the security settings of
issue #6, and the API key lifetimes."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_check(app_configs=None, **kwargs):
    if settings.TWO_FACTOR_ENFORCED or settings.DEMO_MODE:
        return []
    return [
        Warning(
            "Two-factor login is off outside demo mode.",
            hint="Set TWO_FACTOR_ENFORCED=1 or use config.settings.production (docs/security.md).",
            id="common.W001",
        )
    ]


@register(Tags.security, deploy=True)
def lockout_check(app_configs=None, **kwargs):
    if getattr(settings, "AXES_ENABLED", True) and settings.AXES_FAILURE_LIMIT <= 10:
        return []
    return [
        Warning(
            "Login lockout is off or allows more than 10 failures.",
            hint="Keep AXES_ENABLED on and AXES_FAILURE_LIMIT at 10 or less.",
            id="common.W002",
        )
    ]


@register(Tags.security)
def api_token_lifetime_check(app_configs=None, **kwargs):
    """A default key lifetime beyond the longest would issue keys that stop before the date the
    beheer page shows (``ApiTokenQuerySet.active``)."""
    default, longest = (
        settings.API_TOKEN_DEFAULT_LIFETIME_DAYS,
        settings.API_TOKEN_MAX_LIFETIME_DAYS,
    )
    if 0 < default <= longest:
        return []
    return [
        Error(
            f"API_TOKEN_DEFAULT_LIFETIME_DAYS ({default}) must be between 1 and "
            f"API_TOKEN_MAX_LIFETIME_DAYS ({longest}).",
            hint="Lower API_TOKEN_DEFAULT_LIFETIME_DAYS or raise API_TOKEN_MAX_LIFETIME_DAYS "
            "(docs/configuration.md).",
            id="common.E001",
        )
    ]
