"""Issue 16, point 6: the caseload import job becomes a :class:`common.jobs.Job`. Its row counts
are the job's progress (``total_rows`` -> ``progress_total``, ``processed_rows`` ->
``progress_done``), it gains a lease and a start time, and its Dutch status codes become the
shared English ones. "mislukt" covered two end states: a job whose errors hold the line-0
"Technische fout" crashed (``failed``); any other was refused for its rows (``rejected``).
Reversible (both go back to "mislukt")."""

from django.db import migrations, models

IMPORT_STATUS_FORWARD = {"wachtrij": "queued", "bezig": "running", "geslaagd": "succeeded"}
CRASH_MESSAGE_PREFIX = "Technische fout"


def import_status_of(status: str, errors) -> str:
    """The shared code for a stored Dutch status (and, for "mislukt", the job's errors)."""
    if status in IMPORT_STATUS_FORWARD:
        return IMPORT_STATUS_FORWARD[status]
    if status == "mislukt":
        crashed = any(
            isinstance(e, dict)
            and not e.get("line")
            and str(e.get("message", "")).startswith(CRASH_MESSAGE_PREFIX)
            for e in errors or []
        )
        return "failed" if crashed else "rejected"
    return status


def _check_now(schema_editor):
    """Check deferred foreign keys at once, so that no ALTER TABLE after these row updates (in
    this transaction) meets pending trigger events."""
    if schema_editor is not None:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor):
    _check_now(schema_editor)
    ImportJob = apps.get_model("apiauth", "ImportJob")
    for old, new in IMPORT_STATUS_FORWARD.items():
        ImportJob.objects.filter(status=old).update(status=new)
    for job in ImportJob.objects.filter(status="mislukt").only("pk", "errors").iterator():
        ImportJob.objects.filter(pk=job.pk).update(status=import_status_of("mislukt", job.errors))


def backward(apps, schema_editor):
    _check_now(schema_editor)
    ImportJob = apps.get_model("apiauth", "ImportJob")
    for old, new in IMPORT_STATUS_FORWARD.items():
        ImportJob.objects.filter(status=new).update(status=old)
    ImportJob.objects.filter(status__in=["rejected", "failed"]).update(status="mislukt")


class Migration(migrations.Migration):
    dependencies = [("apiauth", "0004_drop_intake_scopes")]

    operations = [
        migrations.RenameField(
            model_name="importjob", old_name="total_rows", new_name="progress_total"
        ),
        migrations.RenameField(
            model_name="importjob", old_name="processed_rows", new_name="progress_done"
        ),
        migrations.AddField(
            model_name="importjob",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lease tot"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gestart op"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "In de wachtrij"),
                    ("running", "Bezig"),
                    ("succeeded", "Geslaagd"),
                    ("rejected", "Mislukt, niets ingelezen"),
                    ("failed", "Mislukt, niets ingelezen"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
