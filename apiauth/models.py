"""Service accounts, scoped API tokens, idempotency keys and caseload import jobs.

A token is stored only as the SHA-256 of its secret; the secret is shown once, when issued.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ServiceAccount(models.Model):
    """A non-personal account for a connected system (benefits administration, data warehouse,
    UWV, werkgeversservicepunt). It cannot log in; it acts through its tokens, on the residents
    of one municipality."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="service_account",
    )
    municipality = models.ForeignKey(
        "caseload.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="service_accounts",
    )
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("serviceaccount")
        verbose_name_plural = _("serviceaccounts")

    def __str__(self) -> str:
        return self.user.username


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(
        _("voorvoegsel"),
        max_length=12,
        unique=True,
        help_text=_("Herkenbaar begin van de sleutel."),
    )
    key_hash = models.CharField(_("SHA-256 van de sleutel"), max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=40), verbose_name=_("scopes"), default=list)
    municipality = models.ForeignKey(
        "caseload.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Beperkt de sleutel tot de inwoners van deze gemeente."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyKey(models.Model):
    """The first successful response to a creating request with an ``Idempotency-Key`` header."""

    client = models.CharField(_("client"), max_length=40, help_text=_("token:<id> of user:<id>."))
    key = models.CharField(_("sleutel"), max_length=255)
    method = models.CharField(_("methode"), max_length=10)
    path = models.CharField(_("pad"), max_length=255)
    request_hash = models.CharField(_("hash van het verzoek"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("statuscode"))
    response_body = models.JSONField(_("antwoord"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotentiesleutel")
        verbose_name_plural = _("idempotentiesleutels")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_client_key"),
        ]


class ImportJob(models.Model):
    """A bulk import of residents, households and benefits, run by a Celery task.

    The uploaded file is kept only until the job has run (it contains BSNs)."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("In de wachtrij")
        RUNNING = "bezig", _("Bezig")
        SUCCEEDED = "geslaagd", _("Geslaagd")
        FAILED = "mislukt", _("Mislukt, niets ingelezen")

    municipality = models.ForeignKey(
        "caseload.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content = models.BinaryField(_("inhoud"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("aantal regels"), default=0)
    processed_rows = models.PositiveIntegerField(_("verwerkte regels"), default=0)
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gestart door"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("importtaak")
        verbose_name_plural = _("importtaken")
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
