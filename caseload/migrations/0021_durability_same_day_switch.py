"""Outflow durability judged before the same-day rule (4 December): a household whose next
benefit started on the outflow day (full outflow) or on the day the reduced benefit ended for
work (partial outflow) was judged still off benefit (a bijstand benefit; loonkostensubsidie is none). Those judgements are set to what the rule
now says (not durable); every other value, a hand-recorded one included, stays."""

from django.db import migrations

FIELDS = (("still_off_benefit_6m", 6), ("still_off_benefit_12m", 12))

FULL = """
UPDATE caseload_outflowevent AS o
   SET {field} = false
  FROM caseload_benefit AS left_benefit
 WHERE o.kind = 'volledig' AND o.{field}
   AND left_benefit.id = o.benefit_id
   AND EXISTS (
       SELECT 1 FROM caseload_benefit AS later
        WHERE later.household_id = left_benefit.household_id
          AND later.id <> left_benefit.id
          AND later.regime IN ('pw', 'ioaw', 'ioaz', 'bbz_starter')
          AND later.start_date = o.occurred_on
   )
"""

PARTIAL = """
UPDATE caseload_outflowevent AS o
   SET {field} = false
  FROM caseload_benefit AS b
 WHERE o.kind = 'gedeeltelijk' AND o.{field}
   AND b.id = o.benefit_id
   AND b.end_date IS NOT NULL
   AND b.end_date <= (o.occurred_on + make_interval(months => {months}))::date
   AND EXISTS (
       SELECT 1 FROM caseload_benefit AS later
        WHERE later.household_id = b.household_id
          AND later.id <> b.id
          AND later.regime IN ('pw', 'ioaw', 'ioaz', 'bbz_starter')
          AND later.start_date = b.end_date
   )
"""


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for field, months in FIELDS:
            cursor.execute(FULL.format(field=field))
            cursor.execute(PARTIAL.format(field=field, months=months))


class Migration(migrations.Migration):
    dependencies = [("caseload", "0020_export_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
