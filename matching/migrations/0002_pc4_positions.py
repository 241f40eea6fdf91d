"""Load the PC4 positions (matching/data/README.md says what they are and are not)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "pc4_positions.csv"


def load(apps, schema_editor):
    Pc4Centroid = apps.get_model("matching", "Pc4Centroid")
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    Pc4Centroid.objects.bulk_create(
        [Pc4Centroid(pc4=r["pc4"], x_km=float(r["x_km"]), y_km=float(r["y_km"])) for r in rows]
    )


def unload(apps, schema_editor):
    apps.get_model("matching", "Pc4Centroid").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
