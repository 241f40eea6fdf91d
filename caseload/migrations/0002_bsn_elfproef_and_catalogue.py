"""The BSN 11-test as a database CHECK, and the preloaded instrument catalogue."""

from django.db import migrations

ELFPROEF_SQL = """
ALTER TABLE caseload_resident ADD CONSTRAINT resident_bsn_elfproef CHECK (
    bsn ~ '^[0-9]{9}$' AND (
        9 * substr(bsn, 1, 1)::int + 8 * substr(bsn, 2, 1)::int + 7 * substr(bsn, 3, 1)::int
      + 6 * substr(bsn, 4, 1)::int + 5 * substr(bsn, 5, 1)::int + 4 * substr(bsn, 6, 1)::int
      + 3 * substr(bsn, 7, 1)::int + 2 * substr(bsn, 8, 1)::int - substr(bsn, 9, 1)::int
    ) % 11 = 0
    AND bsn <> '000000000'
);
"""


def load_catalogue(apps, schema_editor):
    from caseload.catalogue import INSTRUMENTS

    Instrument = apps.get_model("caseload", "Instrument")
    for code, name, category, srg, support, participation, cost in INSTRUMENTS:
        Instrument.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "srg_type": srg,
                "is_working_with_support": support,
                "is_participation": participation,
                "default_cost": cost,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("caseload", "0001_initial")]

    operations = [
        migrations.RunSQL(
            ELFPROEF_SQL,
            reverse_sql="ALTER TABLE caseload_resident DROP CONSTRAINT resident_bsn_elfproef;",
        ),
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
    ]
