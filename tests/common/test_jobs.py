"""Issue 16, point 6: one shape for background jobs (common.jobs): claim, heartbeat, finish, and
the data migrations that move stored statuses to the shared English codes."""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from budget.models import LedgerImport
from common import rls
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
    try:
        _budget_job_migrations_round_trip(before, after, municipality, user)
    finally:
        # Migrating back drops the tables of later budget migrations (the payments feed) and
        # of every migration of another app that depends on them; migrating forward recreates
        # them without the grants and policies that post_migrate installs after ``manage.py
        # migrate``: put every app back at its latest migration (not budget's alone: a table
        # of another app left dropped broke every later test on this database), then the
        # grants and policies, or the next tests meet "permission denied" and no policy.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        rls.policies_apply()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
            " AND NOT has_table_privilege(%s, c.oid, 'SELECT')",
            [rls.app_role()],
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND NOT relrowsecurity",
            [[policy.table for policy in rls.policies()]],
        )
        assert cursor.fetchall() == []


def _budget_job_migrations_round_trip(before, after, municipality, user) -> None:
    from django.db.migrations.executor import MigrationExecutor

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


# Issue 13, finding 5: an interrupted job (its worker died: the lease ran out) ends failed -------

LEDGER_CSV = (
    b"boekingskenmerk;regeling;maand;soort;bedrag;bsn\n"
    b"R-1;pw;2026-01;terugvordering;100,50;123456782\n"
    b"R-2;ioaw;02-2026;verhaal;1.000,00;\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _worker_dies(model, pk):
    """A worker claims the job with a short lease and is never heard of again."""
    import time

    job = job_claim(model, pk, lease=timedelta(milliseconds=50))
    assert job is not None and job.status == JobStatus.RUNNING
    time.sleep(0.1)
    return job


def _offer_ledger(municipality, user, content=LEDGER_CSV):
    from budget import services as budget_services

    return budget_services.ledger_import_start(
        municipality=municipality, filename="grootboek.csv", content=content, by=user
    )


@pytest.mark.django_db
def test_finding_5_sweep_fails_an_interrupted_ledger_import_and_the_file_imports_again(media):
    """Issue 13, finding 5: a ledger import whose worker died stayed "running" for ever and the
    file could never be offered again ("al eerder aangeboden"). Beat's sweep ends it failed
    ("Onderbroken"), deletes the upload, and the same file then imports."""
    import os

    from budget.ledger_import import ledger_import_run
    from budget.models import Receipt
    from common.jobs import INTERRUPTED_REASON
    from common.tasks import jobs_expire
    from config.schedule import JOBS_EXPIRE_ENTRY, beat_schedule

    municipality = factories.MunicipalityFactory()
    finance = factories.UserFactory(finance=True)
    item, created = _offer_ledger(municipality, finance)
    path = item.file.path
    assert created and os.path.exists(path)
    _worker_dies(LedgerImport, item.pk)

    assert jobs_expire()["budget.LedgerImport"] == 1  # the beat task
    item.refresh_from_db()
    assert item.status == JobStatus.FAILED and item.is_finished
    assert item.errors == [{"line": 0, "reason": INTERRUPTED_REASON}]
    assert INTERRUPTED_REASON.startswith("Onderbroken")
    assert item.finished_at is not None and item.lease_expires_at is None
    assert not item.file and not os.path.exists(path)  # the upload (BSNs) is gone
    assert jobs_expire()["budget.LedgerImport"] == 0  # once

    again, created = _offer_ledger(municipality, finance)
    assert created and again.pk != item.pk
    assert ledger_import_run(import_id=again.pk) == JobStatus.SUCCEEDED
    assert Receipt.objects.filter(ledger_import=again).count() == 2

    schedule = beat_schedule(processing_log_checkpoint_minutes=5)
    assert schedule[JOBS_EXPIRE_ENTRY]["task"] == "common.jobs_expire"
    assert schedule[JOBS_EXPIRE_ENTRY]["schedule"] <= 60


@pytest.mark.django_db
def test_finding_5_offering_the_file_again_ends_the_interrupted_import_without_beat(media):
    """Issue 13, finding 5: re-offering the file after the worker died works at once, also
    when beat's sweep has not run yet; while the job still has a lease it is not taken."""
    municipality = factories.MunicipalityFactory()
    finance = factories.UserFactory(finance=True)
    item, _ = _offer_ledger(municipality, finance)
    job_claim(LedgerImport, item.pk)  # a live worker (lease of five minutes)
    same, created = _offer_ledger(municipality, finance)
    assert not created and same.pk == item.pk  # still running: "al eerder aangeboden"

    LedgerImport.objects.filter(pk=item.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)  # the worker died
    )
    again, created = _offer_ledger(municipality, finance)
    assert created and again.pk != item.pk
    item.refresh_from_db()
    assert item.status == JobStatus.FAILED and not item.file


@pytest.mark.django_db
def test_finding_5_looking_at_an_interrupted_import_shows_it_failed(client, media):
    """Issue 13, finding 5: the status fragment the import page polls ends the interrupted
    import and shows why, instead of polling "Bezig" for ever."""
    from django.urls import reverse

    municipality = factories.MunicipalityFactory()
    finance = factories.UserFactory(finance=True)
    item, _ = _offer_ledger(municipality, finance)
    _worker_dies(LedgerImport, item.pk)
    client.force_login(finance)
    fragment = client.get(reverse("budget:import_status", args=[item.pk])).content.decode()
    assert "Onderbroken" in fragment and "hx-get" not in fragment
    item.refresh_from_db()
    assert item.status == JobStatus.FAILED and not item.file


@pytest.mark.django_db
def test_finding_5_interrupted_caseload_import_drops_its_upload(client):
    """Issue 13, finding 5: the caseload import job's upload (BSNs) stayed in the database
    while the job stayed "running"; looking at it (the status page polls) or the sweep ends it
    failed and drops the upload."""
    from apiauth.models import ImportJob
    from common.jobs import INTERRUPTED_REASON, jobs_expire_all

    beheer = factories.UserFactory(beheer=True)
    municipality = factories.MunicipalityFactory()

    def job():
        return ImportJob.objects.create(
            municipality=municipality,
            filename="export.csv",
            content=b"bsn;achternaam\n123456782;Jansen\n",
            created_by=beheer,
        )

    looked_at = job()
    _worker_dies(ImportJob, looked_at.pk)
    client.force_login(beheer)
    page = client.get(f"/beheer/import/{looked_at.pk}/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "Onderbroken" in page.content.decode() and "hx-trigger" not in page.content.decode()
    looked_at.refresh_from_db()
    assert looked_at.status == JobStatus.FAILED and looked_at.content is None
    assert looked_at.errors == [{"line": 0, "column": None, "message": INTERRUPTED_REASON}]

    swept = job()
    _worker_dies(ImportJob, swept.pk)
    assert jobs_expire_all()["apiauth.ImportJob"] == 1
    swept.refresh_from_db()
    assert swept.status == JobStatus.FAILED and swept.content is None


@pytest.mark.django_db
def test_finding_5_interrupted_buig_report_fails_and_can_be_made_again(media):
    """Issue 13, finding 5: a BUIG report whose worker died ends failed and is made again."""
    from budget.models import BuigReport
    from budget.reports import buig_report_generate
    from common.jobs import jobs_expire_all

    municipality = factories.MunicipalityFactory()
    report = BuigReport.objects.create(
        municipality=municipality, year=2025, created_by=factories.UserFactory(finance=True)
    )
    _worker_dies(BuigReport, report.pk)
    assert jobs_expire_all()["budget.BuigReport"] == 1
    report.refresh_from_db()
    assert report.status == JobStatus.FAILED and "Onderbroken" in report.errors[0]["reason"]
    assert buig_report_generate(report_id=report.pk) == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_finding_5_a_worker_back_after_its_job_ended_cannot_overwrite_the_end():
    """Issue 13, finding 5: once the sweep ended a job, the late worker's finish is refused
    (JobLost; inside the body's transaction its writes roll back)."""
    from common.jobs import JobLost, jobs_expire

    job = _worker_dies(LedgerImport, _ledger_import().pk)
    assert jobs_expire(LedgerImport.objects.all()) == [job.pk]
    with pytest.raises(JobLost):
        job_finish(job, JobStatus.SUCCEEDED)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finding_5_a_live_worker_keeps_its_lease_while_its_transaction_is_open():
    """Issue 13, finding 5: a worker that is alive is never swept: a thread renews the lease
    from a connection of its own, also while the body waits in one long transaction; when the
    renewals stop (the process died) the lease runs out and the sweep ends the job."""
    import time

    from common.jobs import job_lease_kept, jobs_expire

    job = job_claim(LedgerImport, _ledger_import().pk, lease=timedelta(seconds=1))
    with job_lease_kept(job, lease=timedelta(seconds=1), every=0.2), transaction.atomic():
        factories.MunicipalityFactory()  # the body's long transaction, writing
        time.sleep(1.5)
        assert _in_thread(lambda: jobs_expire(LedgerImport.objects.all())) == []
    time.sleep(1.2)
    assert _in_thread(lambda: jobs_expire(LedgerImport.objects.all())) == [job.pk]


def _left_queued(model, pk, *, minutes: int) -> None:
    """The job's row was saved but its task never reached the broker (Redis was down: the user
    got the 503 page) ``minutes`` ago."""
    model.objects.filter(pk=pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finding_5_a_job_left_queued_is_sent_again_and_runs(media, celery_worker):
    """Issue 13 (the chaos run's stuck jobs): an import offered while Redis was down kept its
    row *queued* with no message in the broker, for ever. Beat's sweep sends its task again once
    it has waited the grace period, and a worker runs it."""
    import time

    from budget.models import Receipt
    from common.tasks import jobs_expire

    item = _ledger_import(checksum="b" * 64)
    item.file.save("grootboek.csv", ContentFile(LEDGER_CSV))
    _left_queued(LedgerImport, item.pk, minutes=5)

    result = jobs_expire()
    assert result["budget.LedgerImport:requeued"] == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        item.refresh_from_db()
        if item.is_finished:
            break
        time.sleep(0.2)
    assert item.status == JobStatus.SUCCEEDED
    assert Receipt.objects.filter(ledger_import=item).count() == 2


@pytest.mark.django_db
def test_a_job_queued_within_its_grace_is_not_sent_again(media, settings):
    settings.JOB_QUEUE_GRACE_SECONDS = 120
    from common.jobs import jobs_requeue

    item = _ledger_import(checksum="c" * 64)
    assert jobs_requeue(LedgerImport.objects.all()) == []
    _left_queued(LedgerImport, item.pk, minutes=3)
    assert jobs_requeue(LedgerImport.objects.filter(pk=item.pk)) == [item.pk]


def test_every_job_model_names_a_registered_task():
    """A new job model without its task could never be sent again when left queued."""
    from common.jobs import job_models
    from config.celery import app

    models = job_models()
    assert models
    missing = {m._meta.label: m.task_name for m in models if m.task_name not in app.tasks}
    assert missing == {}
