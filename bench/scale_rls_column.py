"""Give a kept national-size benchmark database the row-level security columns of today's schema.

    .venv/bin/python bench/scale_rls_column.py bench_scale_40000

The ``--scale`` databases are seeded once (26 minutes and 13 GB at 400,000 households) and kept
with ``--reuse``; the ones seeded before the policies (issue 17) have no ``rls_municipality_id``
on the tables reached through a foreign key, which the indicator definitions now read. A
``migrate`` would add it with one ``UPDATE ... FROM`` per table (89 million rows rewritten at
400,000 households). These databases hold one municipality, so every row's copy is that
municipality: the column is added with it as a default, which PostgreSQL stores once in the
catalogue instead of rewriting the rows, and the default dropped again (new rows take the
trigger's value). Then ``common.rls.policies_apply`` writes what ``post_migrate`` writes: the
triggers, the policies and the column's index. Last, each table that got the column is
rewritten once (``VACUUM (FULL, ANALYZE)``), so that its rows carry the column as a migrated
database's do, and vacuumed again: a rewrite leaves the visibility map empty, and index-only
scans would read the heap for every row (11 million heap fetches in ``contact.in_beeld`` at
400,000). 5 s at 40,000 households, about 4 minutes at 400,000. Refuses a database with more
than one municipality (``manage.py migrate`` is the way there). Only ``bench_*`` databases.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402


def add_columns(database: str) -> None:
    from django.db import connection

    from common import rls

    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id) FROM caseload_municipality")
        ids = cursor.fetchone()[0] or []
        if len(ids) != 1:
            raise SystemExit(f"{database}: {len(ids)} municipalities; use manage.py migrate")
        existing = rls._existing_tables(cursor)
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = %s",
            [rls.COLUMN],
        )
        has_column = {row[0] for row in cursor.fetchall()}
        qn = connection.ops.quote_name
        added = []
        for policy in rls.policies():
            if policy.copy is None or policy.table not in existing:
                continue
            if policy.table not in has_column:
                table, column = qn(policy.table), qn(rls.COLUMN)
                cursor.execute(f"ALTER TABLE {table} ADD COLUMN {column} bigint DEFAULT {ids[0]:d}")
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
                added.append(policy.table)
    started = time.monotonic()
    rls.policies_apply()
    print(f"{database}: policies, triggers and indexes in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    with connection.cursor() as cursor:  # (autocommit: VACUUM runs outside a transaction)
        for table in added:
            cursor.execute(f"VACUUM (FULL, ANALYZE) {qn(table)}")
            cursor.execute(f"VACUUM {qn(table)}")
    print(
        f"{database}: {len(added)} tables rewritten with the column in "
        f"{time.monotonic() - started:.0f} s"
    )


def main(argv: list[str]) -> None:
    if len(argv) != 1 or not re.fullmatch(r"bench_[a-z0-9_]+", argv[0]):
        raise SystemExit(__doc__)
    os.environ["DATABASE_URL"] = benv.with_database(benv.server_url(), argv[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    add_columns(argv[0])


if __name__ == "__main__":
    main(sys.argv[1:])
