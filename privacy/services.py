"""Writes of the privacy app: processing records (hash-chained), break-the-glass grants, the
retention run (anonymisation) and the subject-access export's log record.

Every function is keyword-only and atomic. A processing record is written in the caller's
transaction: when it cannot be written, the caller's work is rolled back and nothing is served.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import DomainError

from . import context as pcontext
from .chain import (
    GENESIS_HASH,
    checkpoints_load,
    current_key,
    hmac_keys,
    record_canonical,
    record_hash,
    record_hmac,
    record_seal,
)
from .models import Action, AnonymisedResident, BreakGlassGrant, ProcessingRecord, Purpose
from .pseudonym import resident_pseudonym

__all__ = ["GENESIS_HASH", "record_canonical", "record_hash", "record_seal"]

#: pg_advisory_xact_lock key of the log's chain head ("privacy" in ASCII)
CHAIN_LOCK_KEY = 0x70726976616379
BREAK_GLASS_MIN_REASON = 20
SYSTEM_USERNAME = "systeem"


def break_glass_minutes() -> int:
    return settings.PRIVACY_BREAK_GLASS_MINUTES


def retention_years() -> int:
    return settings.PRIVACY_RETENTION_YEARS


# --- Processing log ---------------------------------------------------------------------------


def _who(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {
            "user_id": None,
            "username": SYSTEM_USERNAME,
            "role": "",
            "team_id": None,
            "team_name": "",
            "accountable": "",
        }
    team = user.team if getattr(user, "team_id", None) else None
    return {
        "user_id": user.pk,
        "username": user.get_username(),
        "role": getattr(user, "role", "") or "",
        "team_id": team.pk if team else None,
        "team_name": team.name if team else "",
        "accountable": str(getattr(user, "processing_accountable", "") or "")[:300],
    }


def processing_record_write(
    *,
    user,
    action: str,
    object_type: str,
    purpose: str,
    object_id: str | int = "",
    resident_ids: Iterable[int] = (),
    subjects: Iterable[str] = (),
    reason: str = "",
    break_glass: bool = False,
    route: str | None = None,
    method: str | None = None,
    request_id: str | None = None,
) -> ProcessingRecord:
    """Append one record to the processing log, linked to the previous one by its hash.

    Appends are serialised by a transaction-level advisory lock on the chain head, held until the
    caller's transaction ends; so the chain has no forks whatever the concurrency."""
    ctx = pcontext.current()
    pseudonyms = sorted({resident_pseudonym(rid) for rid in resident_ids} | set(subjects))
    record = ProcessingRecord(
        occurred_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        subjects=pseudonyms,
        purpose=purpose,
        reason=reason,
        break_glass=break_glass,
        route=route if route is not None else (ctx.route if ctx else ""),
        method=method if method is not None else (ctx.method if ctx else ""),
        request_id=request_id if request_id is not None else (ctx.request_id if ctx else ""),
        **_who(user),
    )
    record.key_id, key = current_key()  # fails closed without a key
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        last = ProcessingRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        record.prev_hash = last or GENESIS_HASH
        record.hash = record_hmac(
            key=key, prev_hash=record.prev_hash, canonical=record_canonical(record)
        )
        record.save(force_insert=True)
    if ctx is not None:
        ctx.written += 1
    return record


@dataclass(frozen=True)
class ChainBreak:
    record_id: int
    #: "link" (prev_hash does not match), "content" (seal does not match), "key" (sealed with
    #: an unknown key) or "downgrade" (an unkeyed record after a keyed one)
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None
    #: Dutch descriptions of every checkpoint that does not match the table (or is unreadable)
    checkpoint_problems: tuple[str, ...] = ()
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None and not self.checkpoint_problems


def processing_log_verify(
    *, chunk_size: int = 5000, checkpoint_dir: Path | str | None = None
) -> ChainReport:
    """Walk the whole chain in id order and check every signed checkpoint against it.

    Reports the first record whose link, seal or key is off, and every checkpoint whose record
    is missing, whose head hash differs or whose count of records up to its last id differs."""
    keys = hmac_keys()
    loaded = checkpoints_load(Path(checkpoint_dir) if checkpoint_dir else None, keys)
    problems = list(loaded.problems)
    by_last_id = defaultdict(list)
    for checkpoint in loaded.checkpoints:
        by_last_id[checkpoint.last_id].append(checkpoint)
    prev = GENESIS_HASH
    checked = 0
    first_break = None
    keyed_seen = False
    for record in ProcessingRecord.objects.order_by("id").iterator(chunk_size=chunk_size):
        checked += 1
        if first_break is None:
            problem = None
            if record.prev_hash != prev:
                problem = "link"
            elif keyed_seen and not record.key_id:
                problem = "downgrade"
            else:
                expected = record_seal(record, keys)
                if expected is None:
                    problem = "key"
                elif record.hash != expected:
                    problem = "content"
            if problem:
                first_break = ChainBreak(record.pk, problem)
        keyed_seen = keyed_seen or bool(record.key_id)
        prev = record.hash
        for checkpoint in by_last_id.pop(record.pk, ()):
            if record.hash != checkpoint.head_hash:
                problems.append(
                    _(
                        "checkpoint %(f)s: de hash van record %(id)s klopt niet met het "
                        "checkpoint (keten herschreven)"
                    )
                    % {"f": checkpoint.path.name, "id": record.pk}
                )
            if checked != checkpoint.count:
                problems.append(
                    _(
                        "checkpoint %(f)s: %(n)s records tot en met record %(id)s, het checkpoint "
                        "telde er %(c)s (records verwijderd of ingevoegd)"
                    )
                    % {
                        "f": checkpoint.path.name,
                        "n": checked,
                        "id": record.pk,
                        "c": checkpoint.count,
                    }
                )
    for last_id, checkpoints in sorted(by_last_id.items()):
        for checkpoint in checkpoints:
            if last_id == 0 and checkpoint.count == 0:
                continue  # a checkpoint of the empty log
            problems.append(
                _("checkpoint %(f)s: record %(id)s ontbreekt (records verwijderd)")
                % {"f": checkpoint.path.name, "id": last_id}
            )
    return ChainReport(
        checked=checked,
        first_break=first_break,
        checkpoint_problems=tuple(problems),
        checkpoints=len(loaded.checkpoints),
    )


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
    from .access import break_glass_allowed

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


def processing_log_search_record(
    *,
    user,
    resident_id: int | None,
    searched_by: str,
    route: str,
    method: str,
    request_id: str,
) -> ProcessingRecord:
    """The privacy officer searched the log for a resident (by BSN or resident number): one
    record, purpose toezicht, naming the found resident by pseudonym (none when nobody was
    found). ``searched_by`` says how ("bsn" or "inwonernummer"); the value is never logged."""
    return processing_record_write(
        user=user,
        action=Action.SEARCH,
        object_type="processing_log_search",
        object_id=searched_by,
        resident_ids=[resident_id] if resident_id else [],
        purpose=Purpose.SUPERVISION,
        route=route,
        method=method,
        request_id=request_id,
    )


# --- Retention --------------------------------------------------------------------------------


ANONYMISED = "Geanonimiseerd"


def _anonymous_bsn(resident_id: int) -> str:
    """A valid (11-test) BSN in the fake 9-range that no other resident has."""
    from caseload.models import Resident
    from common.bsn import WEIGHTS, is_valid_bsn

    n = resident_id
    while True:
        head = "99" + f"{n % 1_000_000:06d}"
        partial = sum(int(d) * w for d, w in zip(head, WEIGHTS[:8], strict=True))
        last = partial % 11
        candidate = head + str(last)
        if (
            last < 10
            and is_valid_bsn(candidate)
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
    letters), and every free-text note. Idempotent: an anonymised resident is skipped."""
    from caseload import models as cm

    with transaction.atomic():
        resident = cm.Resident.objects.select_for_update().filter(pk=resident_id).first()
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
        cm.ContactMoment.objects.filter(resident_id=resident_id).update(summary="")
        cm.GroupAssignment.objects.filter(resident_id=resident_id).update(reason=ANONYMISED)
        cm.OutflowEvent.objects.filter(resident_id=resident_id).update(employer="")
        _anonymise_intake(resident_id)
        others = cm.Resident.objects.filter(household_id=resident.household_id).exclude(
            pk=resident_id
        )
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


def _anonymise_intake(resident_id: int) -> None:
    from intake.models import CapacityAssessment, Intake, PlanAction, PlanVanAanpak

    Intake.objects.filter(resident_id=resident_id).update(
        debts_notes="",
        language_notes="",
        childcare_notes="",
        health_notes="",
        housing_notes="",
        wishes="",
        proposal_reason="",
        override_reason="",
    )
    CapacityAssessment.objects.filter(intake__resident_id=resident_id).update(notes="")
    PlanVanAanpak.objects.filter(resident_id=resident_id).update(
        goals=ANONYMISED, commitments=ANONYMISED
    )
    PlanAction.objects.filter(plan__resident_id=resident_id).update(description=ANONYMISED)


def retention_run(*, today: dt.date | None = None) -> int:
    """Anonymise every dossier whose retention period ended before ``today``; safe to re-run."""
    from .selectors import retention_overdue

    today = today or timezone.localdate()
    done = 0
    for row in retention_overdue(today=today):
        if resident_anonymise(
            resident_id=row.resident_id, last_closed_on=row.last_closed_on, due_on=row.due_on
        ):
            done += 1
    return done
