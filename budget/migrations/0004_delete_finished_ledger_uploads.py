"""Issue 12, finding 16: uploaded ledger files (they may hold BSNs and names) were kept after
the import ended. Delete the uploads of every finished import (done, rejected, failed) and
forget their names; ``budget.services.ledger_import_run`` now deletes them itself."""

from django.db import migrations


def delete_finished_uploads(apps, schema_editor):
    from django.core.files.storage import default_storage

    LedgerImport = apps.get_model("budget", "LedgerImport")
    finished = LedgerImport.objects.filter(status__in=["done", "rejected", "failed"]).exclude(
        file=""
    )
    for name in finished.values_list("file", flat=True).iterator():
        default_storage.delete(name)
    finished.update(file="")


class Migration(migrations.Migration):
    dependencies = [("budget", "0003_payment_month_totals")]

    operations = [migrations.RunPython(delete_finished_uploads, migrations.RunPython.noop)]
