"""A page's form does its write once, however often it is sent (the fault run of 3 December:
two POSTs of one contact form, 0.3 s apart while Redis was slow, recorded two contacts; an
outflow sent twice counts twice toward the 267).

Every POST form rendered with ``{% csrf_token %}`` carries a hidden ``form_nonce`` too
(``{% form_nonce %}``, a built-in tag: ``common.templatetags.form_nonce``), new on every render.
:class:`DoubleSubmitMiddleware` records (user, nonce, digest of the content) before the view runs
(a unique row: of two concurrent sends only one gets it; the same form sent with other content,
a search form reused after the back button, is a submit of its own). The first send runs the view: when it answers with a
redirect (the write was done) the row keeps where it led; otherwise (the form came back with an
error, or the view failed) the row goes, so the same form can be sent again. A repeat is not run:
it waits for the first to finish (at most :data:`WAIT_SECONDS`) and is answered with the first's
redirect and the message that the form was processed once. A POST without a nonce (the API, a
test client, a form of another site) passes unguarded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_nonce"
_NONCE = re.compile(r"[0-9a-f]{32}")
#: how long a repeat waits for the first send to finish before it gives up (a double click's
#: first send is done well within it; a longer wait would hold a web thread in the slow backend
#: that makes people click twice)
WAIT_SECONDS = 3.0


class DoubleSubmitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = self._nonce(request)
        if nonce is None:
            return self.get_response(request)
        key, digest = nonce_key(nonce), content_digest(request, nonce)
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(
                    user=request.user, nonce=key, digest=digest
                )
        except IntegrityError:
            return self._repeat(request, key, digest)
        try:
            response = self.get_response(request)
        except BaseException:
            FormSubmission.objects.filter(pk=submission.pk).delete()
            raise
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        if location:
            FormSubmission.objects.filter(pk=submission.pk).update(location=location[:500])
        else:
            FormSubmission.objects.filter(pk=submission.pk).delete()
        return response

    @staticmethod
    def _nonce(request: HttpRequest) -> str | None:
        if request.method != "POST" or not getattr(request, "user", None):
            return None
        if not request.user.is_authenticated:
            return None
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None  # the API's JSON, which has its Idempotency-Key
        nonce = request.POST.get(FIELD, "")
        return nonce if _NONCE.fullmatch(nonce) else None

    def _repeat(self, request: HttpRequest, key: str, digest: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = FormSubmission.objects.filter(
                user=request.user, nonce=key, digest=digest
            ).first()
            if first is None:  # the first send came back with an error: this one runs
                return self(request)
            if first.location:
                messages.info(
                    request,
                    _("Dit formulier was al verzonden; het is één keer afgehandeld."),
                )
                return HttpResponseRedirect(first.location)
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        messages.warning(
            request,
            _(
                "Dit formulier wordt nog verwerkt. Kijk zo of het is vastgelegd voordat u het "
                "opnieuw verstuurt."
            ),
        )
        referer = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return HttpResponseRedirect(referer if safe else "/")


#: fields left out of the digest: the per-render tokens, and secrets (a password change)
_UNHASHED = {"csrfmiddlewaretoken", FIELD}
_SECRET = re.compile(r"password|wachtwoord|token|otp", re.IGNORECASE)


def nonce_key(nonce: str) -> str:
    """What is stored of the nonce: its SHA-256, so that the row holds nothing the digest could
    be recomputed with."""
    return hashlib.sha256(nonce.encode()).hexdigest()


def content_digest(request: HttpRequest, nonce: str) -> str:
    """A digest of the address and what was sent (every field but the tokens and secrets, and
    each file's name and content), keyed with the nonce itself: the same form sent twice with
    the same content has the same digest, with other content (a search form reused after the
    back button, a corrected file of the same size) it is another submit. The nonce is not
    stored (:func:`nonce_key`), so a stored digest cannot be tried against the BSNs a search
    form may have held."""
    parts = [request.path]
    for key in sorted(request.POST):
        if key in _UNHASHED or _SECRET.search(key):
            continue
        parts.extend(f"{key}={value}" for value in request.POST.getlist(key))
    for key in sorted(request.FILES):
        for upload in request.FILES.getlist(key):
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)  # the view reads it from the start
            parts.append(f"{key}:{upload.name}:{content.hexdigest()}")
    message = "\x1f".join(parts).encode()
    return hmac.new(nonce.encode(), message, hashlib.sha256).hexdigest()


def form_submissions_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Forget the submits older than a day (a form left open longer gets a new nonce when it is
    rendered again anyway), as ``apiauth.idempotency.idempotency_keys_purge`` forgets the API's
    keys. The number deleted."""
    deleted, _ = FormSubmission.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
