"""The cross-cutting tables. ``FormSubmission``: a page's form submitted once, whatever the
clicks (``common.double_submit``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """One submit of a page's form, by its hidden ``form_nonce`` (new on every render): the
    second POST of the same form (a double click, a resend after a slow answer) is answered with
    the first one's redirect instead of doing the write again. No personal data: the user, the
    SHA-256 of the nonce, a digest of the content keyed with the nonce itself (which is not
    stored, so the digest cannot be tried against BSNs) and the address the first answer led
    to. Kept a day (``common.form_submissions_purge``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: SHA-256 of the form's nonce (``common.double_submit.nonce_key``)
    nonce = models.CharField(_("formuliersleutel"), max_length=64)
    #: keyed digest of what was sent (``common.double_submit.content_digest``): the same form
    #: sent again with other content (a search form reached by the browser's back button) is
    #: a new submit, not a repeat
    digest = models.CharField(_("inhoudssleutel"), max_length=64, default="")
    location = models.CharField(_("doorverwezen naar"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("verzonden op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("formulierinzending")
        verbose_name_plural = _("formulierinzendingen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "nonce", "digest"], name="form_submission_user_nonce_digest"
            )
        ]
