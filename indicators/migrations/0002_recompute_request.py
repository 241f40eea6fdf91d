# Issue 13, finding 1: the recompute outbox.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0002_bsn_elfproef_and_catalogue"),
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecomputeRequest",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("affected_from", models.DateField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="caseload.municipality",
                    ),
                ),
            ],
            options={
                "verbose_name": "herberekeningsverzoek",
                "verbose_name_plural": "herberekeningsverzoeken",
                "indexes": [
                    models.Index(fields=["municipality", "id"], name="indicator_recompute_muni")
                ],
            },
        ),
    ]
