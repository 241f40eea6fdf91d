"""Row-level security on every table with personal data (issue 17, docs/row-level-security.md).

Installs ``rls_municipalities()`` and one policy per table declared in ``common.rls.PROTECTED``.
The same function runs again after every ``migrate`` (``post_migrate``), so a table that a later
migration creates, or that a new app declares, is covered without a migration of its own."""

from django.db import migrations


def forwards(apps, schema_editor):
    from common import rls

    rls.policies_apply(using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    from common import rls

    rls.policies_remove(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0012_user_role_accountmanager"),
        ("intake", "0003_plan_signed_on"),
        ("budget", "0009_sisa_per_year"),
        ("apiauth", "0005_import_job_job"),
        ("privacy", "0003_accountable_key_id"),
        ("employers", "0002_occupations_isco08"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
