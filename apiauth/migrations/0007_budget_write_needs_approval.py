"""Security review of 3 December, finding 2: ``budget:write`` offers payments files, whose lines
are resolved by BSN to residents' benefits, so a key holding it needs the privacy officer's
approval like the resident scopes (``apiauth.scopes.RESIDENT_SCOPES``). A key that holds it
without an approval ("niet_nodig") waits for one from now on ("wacht"): it stops
authenticating until the privacy officer approves it (docs/security.md, section 14)."""

from django.db import migrations, models

NEEDS_APPROVAL = [
    "caseload:read",
    "caseload:write",
    "budget:write",
    "matching:read",
    "matching:write",
]


def budget_keys_wait(apps, schema_editor):
    ApiToken = apps.get_model("apiauth", "ApiToken")
    ApiToken.objects.filter(approval="niet_nodig", scopes__overlap=["budget:write"]).update(
        approval="wacht"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("apiauth", "0006_matching_scopes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="apitoken",
            name="apitoken_resident_scope_needs_approval",
        ),
        # back: the keys stay waiting (an approval is never given by a migration)
        migrations.RunPython(budget_keys_wait, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=~models.Q(approval="niet_nodig")
                | ~models.Q(scopes__overlap=NEEDS_APPROVAL),
                name="apitoken_resident_scope_needs_approval",
            ),
        ),
    ]
