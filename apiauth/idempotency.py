"""``Idempotency-Key`` on creating requests and ``ETag``/``If-Match`` on updates.

Idempotency: the first successful (2xx) creating request is recorded per client and key, in the
same transaction as the write: its status and the id of the created object, never the response
body (which holds BSNs and names; issue 12, finding 16). A repeat with the same key and the same
request creates nothing and gets that status with the created object read again through the
view's normal serializer and scoping (so it shows the object as it is now, and a caller who can
no longer see it gets 404); the same key with another request gets 422. A request that failed
is not stored, so it may be retried with the same key.

ETag: a hash of the resource's representation. An update must send ``If-Match`` with the current
ETag (428 without, 412 when stale); the check and the write run under a row lock. ``If-Match: *``
("any version") is refused with 428: it would skip the lost-update protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response

from .models import ApiToken, IdempotencyKey

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyConflict(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik een nieuwe sleutel."
    )
    default_code = "idempotency_key_reused"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Stuur de ETag van de laatst gelezen versie mee in de If-Match-header.")
    default_code = "if_match_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "De gegevens zijn intussen gewijzigd. Haal ze opnieuw op en probeer het nog eens."
    )
    default_code = "stale_etag"


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))


def request_fingerprint(request) -> str:
    payload = f"{request.method}\n{request.path}\n{_canonical(request.data)}"
    return hashlib.sha256(payload.encode()).hexdigest()


def client_id(request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    return f"user:{request.user.pk}"


def idempotency_key(request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {IDEMPOTENCY_HEADER: _("Een Idempotency-Key heeft 1 tot 255 tekens.")},
            code="idempotency_key",
        )
    return key


class IdempotentCreateMixin:
    """For a ``ModelViewSet``-style ``create``: wrap it with the Idempotency-Key handling."""

    def create(self, request, *args, **kwargs):
        key = idempotency_key(request)
        if key is None:
            return super().create(request, *args, **kwargs)
        fingerprint = request_fingerprint(request)
        client = client_id(request)
        try:
            with transaction.atomic():
                # Lock the key's row if it exists; a concurrent first request with the same key
                # blocks on the unique index below until the first one commits.
                stored = IdempotencyKey.objects.select_for_update().filter(client=client, key=key)
                replay = self._idempotent_replay(stored.first(), fingerprint)
                if replay is not None:
                    return replay
                response = super().create(request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    try:
                        with transaction.atomic():
                            IdempotencyKey.objects.create(
                                client=client,
                                key=key,
                                method=request.method,
                                path=request.path[:255],
                                request_hash=fingerprint,
                                response_status=response.status_code,
                                object_id=_created_id(response),
                            )
                    except IntegrityError as exc:
                        raise _LostRace from exc  # undo our write, answer with the winner's
                return response
        except _LostRace:
            replay = self._idempotent_replay(
                IdempotencyKey.objects.filter(client=client, key=key).first(), fingerprint
            )
            if replay is None:
                raise
            return replay

    def _idempotent_replay(self, stored: IdempotencyKey | None, fingerprint: str):
        if stored is None:
            return None
        if stored.request_hash != fingerprint:
            raise IdempotencyConflict()
        # read the created object again, scoped to the caller, with the read serializer
        instance = self.get_queryset().filter(pk=stored.object_id).first()
        if instance is None:
            raise NotFound(_("Het eerder aangemaakte object is niet (meer) beschikbaar."))
        serializers = getattr(self, "serializers", None) or {}
        serializer_class = serializers.get("default") or self.get_serializer_class()
        data = serializer_class(instance, context=self.get_serializer_context()).data
        response = Response(data, status=stored.response_status)
        response["Idempotent-Replayed"] = "true"
        return response


class _LostRace(Exception):
    pass


def _created_id(response) -> int:
    """The id of the object a creating response describes (every idempotent create has one)."""
    data = getattr(response, "data", None)
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise ImproperlyConfigured("An idempotent create must answer with the created 'id'.")
    return data["id"]


def etag_for(data) -> str:
    return '"' + hashlib.sha256(_canonical(data).encode()).hexdigest()[:40] + '"'


def check_if_match(request, current_etag: str) -> None:
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    if "*" in candidates:
        # "any version" would overwrite someone else's change unseen (issue 12, finding 16)
        raise PreconditionRequired(
            _("If-Match: * is niet toegestaan. Stuur de ETag van de laatst gelezen versie mee.")
        )
    if current_etag not in candidates:
        raise PreconditionFailed()


def idempotency_keys_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete stored idempotency responses older than ``older_than`` (a retry window of a day
    is what clients are promised in docs/api.md). Idempotent."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
