"""Writes for service accounts, tokens and import jobs (keyword-only, atomic, DomainError)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from caseload.models import Municipality, Role, User
from common.exceptions import DomainError
from common.jobs import job_send_after_commit

from . import tasks
from .idempotency import idempotency_keys_purge  # noqa: F401 (importable from the services)
from .models import ApiToken, ImportJob, ServiceAccount, token_hash
from .scopes import needs_approval, validate_scopes

TOKEN_PREFIX = "wi_"  # noqa: S105 - a visible prefix, not a secret
#: the privacy officer's permission (privacy.permissions; named, not imported: services do not
#: import privacy)
PRIVACY_OFFICER = "privacy.view_processing_log"


@transaction.atomic
def service_account_create(
    *, username: str, municipality: Municipality, description: str = ""
) -> User:
    """A user that cannot log in (unusable password) with the aggregate role ``manager``: its
    dossier access comes only from the service account's municipality and the token scopes."""
    username = (username or "").strip()
    if not username:
        raise DomainError("Geef een gebruikersnaam.", code="username", field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(
            "Deze gebruikersnaam bestaat al.", code="username_exists", field="username"
        )
    user = User(username=username, role=Role.MANAGER, first_name=description[:150])
    user.set_unusable_password()
    user.save()
    ServiceAccount.objects.create(user=user, municipality=municipality, description=description)
    return user


@transaction.atomic
def token_issue_for_new_account(
    *,
    username: str,
    municipality: Municipality,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new service account and its first key, in one transaction: a key that is refused
    (a past expiry date, a scope) leaves no account behind (the walk of 3 December)."""
    user = service_account_create(username=username, municipality=municipality, description=name)
    return token_issue(
        user=user,
        name=name,
        scopes=scopes,
        created_by=created_by,
        municipality=municipality,
        expires_at=expires_at,
    )


@transaction.atomic
def token_issue(
    *,
    user: User,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    municipality: Municipality | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is not stored and shown only once.

    A token with a resident-data scope is created *pending*: it authenticates nothing until a
    privacy officer other than ``created_by`` approves it (``token_approve``). Without an
    ``expires_at`` the token expires after ``API_TOKEN_DEFAULT_LIFETIME_DAYS``."""
    try:
        scopes = validate_scopes(scopes)
    except ValueError as exc:
        raise DomainError(f"Onbekende scope: {exc}.", code="scope", field="scopes") from exc
    if not scopes:
        raise DomainError("Kies ten minste één scope.", code="scope_required", field="scopes")
    if not (name or "").strip():
        raise DomainError("Geef de sleutel een naam.", code="name", field="name")
    if not user.is_active:
        raise DomainError("Dit account is niet actief.", code="inactive", field="user")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(
            "De vervaldatum moet in de toekomst liggen.", code="expires_at", field="expires_at"
        )
    longest = settings.API_TOKEN_MAX_LIFETIME_DAYS
    if expires_at is not None and expires_at > timezone.now() + dt.timedelta(days=longest):
        # every key expires (docs/api.md): 1-1-2099 was accepted (the walk of 4 December)
        raise DomainError(
            f"Een sleutel verloopt binnen {longest} dagen; kies een eerdere vervaldatum.",
            code="expires_at",
            field="expires_at",
        )
    if expires_at is None:
        expires_at = timezone.now() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_LIFETIME_DAYS)
    service_account = ServiceAccount.objects.filter(user=user).first()
    if service_account is not None:
        if municipality is not None and municipality.pk != service_account.municipality_id:
            raise DomainError(
                "Het serviceaccount hoort bij een andere gemeente.",
                code="municipality",
                field="municipality",
            )
        municipality = service_account.municipality
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        key_hash=token_hash(secret),
        scopes=scopes,
        municipality=municipality,
        created_by=created_by,
        expires_at=expires_at,
        approval=(
            ApiToken.Approval.PENDING if needs_approval(scopes) else ApiToken.Approval.NOT_REQUIRED
        ),
    )
    return token, secret


def _decide(*, token: ApiToken, by: User, approval: str) -> ApiToken:
    # the privacy officer (privacy.view_processing_log), never a superuser: the approval is the
    # second pair of eyes next to the technical and functional administrators
    if getattr(by, "is_superuser", False) or not by.has_perm(PRIVACY_OFFICER):
        raise DomainError(
            "Alleen de privacyfunctionaris beoordeelt API-sleutels.", code="not_privacy_officer"
        )
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.approval != ApiToken.Approval.PENDING:
        raise DomainError("Deze sleutel is al beoordeeld.", code="token_decided")
    if not token.is_active:
        raise DomainError("Deze sleutel is ingetrokken of verlopen.", code="token_inactive")
    if token.created_by_id is not None and token.created_by_id == by.pk:
        raise DomainError(
            "U kunt een sleutel die u zelf heeft aangevraagd niet beoordelen (vier ogen).",
            code="four_eyes",
        )
    if token.user_id == by.pk:
        raise DomainError(
            "U kunt een sleutel voor uw eigen account niet beoordelen (vier ogen).",
            code="four_eyes",
        )
    token.approval = approval
    token.approved_by = by
    token.approved_at = timezone.now()
    token.save(update_fields=["approval", "approved_by", "approved_at"])
    return token


@transaction.atomic
def token_approve(*, token: ApiToken, by: User) -> ApiToken:
    """The privacy officer's approval (four eyes) of a pending key with a resident-data scope."""
    return _decide(token=token, by=by, approval=ApiToken.Approval.APPROVED)


@transaction.atomic
def token_reject(*, token: ApiToken, by: User) -> ApiToken:
    """The privacy officer refuses a pending key; it never authenticates."""
    return _decide(token=token, by=by, approval=ApiToken.Approval.REJECTED)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def import_job_create(
    *, municipality: Municipality, filename: str, content: bytes, by: User
) -> ImportJob:
    """Store the upload and queue the import after commit (the task takes the job id)."""
    if not content:
        raise DomainError("Het bestand is leeg.", code="empty", field="file")
    lowered = filename.lower()
    if not (lowered.endswith(".csv") or lowered.endswith(".xlsx")):
        raise DomainError("Kies een CSV- of XLSX-bestand.", code="file_type", field="file")
    job = ImportJob.objects.create(
        municipality=municipality, filename=filename[:200], content=content, created_by=by
    )
    job_send_after_commit(tasks.caseload_import_job_run, job.pk)
    return job
