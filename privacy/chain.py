"""The processing log's keyed hash chain and its signed checkpoints outside the database.

**Keyed chain.** Every record is sealed with ``HMAC-SHA256(key, prev_hash + canonical_json)``.
The key (``PROCESSING_LOG_HMAC_KEY``) comes from the environment and never lives in the
database; its id (``PROCESSING_LOG_HMAC_KEY_ID``) is stored with each record (``key_id``), and
retired keys stay readable through ``PROCESSING_LOG_HMAC_RETIRED_KEYS`` (id -> key), so a key
can be rotated by setting a new key with a new id and moving the old one to the retired keys.
Whoever holds the database but not the key cannot rewrite a record and reseal the chain.

**Legacy records.** Records written before the keyed chain have an empty ``key_id`` and the
unkeyed ``sha256(prev_hash + canonical_json)``; the verifier checks them under that old rule.
They may only form the *start* of the chain: the first keyed record links to the last unkeyed
one (its ``prev_hash`` is inside its HMAC), so the old prefix cannot be rewritten either
without breaking that seal; an unkeyed record after a keyed one is reported as a downgrade.

**Checkpoints.** Periodically (Celery beat, and ``manage.py processing_log_checkpoint``) the
head of the chain (last id, its hash, the number of records up to it, the time) is written as
a JSON file signed with the HMAC key into ``PROCESSING_LOG_CHECKPOINT_DIR``, outside the
database. The verifier checks every checkpoint against the table: a record removed anywhere
up to the last checkpoint (also the newest ones, or a middle one with everything after it
relinked), or a chain rewritten without the key, no longer matches the signed count and head.
Not detectable: removal of the newest records written after the last checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

GENESIS_HASH = "0" * 64
CHECKPOINT_PREFIX = "verwerkingenlog-checkpoint-"
CHECKPOINT_VERSION = 1


# --- Keys -------------------------------------------------------------------------------------


def hmac_keys() -> dict[str, bytes]:
    """Every key the verifier may meet, by id: the retired ones and the current one."""
    keys = {
        str(key_id): str(key).encode()
        for key_id, key in (settings.PROCESSING_LOG_HMAC_RETIRED_KEYS or {}).items()
        if key
    }
    if settings.PROCESSING_LOG_HMAC_KEY:
        keys[current_key_id()] = settings.PROCESSING_LOG_HMAC_KEY.encode()
    return keys


def current_key_id() -> str:
    return str(settings.PROCESSING_LOG_HMAC_KEY_ID or "1")


def current_key() -> tuple[str, bytes]:
    """The key new records and checkpoints are sealed with; fails closed without one."""
    if not settings.PROCESSING_LOG_HMAC_KEY:
        raise ImproperlyConfigured(
            "PROCESSING_LOG_HMAC_KEY is not set: the processing log cannot be written "
            "(docs/privacy.md)."
        )
    return current_key_id(), settings.PROCESSING_LOG_HMAC_KEY.encode()


# --- Records ----------------------------------------------------------------------------------


def _utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_canonical(record) -> str:
    """The content a record's seal covers, as canonical JSON (sorted keys, no spaces).

    A keyed record covers ``accountable`` and ``key_id`` always; a legacy (unkeyed) record
    covers ``accountable`` only when it is set, as it did before the keyed chain."""
    content = {
        "occurred_at": _utc_text(record.occurred_at),
        "user_id": record.user_id,
        "username": record.username,
        "role": record.role,
        "team_id": record.team_id,
        "team_name": record.team_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "subjects": list(record.subjects),
        "purpose": record.purpose,
        "reason": record.reason,
        "break_glass": record.break_glass,
        "route": record.route,
        "method": record.method,
        "request_id": record.request_id,
    }
    if record.key_id:
        content["accountable"] = record.accountable
        content["key_id"] = record.key_id
    elif record.accountable:
        content["accountable"] = record.accountable
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(*, prev_hash: str, canonical: str) -> str:
    """The legacy, unkeyed seal (records with an empty ``key_id``)."""
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def record_hmac(*, key: bytes, prev_hash: str, canonical: str) -> str:
    return hmac.new(key, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()


def record_seal(record, keys: dict[str, bytes] | None = None) -> str | None:
    """The hash the record must carry, by its ``key_id``; None when that key is unknown."""
    canonical = record_canonical(record)
    if not record.key_id:
        return record_hash(prev_hash=record.prev_hash, canonical=canonical)
    key = (keys if keys is not None else hmac_keys()).get(record.key_id)
    if key is None:
        return None
    return record_hmac(key=key, prev_hash=record.prev_hash, canonical=canonical)


# --- Checkpoints ------------------------------------------------------------------------------


def checkpoint_dir() -> Path:
    return Path(settings.PROCESSING_LOG_CHECKPOINT_DIR)


def _signed_payload(data: dict) -> bytes:
    body = {k: v for k, v in data.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_sign(data: dict, key: bytes) -> str:
    return hmac.new(key, _signed_payload(data), hashlib.sha256).hexdigest()


def chain_head() -> tuple[int, str, int]:
    """(last id, its hash, number of records up to it), read in one statement (one snapshot).

    Appends commit in id order (they hold the chain lock until commit), so a snapshot always
    holds a prefix of the ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM privacy_processingrecord), id, hash "
            "FROM privacy_processingrecord ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        return 0, GENESIS_HASH, 0
    count, last_id, head = row
    return last_id, head, count


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    last_id: int
    head_hash: str
    count: int
    created_at: str
    key_id: str


def checkpoint_write(*, directory: Path | None = None, force: bool = False) -> Path | None:
    """Write a signed checkpoint of the chain's head; None when the head has not moved since
    the newest checkpoint (unless ``force``). Files are created exclusively and made read-only:
    a checkpoint is never overwritten."""
    directory = Path(directory) if directory else checkpoint_dir()
    key_id, key = current_key()
    last_id, head, count = chain_head()
    if not force:
        newest = max((p.name for p in directory.glob(f"{CHECKPOINT_PREFIX}*.json")), default=None)
        if newest is not None and newest.startswith(f"{CHECKPOINT_PREFIX}{last_id:012d}-"):
            return None
    now = timezone.now()
    data = {
        "version": CHECKPOINT_VERSION,
        "created_at": _utc_text(now),
        "last_id": last_id,
        "head_hash": head,
        "count": count,
        "key_id": key_id,
    }
    data["signature"] = checkpoint_sign(data, key)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{CHECKPOINT_PREFIX}{last_id:012d}-{now.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}.json"
    path = directory / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, sort_keys=True, indent=1)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    return path


@dataclass
class CheckpointLoad:
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def checkpoints_load(
    directory: Path | None = None, keys: dict[str, bytes] | None = None
) -> CheckpointLoad:
    """Every checkpoint file in the directory whose signature holds; a file that cannot be read
    or whose signature does not hold is a problem (Dutch message)."""
    directory = Path(directory) if directory else checkpoint_dir()
    keys = keys if keys is not None else hmac_keys()
    result = CheckpointLoad()
    if not directory.is_dir():
        return result
    for path in sorted(directory.glob(f"{CHECKPOINT_PREFIX}*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = keys.get(str(data.get("key_id")))
            signature = str(data.get("signature", ""))
            checkpoint = Checkpoint(
                path=path,
                last_id=int(data["last_id"]),
                head_hash=str(data["head_hash"]),
                count=int(data["count"]),
                created_at=str(data["created_at"]),
                key_id=str(data["key_id"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            result.problems.append(f"checkpoint {path.name} is onleesbaar")
            continue
        if key is None:
            result.problems.append(
                f"checkpoint {path.name} is ondertekend met een onbekende sleutel "
                f"'{checkpoint.key_id}'"
            )
            continue
        if not hmac.compare_digest(signature, checkpoint_sign(data, key)):
            result.problems.append(
                f"checkpoint {path.name}: handtekening klopt niet (checkpoint gewijzigd)"
            )
            continue
        result.checkpoints.append(checkpoint)
    return result
