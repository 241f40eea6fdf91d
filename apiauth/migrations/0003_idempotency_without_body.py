"""Issue 12, finding 16: idempotency records no longer keep the response body (it held BSNs and
names for a day). They keep the status and the created object's id; a repeat reads the object
again. Rows stored before the upgrade keep their object's id; their bodies are dropped."""

from django.db import migrations, models


def body_to_object_id(apps, schema_editor):
    IdempotencyKey = apps.get_model("apiauth", "IdempotencyKey")
    for row in IdempotencyKey.objects.only("pk", "response_body").iterator():
        body = row.response_body if isinstance(row.response_body, dict) else {}
        if isinstance(body.get("id"), int):
            IdempotencyKey.objects.filter(pk=row.pk).update(object_id=body["id"])
    IdempotencyKey.objects.filter(object_id__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("apiauth", "0002_token_approval")]

    operations = [
        migrations.AddField(
            model_name="idempotencykey",
            name="object_id",
            field=models.BigIntegerField(null=True, verbose_name="id van het aangemaakte object"),
        ),
        migrations.RunPython(body_to_object_id, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="response_body"),
        migrations.AlterField(
            model_name="idempotencykey",
            name="object_id",
            field=models.BigIntegerField(verbose_name="id van het aangemaakte object"),
        ),
    ]
