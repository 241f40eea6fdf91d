"""The processing log: pseudonyms, the hash chain and its verifier, the append-only trigger."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from privacy import services
from privacy.models import Action, ProcessingRecord, Purpose
from privacy.pseudonym import resident_pseudonym

pytestmark = pytest.mark.django_db


def _write(user, resident_ids=(1,), **kw):
    return services.processing_record_write(
        user=user,
        action=kw.pop("action", Action.READ),
        object_type="resident",
        resident_ids=resident_ids,
        purpose=kw.pop("purpose", Purpose.SERVICE),
        **kw,
    )


def test_record_names_who_what_why_and_a_pseudonym_never_the_bsn(consulent, resident):
    record = _write(consulent, [resident.pk], route="caseload:dossier", request_id="abc")
    record.refresh_from_db()
    assert record.user_id == consulent.pk and record.username == consulent.username
    assert record.role == "consulent" and record.team_id == consulent.team_id
    assert record.team_name == consulent.team.name
    assert record.subjects == [resident_pseudonym(resident.pk)]
    assert len(record.subjects[0]) == 64 and resident.bsn not in record.subjects[0]
    assert str(resident.pk) != record.subjects[0]
    assert record.occurred_at.utcoffset().total_seconds() == 0
    assert record.route == "caseload:dossier" and record.request_id == "abc"


def test_pseudonym_is_keyed(settings):
    settings.PRIVACY_PSEUDONYM_KEY = "een"
    first = resident_pseudonym(7)
    settings.PRIVACY_PSEUDONYM_KEY = "twee"
    assert resident_pseudonym(7) != first
    settings.PRIVACY_PSEUDONYM_KEY = "een"
    assert resident_pseudonym(7) == first


def test_chain_links_each_record_to_the_previous(consulent):
    a, b, c = (_write(consulent, [i]) for i in (1, 2, 3))
    assert a.prev_hash == services.GENESIS_HASH or a.prev_hash  # earlier records may exist
    assert b.prev_hash == a.hash and c.prev_hash == b.hash
    assert services.processing_log_verify().ok


def test_database_refuses_update_and_delete(consulent):
    record = _write(consulent)
    for sql in (
        "UPDATE privacy_processingrecord SET reason = 'x' WHERE id = %s",
        "DELETE FROM privacy_processingrecord WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ProcessingRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ProcessingRecord.objects.filter(pk=record.pk).delete()
    assert ProcessingRecord.objects.get(pk=record.pk).reason == ""


def _tamper(sql, params):
    """Change the log behind the trigger's back, as a superuser could."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE privacy_processingrecord DISABLE TRIGGER "
            "privacy_processingrecord_no_update_delete"
        )
        cursor.execute(sql, params)
        cursor.execute(
            "ALTER TABLE privacy_processingrecord ENABLE TRIGGER "
            "privacy_processingrecord_no_update_delete"
        )


def test_verifier_names_a_changed_record(consulent):
    records = [_write(consulent, [i]) for i in range(5)]
    call_command("verify_processing_log")
    _tamper(
        "UPDATE privacy_processingrecord SET username = 'iemand-anders' WHERE id = %s",
        [records[2].pk],
    )
    report = services.processing_log_verify()
    assert report.first_break.record_id == records[2].pk
    assert report.first_break.problem == "content"
    with pytest.raises(CommandError, match=f"record {records[2].pk} "):
        call_command("verify_processing_log")


def test_verifier_names_the_record_after_a_removed_one(consulent):
    records = [_write(consulent, [i]) for i in range(4)]
    _tamper("DELETE FROM privacy_processingrecord WHERE id = %s", [records[1].pk])
    report = services.processing_log_verify()
    assert report.first_break.record_id == records[2].pk
    assert report.first_break.problem == "link"


def test_verifier_catches_a_rehashed_record(consulent):
    """Recomputing a changed record's hash with the old unkeyed formula does not help: the record
    is no longer sealed with the key (and the next record's link breaks too)."""
    records = [_write(consulent, [i]) for i in range(3)]
    forged = ProcessingRecord.objects.get(pk=records[1].pk)
    forged.reason = "vervalst"
    new_hash = services.record_hash(
        prev_hash=forged.prev_hash, canonical=services.record_canonical(forged)
    )
    _tamper(
        "UPDATE privacy_processingrecord SET reason = 'vervalst', hash = %s WHERE id = %s",
        [new_hash, forged.pk],
    )
    report = services.processing_log_verify()
    assert report.first_break.record_id == records[1].pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_keep_one_unbroken_chain(consulent):
    """Eight threads append at once; the advisory lock keeps the chain linear."""
    errors = []

    def work(n):
        try:
            for i in range(5):
                with transaction.atomic():
                    _write(consulent, [n * 100 + i])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ProcessingRecord.objects.count() == 40
    report = services.processing_log_verify()
    assert report.ok and report.checked == 40
    assert ProcessingRecord.objects.values("prev_hash").distinct().count() == 40
