from django.db import migrations, models


class Migration(migrations.Migration):
    """When a period's figures were last computed, kept through a new 'started' mark (issue 17:
    a fill rewrites only the figures that changed, so "berekend op" comes from here)."""

    dependencies = [("indicators", "0003_indicatorvalue_changed_at")]

    operations = [
        migrations.AddField(
            model_name="fillstate",
            name="computed_at",
            field=models.DateTimeField(null=True, verbose_name="berekend op"),
        ),
        migrations.RunSQL(
            "UPDATE indicators_fillstate SET computed_at = updated_at WHERE state = 'done'",
            migrations.RunSQL.noop,
        ),
    ]
