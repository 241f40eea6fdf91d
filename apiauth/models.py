"""Service accounts, scoped API tokens, idempotency keys and caseload import jobs.

A token is stored only as the SHA-256 of its secret; the secret is shown once, when issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.importers import COUNT_LABELS
from common.jobs import Job, job_status_field

from .scopes import RESIDENT_SCOPES


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
        """Not revoked, not expired (approval is checked separately, to say why it fails).

        A key also stops ``API_TOKEN_MAX_LIFETIME_DAYS`` after it was issued, whatever its
        ``expires_at`` says: a key issued before that limit existed (an expiry of 1-1-2099
        was accepted) or written past the service does not outlive it."""
        now = timezone.now()
        return self.filter(
            revoked_at__isnull=True,
            created_at__gt=now - dt.timedelta(days=settings.API_TOKEN_MAX_LIFETIME_DAYS),
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def pending(self) -> ApiTokenQuerySet:
        return self.active().filter(approval=ApiToken.Approval.PENDING)


class ApiToken(models.Model):
    """A key of an account. A key with a resident-data scope (``apiauth.scopes.RESIDENT_SCOPES``)
    authenticates only after the privacy officer approved it (four eyes: never the requester);
    the database refuses such a key marked "no approval needed" and an approval by its
    requester."""

    class Approval(models.TextChoices):
        NOT_REQUIRED = "niet_nodig", _("Niet nodig (geen inwonergegevens)")
        PENDING = "wacht", _("Wacht op goedkeuring")
        APPROVED = "goedgekeurd", _("Goedgekeurd")
        REJECTED = "afgewezen", _("Afgewezen")

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
    approval = models.CharField(
        _("goedkeuring"), max_length=12, choices=Approval.choices, default=Approval.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("De privacyfunctionaris die de sleutel goedkeurde of afwees."),
    )
    approved_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
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
            # a key that reads or writes residents always goes through the privacy officer
            models.CheckConstraint(
                condition=~Q(approval="niet_nodig") | ~Q(scopes__overlap=RESIDENT_SCOPES),
                name="apitoken_resident_scope_needs_approval",
            ),
            # decided keys name who decided and when; undecided keys name nobody
            models.CheckConstraint(
                condition=(
                    Q(
                        approval__in=["goedgekeurd", "afgewezen"],
                        approved_by__isnull=False,
                        approved_at__isnull=False,
                    )
                    | Q(
                        approval__in=["niet_nodig", "wacht"],
                        approved_by__isnull=True,
                        approved_at__isnull=True,
                    )
                ),
                name="apitoken_approval_names_decider",
            ),
            # four eyes: the requester never approves their own key
            models.CheckConstraint(
                condition=Q(created_by__isnull=True)
                | Q(approved_by__isnull=True)
                | ~Q(approved_by=F("created_by")),
                name="apitoken_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Not revoked and not expired (it may still wait for approval: see ``is_usable``)."""
        if self.revoked_at is not None:
            return False
        now = timezone.now()
        if self.created_at is not None and self.created_at <= now - dt.timedelta(
            days=settings.API_TOKEN_MAX_LIFETIME_DAYS
        ):
            return False
        return self.expires_at is None or self.expires_at > now

    @property
    def is_approved(self) -> bool:
        return self.approval in (self.Approval.NOT_REQUIRED, self.Approval.APPROVED)

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.is_approved

    @property
    def accountable(self) -> str:
        """Who answers for what is done with this key, for the processing log (Dutch)."""
        requested = self.created_by.get_username() if self.created_by else "opdrachtregel"
        if self.approval == self.Approval.APPROVED and self.approved_by is not None:
            approved = f"goedgekeurd door {self.approved_by.get_username()}"
        else:
            approved = "zonder goedkeuring (geen inwonergegevens)"
        return (
            f"{self.user.get_username()} via sleutel {self.prefix} ({self.name}), "
            f"aangevraagd door {requested}, {approved}"
        )[:300]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyKey(models.Model):
    """The first successful answer to a creating request with an ``Idempotency-Key`` header.

    No personal data: only the status and the id of the created object are kept (issue 12,
    finding 16); a repeat reads that object again through the view's normal serializer."""

    client = models.CharField(_("client"), max_length=40, help_text=_("token:<id> of user:<id>."))
    key = models.CharField(_("sleutel"), max_length=255)
    method = models.CharField(_("methode"), max_length=10)
    path = models.CharField(_("pad"), max_length=255)
    request_hash = models.CharField(_("hash van het verzoek"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("statuscode"))
    object_id = models.BigIntegerField(_("id van het aangemaakte object"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotentiesleutel")
        verbose_name_plural = _("idempotentiesleutels")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_client_key"),
        ]


class ImportJob(Job):
    """A bulk import of residents, households and benefits, run by a Celery task (a
    :class:`common.jobs.Job`: status, progress in rows, errors, lease, timestamps).

    The uploaded file is kept only until the job has run (it contains BSNs). An import refused
    for its rows is *rejected*, one that crashed *failed*; the page names both "Mislukt, niets
    ingelezen"."""

    upload_fields = ("content",)  # deleted when the job ends, however (issue 13, finding 5)
    task_name = "apiauth.caseload_import_job_run"  # sent again when left queued

    status = job_status_field(
        rejected=_("Mislukt, niets ingelezen"), failed=_("Mislukt, niets ingelezen")
    )
    municipality = models.ForeignKey(
        "caseload.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content = models.BinaryField(_("inhoud"), null=True, blank=True, editable=False)
    progress_total = models.PositiveIntegerField(_("aantal regels"), default=0)
    progress_done = models.PositiveIntegerField(_("verwerkte regels"), default=0)
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gestart door"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)

    @classmethod
    def job_error(cls, message: str) -> dict:
        return {"line": 0, "column": None, "message": message}

    def summary_rows(self) -> list[tuple[str, int]]:
        """The counts of the result, each with its Dutch name (``caseload.importers``)."""
        return [(str(COUNT_LABELS.get(key, key)), value) for key, value in self.summary.items()]

    class Meta:
        verbose_name = _("importtaak")
        verbose_name_plural = _("importtaken")
        ordering = ["-created_at", "-id"]
