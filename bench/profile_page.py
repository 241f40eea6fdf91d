"""Requests one page repeatedly in-process (Django test client, bench settings): time per request,
the share spent in SQL, and optionally a cProfile of the loop or py-spy around it.

    DATABASE_URL=.../bench_region_40000 .venv/bin/python bench/profile_page.py consulent /caseload/ 100
    # the dossier of a different resident each request (the residents the user may see, as the
    # locust load picks them):
    .venv/bin/python bench/profile_page.py consulent '/caseload/inwoners/{resident}/' 100
    # cProfile, the 40 functions with the most time of their own and the most cumulative time:
    .venv/bin/python bench/profile_page.py consulent /caseload/ 100 --cprofile 40
    # py-spy (collapsed stacks, summarised by bench/profile_summary.py):
    .venv/bin/py-spy record --format raw -o prof.txt -- \\
        .venv/bin/python bench/profile_page.py consulent /caseload/ 100
    .venv/bin/python bench/profile_summary.py prof.txt

Prints wall time, the wall time inside SQL calls, and the CPU time of this process per request
(Python only: PostgreSQL runs elsewhere; the figure that moves least with the machine's load),
with the load average before and after: the machine is shared, and the figures move with it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("TWO_FACTOR_ENFORCED", "false")


def _residents(user) -> list[int]:
    """The residents with an open benefit ``user`` may see (``bench/run.py``'s load picks these)."""
    from caseload.models import Resident

    return list(
        Resident.objects.visible_to(user)
        .filter(household__benefits__end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def main(argv: list[str]) -> None:
    import django

    django.setup()
    import cProfile
    import pstats
    import random

    from django.db import connection
    from django.test import Client

    from caseload.models import User

    username, url, count = argv[0], argv[1], int(argv[2])
    top = int(argv[argv.index("--cprofile") + 1]) if "--cprofile" in argv else 0
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    urls = [url]
    if "{resident}" in url:
        pool = _residents(user)
        rng = random.Random(17)  # the same residents in every run: before/after comparable
        urls = [url.format(resident=rng.choice(pool)) for _ in range(count)]
    for u in urls[:5]:  # warm: the template cache, the connection, the first queries
        assert client.get(u).status_code == 200, u
    sql = {"s": 0.0, "n": 0}

    def timed(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql["s"] += time.perf_counter() - started
            sql["n"] += 1

    load_before = os.getloadavg()
    profile = cProfile.Profile() if top else None
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timed):
        if profile:
            profile.enable()
        for i in range(count):
            response = client.get(urls[i % len(urls)])
            assert response.status_code == 200, response.status_code
        if profile:
            profile.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    load_after = os.getloadavg()
    print(
        f"{url}: {elapsed / count * 1000:.1f} ms per request, of which SQL "
        f"{sql['s'] / count * 1000:.1f} ms ({sql['n'] / count:.0f} queries); "
        f"CPU of this process {cpu / count * 1000:.1f} ms; "
        f"{len(response.content):,} bytes; load {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    if profile:
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main(sys.argv[1:])
