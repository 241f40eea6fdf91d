"""Issue 16, point 6: one shape for background jobs (common.jobs): claim, heartbeat, finish, and
the data migrations that move stored statuses to the shared English codes."""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from budget.models import LedgerImport
from common.jobs import JobStatus, job_claim, job_finish, job_heartbeat
from tests import factories


def _ledger_import(**fields) -> LedgerImport:
    municipality = fields.pop("municipality", None) or factories.MunicipalityFactory()
    return LedgerImport.objects.create(
        municipality=municipality,
        original_name="grootboek.csv",
        checksum=fields.pop("checksum", "a" * 64),
        created_by=factories.UserFactory(finance=True),
        **fields,
    )


def _in_thread(fn):
    """Run fn on its own thread (so its own database connection); its result."""
    result: dict = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_point_6_claim_is_exclusive_under_two_connections():
    """Issue 16, point 6: a job whose row another connection holds is not claimed (SKIP LOCKED,
    no waiting); once free it is claimed once; two workers racing for it: exactly one wins."""
    job = _ledger_import()
    with transaction.atomic():
        LedgerImport.objects.select_for_update().get(pk=job.pk)  # worker A holds the row
        assert _in_thread(lambda: job_claim(LedgerImport, job.pk)) is None
    claimed = _in_thread(lambda: job_claim(LedgerImport, job.pk, lease=timedelta(minutes=2)))
    assert claimed is not None and claimed.status == JobStatus.RUNNING
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.started_at is not None
    assert timedelta(minutes=1) < job.lease_expires_at - timezone.now() <= timedelta(minutes=2)
    assert job_claim(LedgerImport, job.pk) is None  # running: not claimed again

    for attempt in range(5):
        racer = _ledger_import(checksum=f"{attempt:064d}")
        barrier = threading.Barrier(2)
        wins: list = []

        def claim(pk=racer.pk, barrier=barrier, wins=wins):
            barrier.wait()
            wins.append(job_claim(LedgerImport, pk))
            connection.close()

        threads = [threading.Thread(target=claim) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len([w for w in wins if w is not None]) == 1, wins


@pytest.mark.django_db
def test_point_6_heartbeat_renews_the_lease_and_records_progress():
    """Issue 16, point 6: the heartbeat moves the lease on and stores progress while the job
    runs; on a job that is no longer running it says so (False) and changes nothing."""
    job = job_claim(LedgerImport, _ledger_import().pk, lease=timedelta(seconds=1))
    first_lease = job.lease_expires_at
    assert job_heartbeat(job, lease=timedelta(minutes=10), done=5, total=20)
    job.refresh_from_db()
    assert job.lease_expires_at > first_lease + timedelta(minutes=9)
    assert (job.progress_done, job.progress_total, job.progress) == (5, 20, 25)

    job_finish(job, JobStatus.SUCCEEDED)
    assert not job_heartbeat(job, done=20)
    job.refresh_from_db()
    assert job.progress_done == 5 and job.lease_expires_at is None


@pytest.mark.django_db
def test_point_6_finish_stores_the_end_state():
    """Issue 16, point 6: finishing sets the status, errors, other fields and the end time and
    releases the lease; only finished statuses are accepted."""
    job = job_claim(LedgerImport, _ledger_import().pk)
    errors = [{"line": 3, "reason": "Bedrag ontbreekt."}]
    assert job_finish(job, JobStatus.REJECTED, errors=errors, rejected_rows=1) == "rejected"
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED and job.is_finished
    assert job.errors == errors and job.rejected_rows == 1
    assert job.finished_at is not None and job.lease_expires_at is None
    assert job.progress == 100
    with pytest.raises(ValueError):
        job_finish(job, JobStatus.RUNNING)


@pytest.mark.django_db
def test_point_6_claim_leaves_finished_jobs_alone():
    """Issue 16, point 6: a finished job is not claimed again (unless the caller allows it)."""
    job = _ledger_import(status=JobStatus.FAILED)
    assert job_claim(LedgerImport, job.pk) is None
    assert job_claim(LedgerImport, job.pk, from_statuses=(JobStatus.FAILED,)) is not None


@pytest.mark.django_db
def test_point_6_ledger_status_migration_maps_done_to_succeeded_and_back():
    """Issue 16, point 6: the ledger import's stored 'done' becomes 'succeeded' (and back); the
    other codes were already the shared ones."""
    migration = importlib.import_module("budget.migrations.0005_ledger_import_job")
    municipality = factories.MunicipalityFactory()
    rows = {
        status: _ledger_import(municipality=municipality, checksum=f"{i:064d}")
        for i, status in enumerate(["queued", "running", "done", "rejected", "failed"])
    }
    for status, row in rows.items():
        LedgerImport.objects.filter(pk=row.pk).update(status=status)
    migration.statuses_forward(apps, None)
    after = dict(LedgerImport.objects.values_list("pk", "status"))
    assert [after[row.pk] for row in rows.values()] == [
        "queued",
        "running",
        "succeeded",
        "rejected",
        "failed",
    ]
    migration.statuses_backward(apps, None)
    before = dict(LedgerImport.objects.values_list("pk", "status"))
    assert [before[row.pk] for row in rows.values()] == list(rows)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_point_6_budget_job_migrations_convert_rows_and_reverse():
    """Issue 16, point 6: migrating budget from 0004 to 0006 converts stored rows (ledger and
    BUIG 'done' -> 'succeeded', row counts -> progress, the report's error text -> errors) and
    migrating back restores them."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("budget", "0004_delete_finished_ledger_uploads")],
        [("budget", "0006_buig_report_job")],
    )
    municipality = factories.MunicipalityFactory()
    user = factories.UserFactory(finance=True)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[0]).apps
    OldLedger, OldReport = (
        old.get_model("budget", "LedgerImport"),
        old.get_model("budget", "BuigReport"),
    )
    done = OldLedger.objects.create(
        municipality_id=municipality.pk,
        original_name="g.csv",
        checksum="d" * 64,
        status="done",
        total_rows=3,
        processed_rows=3,
        created_by_id=user.pk,
    )
    rejected = OldLedger.objects.create(
        municipality_id=municipality.pk,
        original_name="g.csv",
        checksum="r" * 64,
        status="rejected",
        total_rows=3,
        processed_rows=2,
        created_by_id=user.pk,
    )
    report_done = OldReport.objects.create(
        municipality_id=municipality.pk,
        year=2025,
        status="done",
        progress=100,
        xlsx_sha256="x" * 64,
        created_by_id=user.pk,
    )
    report_failed = OldReport.objects.create(
        municipality_id=municipality.pk, year=2025, status="failed", progress=5,
        error="Het maken van het rapport is mislukt.", created_by_id=user.pk,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after[0]).apps
    Ledger, Report = new.get_model("budget", "LedgerImport"), new.get_model("budget", "BuigReport")
    assert list(
        Ledger.objects.filter(pk__in=[done.pk, rejected.pk])
        .order_by("pk")
        .values_list("status", "progress_done", "progress_total")
    ) == [("succeeded", 3, 3), ("rejected", 2, 3)]
    assert Report.objects.get(pk=report_done.pk).status == "succeeded"
    failed = Report.objects.get(pk=report_failed.pk)
    assert (failed.status, failed.progress_done, failed.progress_total) == ("failed", 5, 100)
    assert failed.errors == [{"line": 0, "reason": "Het maken van het rapport is mislukt."}]

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[0]).apps
    OldLedger, OldReport = (
        old.get_model("budget", "LedgerImport"),
        old.get_model("budget", "BuigReport"),
    )
    assert OldLedger.objects.get(pk=done.pk).status == "done"
    assert OldReport.objects.get(pk=report_done.pk).status == "done"
    assert OldReport.objects.get(pk=report_failed.pk).error == (
        "Het maken van het rapport is mislukt."
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("budget"))


@pytest.mark.django_db
def test_point_6_import_job_status_migration_splits_mislukt():
    """Issue 16, point 6: the caseload import's Dutch codes become the shared ones; "mislukt"
    becomes "failed" when its errors hold the line-0 "Technische fout" (a crash) and "rejected"
    otherwise (refused rows); back, both are "mislukt" again."""
    from apiauth.models import ImportJob

    migration = importlib.import_module("apiauth.migrations.0005_import_job_job")
    municipality = factories.MunicipalityFactory()
    user = factories.UserFactory(beheer=True)
    crash = [{"line": 0, "column": None, "message": "Technische fout; er is niets ingelezen."}]
    rows = [
        ("wachtrij", [], "queued"),
        ("bezig", [], "running"),
        ("geslaagd", [], "succeeded"),
        ("mislukt", [{"line": 3, "column": "bsn", "message": "Ongeldig BSN."}], "rejected"),
        ("mislukt", [{"line": 0, "column": None, "message": "Lege kopregel."}], "rejected"),
        ("mislukt", crash, "failed"),
    ]
    jobs = []
    for old, errors, _new in rows:
        job = ImportJob.objects.create(
            municipality=municipality, filename="x.csv", created_by=user, errors=errors
        )
        ImportJob.objects.filter(pk=job.pk).update(status=old)
        jobs.append(job.pk)
    migration.forward(apps, None)
    after = dict(ImportJob.objects.values_list("pk", "status"))
    assert [after[pk] for pk in jobs] == [new for _old, _errors, new in rows]
    migration.backward(apps, None)
    before = dict(ImportJob.objects.values_list("pk", "status"))
    assert [before[pk] for pk in jobs] == [old for old, _errors, _new in rows]


@pytest.mark.django_db
def test_point_6_refused_caseload_import_is_rejected_not_failed():
    """Issue 16, point 6: a caseload import refused for its rows ends "rejected" (a crash ends
    "failed"); the page still says "Mislukt, niets ingelezen" for both."""
    from apiauth import imports
    from apiauth.models import ImportJob

    job = ImportJob.objects.create(
        municipality=factories.MunicipalityFactory(),
        filename="export.csv",
        content=b"bsn;achternaam\n123456780;Jansen\n",
        created_by=factories.UserFactory(beheer=True),
    )
    assert imports.import_job_run(job_id=job.pk) == JobStatus.REJECTED
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED and job.errors and job.content is None
    assert job.finished_at is not None and job.lease_expires_at is None
    assert job.get_status_display() == "Mislukt, niets ingelezen"
    assert imports.import_job_run(job_id=job.pk) == "skipped"
