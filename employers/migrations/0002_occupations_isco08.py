"""Load the ISCO-08 unit groups with their Dutch titles (employers/data/README.md)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "isco08_unit_groups_nl.csv"


def load(apps, schema_editor):
    Occupation = apps.get_model("employers", "Occupation")
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    Occupation.objects.bulk_create(
        [Occupation(code=r["code"], title=r["title_nl"], major_group=r["code"][0]) for r in rows]
    )


def unload(apps, schema_editor):
    apps.get_model("employers", "Occupation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("employers", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
