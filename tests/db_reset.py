"""A faster reset between transactional tests, with the same result as Django's (issue 16).

A transactional test (``transaction=True, serialized_rollback=True``) commits, so Django resets
the database around it: after the test ``flush`` (one ``TRUNCATE`` of every table), before the
next one ``deserialize_db_from_string`` (the reference rows that data migrations and
``post_migrate`` wrote, about 950 of them: content types, permissions, ISCO occupations, PC4
centroids, the instrument catalogue, ..., saved one object at a time, two statements each). On
the 2-core machine that was 1.5-4 s per transactional test, a fifth of the suite's worker time.

:func:`install` keeps both steps and makes them cheap:

* the reference rows are copied once per test database, right after Django's set-up, into a
  schema of their own (:data:`SCHEMA`, one table per non-empty table), and restored with one
  ``INSERT ... SELECT`` per table instead of ~1,900 statements (``ON CONFLICT DO NOTHING``:
  the first transactional test of a worker restores into the untouched database, where
  Django's save-or-update would also change nothing). The copy is taken after Django
  serialized the contents, so it holds the same rows the serialized string does (every table
  of a migrated app), with their ids; constraints are checked as Django checks them.
* the flush deletes the rows of the tables that have any (``DELETE`` under deferred constraints)
  instead of truncating all 84 tables with their indexes (new files for ~300 relations per
  test); the processing log, which refuses ``DELETE`` (append-only trigger), is still truncated
  (its trigger lets a test database do that). Sequences are left as they were, as Django's
  flush with ``reset_sequences=False`` leaves them. The reference rows are put back by the
  flush itself too, so that the database between tests is always as migrated, whatever test
  a worker runs next (the restore at the start of a serialized test then finds them there).

Both only run as the database owner (a superuser in the embedded server); a session that has
switched to the application role (row-level security) falls back to Django's own statements.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

SCHEMA = "test_reference_rows"
# refuses DELETE (append-only), allows TRUNCATE in a test database (privacy migration 0002)
TRUNCATE_ONLY = {"privacy_processingrecord"}


def _owner_session(cursor) -> bool:
    cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def _columns(cursor, table: str) -> list[str]:
    """The columns an INSERT may name (generated columns are computed, not copied)."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _non_empty(cursor, qn, tables: list[str]) -> list[str]:
    if not tables:
        return []
    cursor.execute(
        " UNION ALL ".join(
            # identifiers from the catalogue, quoted
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM public.{qn(table)})"  # noqa: S608
            for table in tables
        ),
        tables,
    )
    return [row[0] for row in cursor.fetchall()]


def install(connection: BaseDatabaseWrapper) -> None:
    """Snapshot the reference rows of ``connection``'s (just set-up) test database and replace
    its flush and its restore of serialized contents with the set-based equivalents above."""
    qn = connection.ops.quote_name
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        if not _owner_session(cursor):
            return
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        snapshot: list[tuple[str, str]] = []
        for table in _non_empty(cursor, qn, tables):
            columns = ", ".join(qn(column) for column in _columns(cursor, table))
            cursor.execute(
                f"CREATE TABLE {SCHEMA}.{qn(table)} AS SELECT {columns} FROM public.{qn(table)}"  # noqa: S608
            )
            snapshot.append((table, columns))

    django_flush = connection.ops.sql_flush
    django_restore = connection.creation.deserialize_db_from_string

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        with connection.cursor() as cursor:
            owner = _owner_session(cursor)
            filled = _non_empty(cursor, qn, list(tables)) if owner else []
        if not owner or reset_sequences or allow_cascade:
            return django_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        statements = ["SET CONSTRAINTS ALL DEFERRED"]
        statements += [
            f"{'TRUNCATE' if table in TRUNCATE_ONLY else 'DELETE FROM'} {qn(table)}"
            for table in filled
        ]
        # the reference rows come back in the same transaction, not only at the start of the
        # next serialized-rollback test: a plain database test that runs after this one on the
        # same worker (pytest-xdist's worksteal hands a worker the tail of the other's queue)
        # finds the database as migrated, as it would before any transactional test
        statements += _restore_statements()
        return statements

    def _restore_statements() -> list[str]:
        return [
            f"INSERT INTO public.{qn(table)} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM {SCHEMA}.{qn(table)} ON CONFLICT DO NOTHING"
            for table, columns in snapshot
        ]

    def deserialize_db_from_string(data: str) -> None:
        from django.db import transaction

        with connection.cursor() as cursor:
            if not _owner_session(cursor):
                return django_restore(data)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for statement in _restore_statements():
                cursor.execute(statement)
        connection.check_constraints(table_names=[table for table, _ in snapshot])

    connection.ops.sql_flush = sql_flush
    connection.creation.deserialize_db_from_string = deserialize_db_from_string
