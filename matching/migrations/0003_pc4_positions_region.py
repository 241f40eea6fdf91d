"""The PC4 positions of the demo region's other municipalities (Groningen, 's-Hertogenbosch,
Amersfoort; issue 17): the same file as 0002, loaded idempotently (update or create)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "pc4_positions.csv"


def load(apps, schema_editor):
    Pc4Centroid = apps.get_model("matching", "Pc4Centroid")
    with DATA.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            Pc4Centroid.objects.update_or_create(
                pc4=r["pc4"], defaults={"x_km": float(r["x_km"]), "y_km": float(r["y_km"])}
            )


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_pc4_positions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
