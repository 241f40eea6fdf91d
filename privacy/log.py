"""The processing log's writing and checking: one record appended to the hash chain
(:func:`processing_record_write`) and the walk over the whole chain and its signed checkpoints
(:func:`processing_log_verify`). The sealing itself (keys, canonical form, checkpoints) is in
:mod:`privacy.chain`.

A record is written in the caller's transaction: when it cannot be written, the caller's work
is rolled back and nothing is served. Imports only the models, the chain, the request context
and the pseudonym, so the access hooks, the services and the decorators can all use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import context as pcontext
from .chain import (
    GENESIS_HASH,
    checkpoints_load,
    current_key,
    hmac_keys,
    record_canonical,
    record_hmac,
    record_seal,
)
from .models import ProcessingRecord
from .pseudonym import resident_pseudonym

#: pg_advisory_xact_lock key of the log's chain head ("privacy" in ASCII)
CHAIN_LOCK_KEY = 0x70726976616379
SYSTEM_USERNAME = "systeem"


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
