"""Token authentication for service accounts: ``Authorization: Bearer <key>`` (or ``Token``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash

#: how often ``last_used_at`` is written at most (avoid a write per request)
LAST_USED_RESOLUTION_SECONDS = 300


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige Authorization-header."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel.")) from exc
        token = (
            ApiToken.objects.active()
            .select_related("user", "user__service_account", "created_by", "approved_by")
            .filter(key_hash=token_hash(secret))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        if not token.is_approved:
            # a key with a resident-data scope works only after the privacy officer's approval
            raise exceptions.AuthenticationFailed(
                _(
                    "Deze API-sleutel is (nog) niet goedgekeurd door de privacyfunctionaris "
                    "en geeft geen toegang."
                ),
                code="token_not_approved",
            )
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # the processing log names who answers for this key (privacy.services._who)
        token.user.processing_accountable = token.accountable
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
