"""Writing a batch of records as one Arrow table: DuckDB ingests Arrow about
15x faster than executemany (DESIGN, measured facts)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

CHUNK_ROWS = 1000


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict], schema: pa.Schema,
           conflict: str = "") -> int:
    """INSERT the rows with an optional ON CONFLICT clause; returns rows written.
    Rows go in chunks so a large crawl never holds all of its articles twice
    (Python objects and an Arrow copy) at once."""
    columns = ", ".join(schema.names)
    name = f"_batch_{table}"
    written = 0
    for start in range(0, len(rows), CHUNK_ROWS):
        con.register(name, pa.Table.from_pylist(list(rows[start : start + CHUNK_ROWS]), schema=schema))
        try:
            result = con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name} {conflict}").fetchone()
        finally:
            con.unregister(name)
        written += int(result[0]) if result else 0
    return written
