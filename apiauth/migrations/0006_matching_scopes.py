"""Issue 18: the matching API's scopes ``matching:read`` and ``matching:write`` read and write
residents' data, so a key holding one needs the privacy officer's approval like the caseload
scopes (``apiauth.scopes.RESIDENT_SCOPES``). No key holds them yet: only the constraint changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apiauth", "0005_import_job_job"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="apitoken",
            name="apitoken_resident_scope_needs_approval",
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=~models.Q(approval="niet_nodig")
                | ~models.Q(
                    scopes__overlap=[
                        "caseload:read",
                        "caseload:write",
                        "matching:read",
                        "matching:write",
                    ]
                ),
                name="apitoken_resident_scope_needs_approval",
            ),
        ),
    ]
