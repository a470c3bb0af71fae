"""Reading stored articles by id, for steps that know which ones they want."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


def rows_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str], columns: Sequence[str]) -> list[tuple]:
    """`columns` of the articles in `ids`, in no particular order. A semi join on
    the id list reads the table once, where `list_contains` or one query per id
    scanned it again for every article."""
    return con.execute(
        f"SELECT {', '.join(columns)} FROM articles a "
        "SEMI JOIN (SELECT unnest(?::VARCHAR[]) AS id) wanted ON a.id = wanted.id", [list(ids)]
    ).fetchall()
