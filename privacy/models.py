"""The processing log (verwerkingenlog), break-the-glass grants and retention bookkeeping.

The log table is append-only: a PostgreSQL trigger (migration 0002) refuses UPDATE, DELETE and,
outside test databases, TRUNCATE. Every record carries the SHA-256 of its predecessor's hash and
its own canonical content, so a changed or removed row breaks the chain
(``manage.py verify_processing_log``). A record never holds a BSN or a resident id: residents
are named by a keyed pseudonym (:func:`privacy.pseudonym.resident_pseudonym`).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .routes import route_label


class Action(models.TextChoices):
    READ = "read", _("Inzien")
    CREATE = "create", _("Aanmaken")
    UPDATE = "update", _("Wijzigen")
    DELETE = "delete", _("Verwijderen")
    EXPORT = "export", _("Exporteren")
    SEARCH = "search", _("Zoeken / lijst")
    ANONYMISE = "anonymise", _("Anonimiseren")


class Purpose(models.TextChoices):
    """Verwerkingsdoelen (processing purposes)."""

    SERVICE = "dienstverlening", _("Uitvoering Participatiewet (dienstverlening en re-integratie)")
    BREAK_GLASS = "doorbraak", _("Inzage buiten eigen team (doorbraak)")
    POLICY = "sturing", _("Sturing en verantwoording (indicatoren)")
    ADMINISTRATION = "beheer", _("Functioneel en technisch beheer")
    RETENTION = "bewaartermijn", _("Bewaartermijn verstreken")
    SUBJECT_ACCESS = "inzageverzoek", _("Inzageverzoek (AVG artikel 15)")
    SUPERVISION = "toezicht", _("Toezicht op de verwerking (privacy officer)")
    REGISTRATION_CHECK = "registratiecontrole", _("Registratiecontrole (bestaat dit BSN al)")


class ProcessingRecord(models.Model):
    """One processing of residents' data: who, when, what, which residents, why."""

    occurred_at = models.DateTimeField(_("tijdstip (UTC)"))
    user_id = models.BigIntegerField(_("medewerker-id"), null=True, blank=True)
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    role = models.CharField(_("rol"), max_length=20, blank=True)
    team_id = models.BigIntegerField(_("team-id"), null=True, blank=True)
    team_name = models.CharField(_("team"), max_length=100, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=60)
    object_id = models.CharField(_("id gegeven"), max_length=64, blank=True)
    subjects = ArrayField(
        models.CharField(max_length=64),
        verbose_name=_("inwoners (pseudoniem)"),
        default=list,
        blank=True,
    )
    purpose = models.CharField(_("doel"), max_length=30, choices=Purpose.choices)
    reason = models.TextField(_("opgegeven reden"), blank=True)
    break_glass = models.BooleanField(_("doorbraak"), default=False)
    route = models.CharField(_("route"), max_length=200, blank=True)
    method = models.CharField(_("methode"), max_length=10, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True)
    #: who answers for a processing done by a service account: the requester and approver of
    #: its API key (set by the token authentication as ``user.processing_accountable``)
    accountable = models.CharField(
        _("verantwoordelijk (aanvrager/goedkeurder)"), max_length=300, blank=True
    )
    #: the id of the HMAC key that sealed ``hash`` (``PROCESSING_LOG_HMAC_KEYS``); empty for
    #: records written before the keyed chain (unkeyed SHA-256, checked under the old rule)
    key_id = models.CharField(_("sleutel-id"), max_length=32, blank=True)
    prev_hash = models.CharField(_("hash vorige"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingenlog")
        ordering = ["-id"]
        indexes = [
            GinIndex(fields=["subjects"], name="privacy_record_subjects_gin"),
            models.Index(fields=["user_id", "-id"], name="privacy_record_user"),
            models.Index(fields=["break_glass", "occurred_at"], name="privacy_record_glass"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=Action.values), name="record_action"),
            models.CheckConstraint(condition=Q(purpose__in=Purpose.values), name="record_purpose"),
            models.CheckConstraint(
                condition=Q(break_glass=False) | ~Q(reason=""), name="record_glass_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}"

    @property
    def route_label(self) -> str:
        """The page, API operation or task of ``route`` in Dutch (:mod:`privacy.routes`)."""
        return route_label(self.route)


class BreakGlassGrant(models.Model):
    """Temporary access to one dossier outside the user's own team, with the typed reason."""

    user = models.ForeignKey(
        "caseload.User", verbose_name=_("medewerker"), on_delete=models.PROTECT, related_name="+"
    )
    user_team = models.ForeignKey(
        "caseload.Team",
        verbose_name=_("team van de medewerker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "caseload.Resident", verbose_name=_("inwoner"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reden"))
    granted_at = models.DateTimeField(_("toegang verleend op"))
    expires_at = models.DateTimeField(_("toegang verloopt op"))
    #: the privacy officer's review of the access afterwards (the walk of 4 December: the list
    #: had no way to mark an entry reviewed)
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "caseload.User",
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("bevinding"), blank=True)

    class Meta:
        verbose_name = _("doorbraak")
        verbose_name_plural = _("doorbraken")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "resident", "-expires_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="glass_reason_required"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at")), name="glass_expires_after_grant"
            ),
            # a review is all three (who, when, a finding that is not just blanks) or none
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True, review_note="")
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False, review_note__regex=r"\S"),
                name="glass_review_complete",
            ),
        ]


class AnonymisedResident(models.Model):
    """A resident whose dossier was anonymised when the retention period ended."""

    resident = models.OneToOneField(
        "caseload.Resident", on_delete=models.PROTECT, related_name="+", primary_key=True
    )
    last_closed_on = models.DateField(_("dossier gesloten op"))
    destruction_due_on = models.DateField(_("bewaartermijn verstreken op"))
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"))

    class Meta:
        verbose_name = _("geanonimiseerde inwoner")
        verbose_name_plural = _("geanonimiseerde inwoners")
