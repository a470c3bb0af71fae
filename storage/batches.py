"""Writing a batch of records as one Arrow table: DuckDB ingests Arrow about
15x faster than executemany (DESIGN, measured facts)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict], schema: pa.Schema,
           conflict: str = "") -> int:
    """INSERT the rows with an optional ON CONFLICT clause; returns rows written."""
    if not rows:
        return 0
    batch = pa.Table.from_pylist(list(rows), schema=schema)
    columns = ", ".join(schema.names)
    name = f"_batch_{table}"
    con.register(name, batch)
    try:
        written = con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name} {conflict}").fetchone()
    finally:
        con.unregister(name)
    return int(written[0]) if written else 0
