"""Load the benchmark's large demo region into the database of ``DATABASE_URL`` (issue 17).

    .venv/bin/python bench/region_seed.py TOTAL_HOUSEHOLDS YEARS [SEED] [COUNT]

16 municipalities (``caseload.demo.large_region``: the four of the seeds and twelve fictional
ones of varying size) with ``TOTAL_HOUSEHOLDS`` open benefit households in all and ``YEARS`` of
history each, grouped in the demo region. ``bench/run.py --region`` runs it under
``/usr/bin/time -v``. Prints one line per municipality and the rows per table
(``caseload_<table> <count>``, the format ``bench/run.py`` adds up).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

if __name__ == "__main__":
    import django

    django.setup()
    from django.utils import timezone

    from caseload.demo import has_demo_data
    from caseload.demo.large_region import generate_large_region

    total, years = int(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    if has_demo_data():
        sys.exit("the database already holds data: region_seed loads into an empty one")
    per_municipality = generate_large_region(
        total_households=total,
        today=timezone.localdate(),
        seed=seed,
        years=years,
        count=count,
        stdout=sys.stdout,
    )
    counts: dict[str, int] = {}
    for rows in per_municipality.values():
        for name, n in rows.items():
            counts[name] = counts.get(name, 0) + n
    for name, n in counts.items():
        print(f"{name} {n}")
