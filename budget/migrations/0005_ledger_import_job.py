"""Issue 16, point 6: the ledger import becomes a :class:`common.jobs.Job`. Its row counts are
the job's progress (``total_rows`` -> ``progress_total``, ``processed_rows`` -> ``progress_done``),
it gains a lease and a start time, and the stored status ``done`` becomes the shared code
``succeeded`` (reversible)."""

from django.db import migrations, models

LEDGER_STATUS_FORWARD = {"done": "succeeded"}


def _check_now(schema_editor):
    """Check deferred foreign keys at once: the ALTER TABLE after the row updates of this
    migration would otherwise meet pending trigger events."""
    if schema_editor is not None:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _relabel(apps, mapping):
    LedgerImport = apps.get_model("budget", "LedgerImport")
    for old, new in mapping.items():
        LedgerImport.objects.filter(status=old).update(status=new)


def statuses_forward(apps, schema_editor):
    _check_now(schema_editor)
    _relabel(apps, LEDGER_STATUS_FORWARD)


def statuses_backward(apps, schema_editor):
    _check_now(schema_editor)
    _relabel(apps, {new: old for old, new in LEDGER_STATUS_FORWARD.items()})


class Migration(migrations.Migration):
    dependencies = [("budget", "0004_delete_finished_ledger_uploads")]

    operations = [
        migrations.RemoveConstraint(model_name="ledgerimport", name="ledger_import_checksum_once"),
        migrations.RemoveConstraint(
            model_name="ledgerimport", name="ledger_import_progress_bounded"
        ),
        migrations.RenameField(
            model_name="ledgerimport", old_name="total_rows", new_name="progress_total"
        ),
        migrations.RenameField(
            model_name="ledgerimport", old_name="processed_rows", new_name="progress_done"
        ),
        migrations.AddField(
            model_name="ledgerimport",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lease tot"),
        ),
        migrations.AddField(
            model_name="ledgerimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gestart op"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="errors",
            field=models.JSONField(blank=True, default=list, verbose_name="fouten"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="klaar op"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="progress_done",
            field=models.PositiveIntegerField(default=0, verbose_name="verwerkt"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="progress_total",
            field=models.PositiveIntegerField(default=0, verbose_name="totaal"),
        ),
        migrations.AlterField(
            model_name="ledgerimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "In de wachtrij"),
                    ("running", "Bezig"),
                    ("succeeded", "Verwerkt"),
                    ("rejected", "Afgekeurd"),
                    ("failed", "Mislukt"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(statuses_forward, statuses_backward),
        migrations.AddConstraint(
            model_name="ledgerimport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running", "succeeded"])),
                fields=("municipality", "checksum"),
                name="ledger_import_checksum_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerimport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("progress_done__lte", models.F("progress_total")),
                    ("progress_total", 0),
                    _connector="OR",
                ),
                name="ledger_import_progress_bounded",
            ),
        ),
    ]
