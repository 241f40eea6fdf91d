"""The keyed pseudonym that names a resident in the processing log.

``HMAC-SHA256(key, "resident:<id>")``: stable for the life of the record (a corrected BSN or an
anonymised dossier keeps its pseudonym), not reversible without the key, and never the BSN. The
key comes from the setting or environment variable ``PRIVACY_PSEUDONYM_KEY``; without one it is
derived from ``SECRET_KEY`` (rotating SECRET_KEY then changes every pseudonym, so production sets
its own key; docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym_key() -> bytes:
    key = settings.PRIVACY_PSEUDONYM_KEY
    if key:
        return key.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"privacy.processing-log.pseudonym", hashlib.sha256
    ).digest()


def resident_pseudonym(resident_id: int) -> str:
    return hmac.new(
        pseudonym_key(), f"resident:{int(resident_id)}".encode(), hashlib.sha256
    ).hexdigest()


def person_pseudonym(bsn: str) -> str:
    """The keyed pseudonym of a person who is not (yet) a resident, by BSN: a BRP look-up of
    someone the registration then abandons is found by the privacy officer's search by BSN,
    and lands in the person's log and inzage once they are registered (security review of
    3 December, finding 4). ``HMAC-SHA256(key, "person:<bsn>")``, never the BSN itself."""
    return hmac.new(pseudonym_key(), f"person:{bsn}".encode(), hashlib.sha256).hexdigest()
