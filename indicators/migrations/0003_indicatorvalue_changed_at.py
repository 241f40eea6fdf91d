from django.db import migrations, models


class Migration(migrations.Migration):
    """A fill writes only the figures that changed (issue 17, the regional recompute): the row's
    time is when it last changed; when it was last computed is its period's fill state."""

    dependencies = [("indicators", "0002_recompute_request")]

    operations = [
        migrations.RenameField(
            model_name="indicatorvalue", old_name="computed_at", new_name="changed_at"
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="changed_at",
            field=models.DateTimeField(verbose_name="laatst gewijzigd"),
        ),
    ]
