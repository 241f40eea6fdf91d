"""A full recompute with a fill setting on and off, in alternating runs of the same code (issue 17).

    .venv/bin/python bench/fill_ab.py --db bench_region_40000 [--setting INDICATORS_FILL_SHARED_TABLES]
        [--rounds 2] [--municipality GM0402 ...]

Fills every indicator for every year with data (``indicator_values_fill``, the workers of the
settings) for each municipality of the database (or those given by CBS code), once with the
setting false and once true per round, after one warming fill, and prints the wall seconds of
each run, its slowest fill and the load average. Alternating within minutes keeps the machine's
load (other engineers' suites) out of the comparison better than two runs of ``bench/run.py``.
Only ``bench_*`` databases; the fill rewrites the same figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from region_fill_times import _setup  # noqa: E402


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench_region_40000")
    parser.add_argument("--setting", default="INDICATORS_FILL_SHARED_TABLES")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--municipality", action="append", default=[])
    args = parser.parse_args(argv)
    _setup(args.db)
    from django.conf import settings
    from django.utils import timezone

    from caseload.models import Municipality
    from indicators.services import indicator_values_fill

    today = timezone.localdate()
    municipalities = Municipality.objects.filter(households__isnull=False).distinct()
    if args.municipality:
        municipalities = municipalities.filter(cbs_code__in=args.municipality)
    ids = list(municipalities.order_by("pk").values_list("pk", flat=True))
    print(f"{args.db}: {len(ids)} municipalities, load {os.getloadavg()}", flush=True)
    for pk in ids:
        indicator_values_fill(municipality_id=pk, today=today)  # warm the cache like the fill
    for round_ in range(args.rounds):
        for value in (False, True):
            setattr(settings, args.setting, value)
            started = time.monotonic()
            slowest: tuple[str, float] = ("", 0.0)
            for pk in ids:
                result = indicator_values_fill(municipality_id=pk, today=today)
                top = max(result.seconds.items(), key=lambda kv: kv[1])
                slowest = max(slowest, top, key=lambda kv: kv[1])
            print(
                f"round {round_} {args.setting}={value}: {time.monotonic() - started:.2f} s"
                f" (slowest fill {slowest[0][:60]} {slowest[1]:.2f} s), load {os.getloadavg()}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
