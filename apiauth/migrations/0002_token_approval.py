"""Issue 12, finding 2: keys with a resident-data scope need the privacy officer's approval,
and every key expires.

Existing keys: those without a resident-data scope are marked "no approval needed"; those with
one start *pending* (a key minted by one person alone stops working until the privacy officer
approves it on the "API-sleutels goedkeuren" page). Keys without an expiry date get one,
``API_TOKEN_DEFAULT_LIFETIME_DAYS`` from now."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RESIDENT_SCOPES = ["caseload:read", "caseload:write", "intake:read", "intake:write"]


def existing_tokens(apps, schema_editor):
    from django.utils import timezone

    ApiToken = apps.get_model("apiauth", "ApiToken")
    ApiToken.objects.exclude(scopes__overlap=RESIDENT_SCOPES).update(approval="niet_nodig")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_LIFETIME_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("apiauth", "0001_initial"),
        ("caseload", "0006_ladderscore_measured_on_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="approval",
            field=models.CharField(
                choices=[
                    ("niet_nodig", "Niet nodig (geen inwonergegevens)"),
                    ("wacht", "Wacht op goedkeuring"),
                    ("goedgekeurd", "Goedgekeurd"),
                    ("afgewezen", "Afgewezen"),
                ],
                default="wacht",
                max_length=12,
                verbose_name="goedkeuring",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="beoordeeld op"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                help_text="De privacyfunctionaris die de sleutel goedkeurde of afwees.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="beoordeeld door",
            ),
        ),
        migrations.RunPython(existing_tokens, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("approval", "niet_nodig"), _negated=True),
                    models.Q(
                        (
                            "scopes__overlap",
                            ["caseload:read", "caseload:write", "intake:read", "intake:write"],
                        ),
                        _negated=True,
                    ),
                    _connector="OR",
                ),
                name="apitoken_resident_scope_needs_approval",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("approval__in", ["goedgekeurd", "afgewezen"]),
                        ("approved_at__isnull", False),
                        ("approved_by__isnull", False),
                    ),
                    models.Q(
                        ("approval__in", ["niet_nodig", "wacht"]),
                        ("approved_at__isnull", True),
                        ("approved_by__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="apitoken_approval_names_decider",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("created_by__isnull", True),
                    ("approved_by__isnull", True),
                    models.Q(("approved_by", models.F("created_by")), _negated=True),
                    _connector="OR",
                ),
                name="apitoken_four_eyes",
            ),
        ),
    ]
