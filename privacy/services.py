"""Writes of the privacy app: break-the-glass grants, the officer's logged search and the
retention run (anonymisation).

Every function is keyword-only and atomic. The processing log itself is written by
:mod:`privacy.log`, the rules (who may break the glass, how long a dossier is kept) are in
:mod:`privacy.policy`; both are re-exported here for the callers that import them from the
services. The retention run anonymises each app's tables through the holders registered in
:mod:`common.personal_data`, so privacy imports no app but ``caseload`` (the resident).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.models import Resident
from common import clock
from common.bsn import bsn_complete
from common.exceptions import DomainError
from common.personal_data import ANONYMISED, personal_data_holders

from .chain import GENESIS_HASH, record_canonical, record_hash, record_seal
from .log import (
    CHAIN_LOCK_KEY,
    SYSTEM_USERNAME,
    ChainBreak,
    ChainReport,
    processing_log_verify,
    processing_record_write,
)
from .models import Action, AnonymisedResident, BreakGlassGrant, ProcessingRecord, Purpose
from .policy import (
    BREAK_GLASS_MIN_REASON,
    break_glass_allowed,
    break_glass_minutes,
    retention_years,
)
from .selectors import require_privacy_officer, retention_overdue

__all__ = [
    "ANONYMISED",
    "BREAK_GLASS_MIN_REASON",
    "CHAIN_LOCK_KEY",
    "GENESIS_HASH",
    "SYSTEM_USERNAME",
    "ChainBreak",
    "ChainReport",
    "break_glass_grant",
    "break_glass_minutes",
    "processing_log_search_record",
    "processing_log_verify",
    "processing_record_write",
    "record_canonical",
    "record_hash",
    "record_seal",
    "resident_anonymise",
    "retention_run",
    "retention_years",
]


# --- Break-the-glass --------------------------------------------------------------------------


def break_glass_grant(
    *,
    user,
    resident,
    reason: str,
    now: dt.datetime | None = None,
    route: str | None = None,
    method: str | None = None,
    request_id: str | None = None,
) -> BreakGlassGrant:
    """Open one dossier outside the user's team for a limited time, logged with the reason."""
    reason = " ".join((reason or "").split())
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise DomainError(
            _("Geef een reden van minstens %(n)s tekens.") % {"n": BREAK_GLASS_MIN_REASON},
            code="reason_too_short",
            field="reason",
        )
    if not break_glass_allowed(user=user, resident=resident):
        raise DomainError(
            _("U kunt dit dossier niet openen met een doorbraak."), code="not_allowed"
        )
    now = now or timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user,
            user_team_id=user.team_id,
            resident=resident,
            reason=reason,
            granted_at=now,
            expires_at=now + dt.timedelta(minutes=break_glass_minutes()),
        )
        processing_record_write(
            user=user,
            action=Action.CREATE,
            object_type="break_glass",
            object_id=grant.pk,
            resident_ids=[resident.pk],
            purpose=Purpose.BREAK_GLASS,
            reason=reason,
            break_glass=True,
            route=route,
            method=method,
            request_id=request_id,
        )
    return grant


def break_glass_review_record(*, grant_id: int, by, note: str) -> BreakGlassGrant:
    """The privacy officer records the review of one break-the-glass access afterwards: the
    finding (required) with who and when; once."""
    require_privacy_officer(by)
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Vul uw bevinding in, bijvoorbeeld: gerechtvaardigd, vervanging bij ziekte."),
            code="note_required",
            field="review_note",
        )
    with transaction.atomic():
        grant = BreakGlassGrant.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None:
            raise DomainError(_("Deze doorbraak bestaat niet."), code="not_found")
        if grant.reviewed_at is not None:
            raise DomainError(_("Deze doorbraak is al beoordeeld."), code="reviewed")
        now = clock.now()
        if grant.expires_at > now:
            # what is still done with the access would sit under a finished review
            raise DomainError(
                _("Deze toegang loopt nog tot %(t)s; beoordeel haar daarna.")
                % {"t": timezone.localtime(grant.expires_at).strftime("%H:%M")},
                code="still_open",
            )
        grant.reviewed_at = now
        grant.reviewed_by = by
        grant.review_note = note[:2000]
        grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        # the finding is written down as what it is: an update of that access, naming the
        # resident it was about (the security review of 4 December: it read as a search)
        processing_record_write(
            user=by,
            action=Action.UPDATE,
            object_type="break_glass",
            object_id=grant.pk,
            resident_ids=[grant.resident_id],
            purpose=Purpose.SUPERVISION,
        )
    return grant


def processing_log_search_record(
    *,
    user,
    resident_id: int | None,
    searched_by: str,
    route: str,
    method: str,
    request_id: str,
    person: str = "",
) -> ProcessingRecord:
    """The privacy officer searched the log for a resident (by BSN or resident number): one
    record, purpose toezicht, naming the found resident by pseudonym (none when nobody was
    found), or with ``person`` the pseudonym of a non-resident whose records were found by BSN
    (``privacy.pseudonym.person_pseudonym``). ``searched_by`` says how ("bsn" or
    "inwonernummer"); the value is never logged."""
    return processing_record_write(
        user=user,
        action=Action.SEARCH,
        object_type="processing_log_search",
        object_id=searched_by,
        resident_ids=[resident_id] if resident_id else [],
        subjects=[person] if person else [],
        purpose=Purpose.SUPERVISION,
        route=route,
        method=method,
        request_id=request_id,
    )


# --- Retention --------------------------------------------------------------------------------


def _anonymous_bsn(resident_id: int) -> str:
    """A valid (11-test) BSN in the fake 9-range that no other resident has."""
    n = resident_id
    while True:
        candidate = bsn_complete("99" + f"{n % 1_000_000:06d}")
        if (
            candidate is not None
            and not Resident.objects.filter(bsn=candidate).exclude(pk=resident_id).exists()
        ):
            return candidate
        n += 7919


def resident_anonymise(
    *, resident_id: int, last_closed_on: dt.date, due_on: dt.date, by=None
) -> bool:
    """Replace what identifies the resident; keep what the indicators count.

    Kept: ids, team, municipality, district, household type and size, benefit and payment
    periods and amounts, groups, trajectories, outflow facts, ladder steps, dates. Replaced: name,
    BSN (by a fake one), day of birth (first of the month), address (street, number, postcode
    letters), and every free-text note: the resident's row and the address here, every app's
    own tables by the anonymiser it registered (:mod:`common.personal_data`). Idempotent: an
    anonymised resident is skipped."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().filter(pk=resident_id).first()
        if resident is None or AnonymisedResident.objects.filter(resident_id=resident_id).exists():
            return False
        resident.first_name = ANONYMISED
        resident.name_prefix = ""
        resident.last_name = f"Inwoner {resident.pk}"
        resident.bsn = _anonymous_bsn(resident.pk)
        resident.is_fake = True
        resident.birth_date = resident.birth_date.replace(day=1)
        resident.save(
            update_fields=["first_name", "name_prefix", "last_name", "bsn", "is_fake", "birth_date"]
        )
        for holder in personal_data_holders():
            holder.anonymise(resident_id)
        others = Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident_id)
        if not others.exclude(pk__in=AnonymisedResident.objects.values("resident_id")).exists():
            household = resident.household
            household.street = ANONYMISED
            household.house_number = "0"
            household.postcode = household.postcode[:4] + " AA"
            household.save(update_fields=["street", "house_number", "postcode"])
        AnonymisedResident.objects.create(
            resident_id=resident_id,
            last_closed_on=last_closed_on,
            destruction_due_on=due_on,
            anonymised_at=timezone.now(),
        )
        processing_record_write(
            user=by,
            action=Action.ANONYMISE,
            object_type="resident",
            resident_ids=[resident_id],
            purpose=Purpose.RETENTION,
            route="privacy.retention_anonymise_overdue",
            method="",
            request_id="",
        )
    return True


def retention_run(*, today: dt.date | None = None) -> int:
    """Anonymise every dossier whose retention period ended before ``today``; safe to re-run."""
    today = today or clock.today()
    done = 0
    for row in retention_overdue(today=today):
        if resident_anonymise(
            resident_id=row.resident_id, last_closed_on=row.last_closed_on, due_on=row.due_on
        ):
            done += 1
    return done
