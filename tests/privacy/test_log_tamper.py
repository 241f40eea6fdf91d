"""Issue 12, finding 7: the processing log cannot be rewritten undetected by whoever holds the
database but not the HMAC key. Each attack below is done as a PostgreSQL superuser would do it,
with raw SQL behind the append-only trigger (``session_replication_role = replica`` or
``ALTER TABLE ... DISABLE TRIGGER ALL``), against the real database."""

import hashlib
import hmac
import json
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from privacy import chain, services
from privacy.models import Action, ProcessingRecord, Purpose

pytestmark = pytest.mark.django_db

WRONG_KEY = b"the-attacker-does-not-have-the-real-key"


def _write(user, n=0):
    return services.processing_record_write(
        user=user,
        action=Action.READ,
        object_type="resident",
        resident_ids=[n],
        purpose=Purpose.SERVICE,
    )


def _records(user, n):
    return [_write(user, i) for i in range(n)]


def _as_superuser(*statements, how="replica"):
    """Run raw SQL with the append-only trigger out of the way, as a database superuser can."""
    with connection.cursor() as cursor:
        if how == "replica":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("ALTER TABLE privacy_processingrecord DISABLE TRIGGER ALL")
        for sql, params in statements:
            cursor.execute(sql, params)
        if how == "replica":
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("ALTER TABLE privacy_processingrecord ENABLE TRIGGER ALL")


def _forge_seal(record, formula):
    """What an attacker without the key can compute: an HMAC under a guessed key, or the old
    unkeyed SHA-256 (then the record must claim to be a legacy record)."""
    if formula == "unkeyed":
        record.key_id = ""
        return hashlib.sha256(
            (record.prev_hash + chain.record_canonical(record)).encode()
        ).hexdigest()
    return hmac.new(
        WRONG_KEY, (record.prev_hash + chain.record_canonical(record)).encode(), hashlib.sha256
    ).hexdigest()


def _reseal_from(first_id, formula, how="replica", start_prev=None, last_id=None):
    """Recompute the chain from ``first_id`` to the end (or ``last_id``), relinking each."""
    statements = []
    prev = start_prev
    rows = ProcessingRecord.objects.filter(id__gte=first_id).order_by("id")
    if last_id is not None:
        rows = rows.filter(id__lte=last_id)
    for record in rows:
        if prev is not None:
            record.prev_hash = prev
        record.hash = _forge_seal(record, formula)
        statements.append(
            (
                "UPDATE privacy_processingrecord SET prev_hash = %s, hash = %s, key_id = %s "
                "WHERE id = %s",
                [record.prev_hash, record.hash, record.key_id, record.pk],
            )
        )
        prev = record.hash
    # hashes are unique: write them under temporary values first
    temp = [
        (
            "UPDATE privacy_processingrecord SET hash = 'x' || id WHERE id >= %s AND id <= %s",
            [first_id, last_id or 2**62],
        ),
    ]
    _as_superuser(*temp, *statements, how=how)


def _verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("verify_processing_log")


def test_finding_7_changed_record_resealed_without_the_key_is_reported(consulent):
    """Issue 12, finding 7: a superuser changes a record and recomputes the chain from there
    with a wrong key or with the old unkeyed formula; the verifier names the changed record."""
    for formula, problem in (("wrong-key", "content"), ("unkeyed", "downgrade")):
        records = _records(consulent, 4)
        call_command("verify_processing_log")
        _as_superuser(
            (
                "UPDATE privacy_processingrecord SET username = 'iemand-anders' WHERE id = %s",
                [records[1].pk],
            )
        )
        _reseal_from(records[1].pk, formula)
        report = services.processing_log_verify()
        assert report.first_break == services.ChainBreak(records[1].pk, problem), formula
        _verify_fails(f"Verwerkingenlog beschadigd: record {records[1].pk} ")
        # restore a clean log for the next attack
        _as_superuser(("DELETE FROM privacy_processingrecord", []))


def test_finding_7_deleted_middle_record_relinked_is_reported(consulent):
    """Issue 12, finding 7: a superuser deletes a middle record and relinks everything after it
    (wrong key, or the old unkeyed formula; with DISABLE TRIGGER ALL); reported."""
    for formula in ("wrong-key", "unkeyed"):
        records = _records(consulent, 5)
        _as_superuser(
            ("DELETE FROM privacy_processingrecord WHERE id = %s", [records[2].pk]), how="disable"
        )
        _reseal_from(records[3].pk, formula, how="disable", start_prev=records[1].hash)
        report = services.processing_log_verify()
        assert report.first_break is not None
        assert report.first_break.record_id == records[3].pk, formula
        _verify_fails(f"record {records[3].pk} ")
        _as_superuser(("DELETE FROM privacy_processingrecord", []))


def test_finding_7_whole_chain_rewritten_unkeyed_is_caught_by_the_checkpoint(consulent):
    """Issue 12, finding 7: rewriting the whole chain from the start with the old unkeyed formula
    makes it look like a legacy chain; the signed checkpoint outside the database catches it."""
    records = _records(consulent, 4)
    call_command("processing_log_checkpoint")
    call_command("verify_processing_log")
    _as_superuser(
        (
            "UPDATE privacy_processingrecord SET reason = 'vervalst' WHERE id = %s",
            [records[1].pk],
        )
    )
    _reseal_from(records[0].pk, "unkeyed")
    report = services.processing_log_verify()
    assert report.first_break is None  # the chain alone now looks like an old, unkeyed chain
    assert any("keten herschreven" in p for p in report.checkpoint_problems)
    _verify_fails("hash van record .* klopt niet met het checkpoint")


def test_finding_7_deleting_the_tail_before_a_checkpoint_is_reported(consulent):
    """Issue 12, finding 7: the newest records up to the last checkpoint are removed (which the
    chain alone cannot see); the checkpoint names the missing record."""
    records = _records(consulent, 5)
    call_command("processing_log_checkpoint")
    _as_superuser(("DELETE FROM privacy_processingrecord WHERE id >= %s", [records[3].pk]))
    assert services.processing_log_verify().first_break is None
    _verify_fails(f"record {records[4].pk} ontbreekt")


def test_finding_7_deleting_before_an_older_checkpoint_is_counted(consulent):
    """Issue 12, finding 7: a middle record before an older checkpoint is removed and the rest
    relinked; besides the chain break, the older checkpoint's count no longer matches."""
    records = _records(consulent, 3)
    call_command("processing_log_checkpoint")
    later = _records(consulent, 2)
    call_command("processing_log_checkpoint")
    _as_superuser(("DELETE FROM privacy_processingrecord WHERE id = %s", [records[1].pk]))
    _reseal_from(records[2].pk, "wrong-key", start_prev=records[0].hash)
    report = services.processing_log_verify()
    assert report.first_break.record_id == records[2].pk
    counts = [p for p in report.checkpoint_problems if "records tot en met" in p]
    assert len(counts) == 2  # both checkpoints count one record less
    assert any(f"record {later[-1].pk}" in p for p in report.checkpoint_problems)


def test_finding_7_changed_or_forged_checkpoint_is_reported(consulent, checkpoint_dir):
    _records(consulent, 2)
    path = chain.checkpoint_write()
    data = json.loads(path.read_text())
    data["count"] = 1
    os.chmod(path, 0o644)
    path.write_text(json.dumps(data))
    _verify_fails("handtekening klopt niet")
    path.unlink()
    data["key_id"] = "gestolen"
    (checkpoint_dir / f"{chain.CHECKPOINT_PREFIX}000000000001-x.json").write_text(json.dumps(data))
    _verify_fails("onbekende sleutel")


def test_a_clean_log_with_checkpoints_verifies(consulent, checkpoint_dir):
    _records(consulent, 3)
    first = chain.checkpoint_write()
    assert chain.checkpoint_write() is None  # head unchanged: no new file
    _records(consulent, 2)
    second = chain.checkpoint_write()
    assert first != second and oct(first.stat().st_mode & 0o777) == "0o444"
    report = services.processing_log_verify()
    assert report.ok and report.checkpoints == 2 and report.checked == 5
    call_command("verify_processing_log")
    # the verifier also reads a copy of the checkpoints from elsewhere (e.g. WORM storage)
    call_command("verify_processing_log", checkpoint_dir=str(checkpoint_dir))


def test_legacy_unkeyed_records_verify_under_the_old_rule_and_the_keyed_chain_links_on(
    consulent,
):
    """Records from before the keyed chain (empty key_id, unkeyed SHA-256) stay valid; the first
    keyed record links to the last of them, so changing the old prefix breaks that link."""
    legacy = _records(consulent, 3)
    _reseal_from(legacy[0].pk, "unkeyed")  # what the migration left: an unkeyed prefix
    assert services.processing_log_verify().ok
    keyed = _write(consulent, 9)
    assert (
        keyed.key_id == "1"
        and keyed.prev_hash == ProcessingRecord.objects.get(pk=legacy[-1].pk).hash
    )
    assert services.processing_log_verify().ok
    # an attacker rewrites a legacy record and its unkeyed successors
    _as_superuser(
        (
            "UPDATE privacy_processingrecord SET username = 'iemand' WHERE id = %s",
            [legacy[1].pk],
        )
    )
    _reseal_from(legacy[1].pk, "unkeyed", last_id=legacy[-1].pk)
    report = services.processing_log_verify()
    assert report.first_break == services.ChainBreak(keyed.pk, "link")


def test_key_rotation_keeps_old_records_verifiable(consulent, settings):
    old = _records(consulent, 2)
    settings.PROCESSING_LOG_HMAC_RETIRED_KEYS = {"1": settings.PROCESSING_LOG_HMAC_KEY}
    settings.PROCESSING_LOG_HMAC_KEY = "a-brand-new-key-for-the-processing-log-2027"
    settings.PROCESSING_LOG_HMAC_KEY_ID = "2027"
    new = _write(consulent)
    assert (old[0].key_id, new.key_id) == ("1", "2027")
    assert services.processing_log_verify().ok
    settings.PROCESSING_LOG_HMAC_RETIRED_KEYS = {}
    report = services.processing_log_verify()
    assert report.first_break == services.ChainBreak(old[0].pk, "key")


def test_no_key_fails_closed(consulent, settings):
    from privacy.checks import processing_log_key_check

    settings.PROCESSING_LOG_HMAC_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        _write(consulent)
    assert [e.id for e in processing_log_key_check()] == ["privacy.E001"]
    with pytest.raises(ImproperlyConfigured):
        chain.checkpoint_write()


def test_beat_writes_checkpoints(consulent, settings, checkpoint_dir):
    from privacy.tasks import processing_log_checkpoint

    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["privacy.processing_log_checkpoint"] <= 60 * 60
    _records(consulent, 1)
    name = processing_log_checkpoint.apply().get()
    assert (checkpoint_dir / name).is_file()
    assert processing_log_checkpoint.apply().get() == ""
