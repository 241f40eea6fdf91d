"""The BSN CHECK also refuses a weighted sum of 0 (e.g. 000000012), as common.bsn does.

Migration 0002 only excluded '000000000', so nine digits whose weighted sum is exactly 0 passed
the database check although ``is_valid_bsn`` (and the service) reject them.
"""

from django.db import migrations

WEIGHTED_SUM = """(
        9 * substr(bsn, 1, 1)::int + 8 * substr(bsn, 2, 1)::int + 7 * substr(bsn, 3, 1)::int
      + 6 * substr(bsn, 4, 1)::int + 5 * substr(bsn, 5, 1)::int + 4 * substr(bsn, 6, 1)::int
      + 3 * substr(bsn, 7, 1)::int + 2 * substr(bsn, 8, 1)::int - substr(bsn, 9, 1)::int
    )"""

FORWARD = f"""
ALTER TABLE caseload_resident DROP CONSTRAINT resident_bsn_elfproef;
ALTER TABLE caseload_resident ADD CONSTRAINT resident_bsn_elfproef CHECK (
    bsn ~ '^[0-9]{{9}}$' AND {WEIGHTED_SUM} % 11 = 0 AND {WEIGHTED_SUM} <> 0
);
"""

BACKWARD = f"""
ALTER TABLE caseload_resident DROP CONSTRAINT resident_bsn_elfproef;
ALTER TABLE caseload_resident ADD CONSTRAINT resident_bsn_elfproef CHECK (
    bsn ~ '^[0-9]{{9}}$' AND {WEIGHTED_SUM} % 11 = 0 AND bsn <> '000000000'
);
"""


class Migration(migrations.Migration):
    dependencies = [("caseload", "0003_outflow_work_hours_not_null")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
