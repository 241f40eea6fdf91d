"""Bulk writing with PostgreSQL ``COPY``: values in COPY text format, one buffer of rows per table
with primary keys allocated here, and the id sequences moved past the written ids afterwards."""

from __future__ import annotations

from collections.abc import Sequence

NULL = "\\N"


def esc(value: str) -> str:
    """Escape text for PostgreSQL COPY text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def euros(cents: int) -> str:
    """An amount in cents as COPY text (euros with two decimals)."""
    return f"{cents // 100}.{cents % 100:02d}"


def boolean(value: bool | None) -> str:
    if value is None:
        return NULL
    return "t" if value else "f"


class Table:
    """Rows of one table for the current chunk, in COPY text format, with ids allocated here."""

    def __init__(self, model: type, columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.columns = ", ".join(f'"{c}"' for c in ("id", *columns))
        self.next_id = 1
        self.count = 0
        self.rows: list[str] = []

    def add(self, *values: str | int) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append(f"{pk}\t" + "\t".join(map(str, values)) + "\n")
        return pk

    def take(self) -> tuple[str, list[str]]:
        """The COPY statement and the rows of this chunk; the table starts a new chunk."""
        rows, self.rows = self.rows, []
        self.count += len(rows)
        return f"COPY {self.name} ({self.columns}) FROM STDIN", rows


def copy_chunk(cursor, batches: list[tuple[str, list[str]]]) -> None:
    """Write one chunk with COPY, table by table (runs in the writer thread)."""
    step = 50_000
    for statement, rows in batches:
        if not rows:
            continue
        with cursor.copy(statement) as copy:
            for i in range(0, len(rows), step):
                copy.write("".join(rows[i : i + step]))


def allocate_ids(tables: Sequence[Table], cursor) -> None:
    """Start each table's ids after the highest id already stored."""
    for table in tables:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')  # noqa: S608
        table.next_id = cursor.fetchone()[0] + 1


def reset_sequences(tables: Sequence[Table], cursor) -> None:
    """Move each table's id sequence past the ids written with COPY."""
    for table in tables:
        sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"  # noqa: S608
        cursor.execute(sql, [table.name])
