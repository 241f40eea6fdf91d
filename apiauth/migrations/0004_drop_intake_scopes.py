"""Issue 16, point 12: the intake API has no operations, so its scopes go.

Existing keys lose ``intake:read`` and ``intake:write`` (they opened nothing); their approval
state stays as it is. The approval constraint now names only the caseload scopes as
resident-data scopes (``apiauth.scopes.RESIDENT_SCOPES``)."""

from django.db import migrations, models

INTAKE_SCOPES = ["intake:read", "intake:write"]


def drop_intake_scopes(apps, schema_editor):
    ApiToken = apps.get_model("apiauth", "ApiToken")
    for token in ApiToken.objects.filter(scopes__overlap=INTAKE_SCOPES).only("pk", "scopes"):
        token.scopes = [scope for scope in token.scopes if scope not in INTAKE_SCOPES]
        token.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [
        ("apiauth", "0003_idempotency_without_body"),
    ]

    operations = [
        migrations.RunPython(drop_intake_scopes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="apitoken",
            name="apitoken_resident_scope_needs_approval",
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=~models.Q(approval="niet_nodig")
                | ~models.Q(scopes__overlap=["caseload:read", "caseload:write"]),
                name="apitoken_resident_scope_needs_approval",
            ),
        ),
    ]
