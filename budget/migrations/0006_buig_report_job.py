"""Issue 16, point 6: the BUIG report becomes a :class:`common.jobs.Job`. Its percentage is the
job's progress (``progress`` -> ``progress_done`` of ``progress_total`` = 100), its error text
moves into the job's errors (``[{"line": 0, "reason": text}]``), it gains a lease and a start
time, and the stored status ``done`` becomes ``succeeded`` (reversible)."""

from django.db import migrations, models

REPORT_STATUS_FORWARD = {"done": "succeeded"}


def _check_now(schema_editor):
    """Check deferred foreign keys at once: the ALTER TABLE after the row updates of this
    migration would otherwise meet pending trigger events."""
    if schema_editor is not None:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor):
    _check_now(schema_editor)
    BuigReport = apps.get_model("budget", "BuigReport")
    for old, new in REPORT_STATUS_FORWARD.items():
        BuigReport.objects.filter(status=old).update(status=new)
    BuigReport.objects.update(progress_total=100)
    for report in BuigReport.objects.exclude(error="").only("pk", "error").iterator():
        BuigReport.objects.filter(pk=report.pk).update(errors=[{"line": 0, "reason": report.error}])


def backward(apps, schema_editor):
    _check_now(schema_editor)
    BuigReport = apps.get_model("budget", "BuigReport")
    for old, new in REPORT_STATUS_FORWARD.items():
        BuigReport.objects.filter(status=new).update(status=old)
    for report in BuigReport.objects.exclude(errors=[]).only("pk", "errors").iterator():
        text = " ".join(str(e.get("reason", "")) for e in report.errors if isinstance(e, dict))
        BuigReport.objects.filter(pk=report.pk).update(error=text)


class Migration(migrations.Migration):
    dependencies = [("budget", "0005_ledger_import_job")]

    operations = [
        migrations.RemoveConstraint(model_name="buigreport", name="buig_report_progress"),
        migrations.RemoveConstraint(model_name="buigreport", name="buig_report_done_has_file"),
        migrations.RenameField(
            model_name="buigreport", old_name="progress", new_name="progress_done"
        ),
        migrations.AlterField(
            model_name="buigreport",
            name="progress_done",
            field=models.PositiveIntegerField(default=0, verbose_name="verwerkt"),
        ),
        migrations.AddField(
            model_name="buigreport",
            name="progress_total",
            field=models.PositiveIntegerField(default=0, verbose_name="totaal"),
        ),
        migrations.AddField(
            model_name="buigreport",
            name="errors",
            field=models.JSONField(blank=True, default=list, verbose_name="fouten"),
        ),
        migrations.AddField(
            model_name="buigreport",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lease tot"),
        ),
        migrations.AddField(
            model_name="buigreport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gestart op"),
        ),
        migrations.AlterField(
            model_name="buigreport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op"),
        ),
        migrations.AlterField(
            model_name="buigreport",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="klaar op"),
        ),
        migrations.AlterField(
            model_name="buigreport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "In de wachtrij"),
                    ("running", "Bezig"),
                    ("succeeded", "Klaar"),
                    ("rejected", "Afgekeurd"),
                    ("failed", "Mislukt"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="buigreport", name="error"),
        migrations.AddConstraint(
            model_name="buigreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("progress_done__lte", 100)), name="buig_report_progress"
            ),
        ),
        migrations.AddConstraint(
            model_name="buigreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "succeeded"), _negated=True),
                    models.Q(("xlsx_sha256", ""), _negated=True),
                    _connector="OR",
                ),
                name="buig_report_done_has_file",
            ),
        ),
    ]
