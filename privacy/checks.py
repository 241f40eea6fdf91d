"""System checks of the processing log's seal (docs/privacy.md, section 2).

Without ``PROCESSING_LOG_HMAC_KEY`` the log cannot be sealed: an error, so ``migrate`` (the
deployment's ``setup``), ``runserver`` and ``check`` refuse to start; every log write fails
closed as well (:func:`privacy.chain.current_key`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIN_KEY_LENGTH = 32


@register()
def processing_log_key_check(app_configs=None, **kwargs):
    if not settings.PROCESSING_LOG_HMAC_KEY:
        return [
            Error(
                "PROCESSING_LOG_HMAC_KEY is not set: the processing log cannot be sealed.",
                hint="Set a random key of at least 32 characters in the environment, kept out "
                "of the database and its backups (docs/privacy.md).",
                id="privacy.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def processing_log_key_deploy_check(app_configs=None, **kwargs):
    key = settings.PROCESSING_LOG_HMAC_KEY
    if not key:
        return []
    if len(key) < MIN_KEY_LENGTH or key in (settings.SECRET_KEY, settings.PRIVACY_PSEUDONYM_KEY):
        return [
            Warning(
                "PROCESSING_LOG_HMAC_KEY is short or shared with another key.",
                hint="Use its own random key of at least 32 characters.",
                id="privacy.W001",
            )
        ]
    return []
