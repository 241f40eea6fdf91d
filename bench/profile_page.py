"""Requests one page repeatedly in-process (Django test client, bench settings), for py-spy.

    DATABASE_URL=.../bench_main .venv/bin/py-spy record --format raw -o prof.txt -- \\
        .venv/bin/python bench/profile_page.py consulent /caseload/ 100
    .venv/bin/python bench/profile_summary.py prof.txt
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("TWO_FACTOR_ENFORCED", "false")

if __name__ == "__main__":
    import django

    django.setup()
    from django.test import Client

    from caseload.models import User

    username, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)
    started = time.monotonic()
    for _ in range(count):
        assert client.get(url).status_code == 200
    print(f"{url}: {(time.monotonic() - started) / count * 1000:.0f} ms per request")
