"""The `runs` table: one row per pipeline run, written at start and at end."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, kind: str, flow_run_id: str | None = None) -> None:
    con.execute(
        "INSERT INTO runs (id, flow_run_id, kind, started_at, status) VALUES (?, ?, ?, ?, 'running') "
        "ON CONFLICT (id) DO NOTHING",
        [run_id, flow_run_id, kind, datetime.now(UTC)],
    )


def mark_crashed(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Call only while holding the run lock (`pipeline.lock`): the lock proves that no
    other run is alive, so any other row still 'running' is a run whose process
    died (killed, out of memory, power cut). Returns their ids."""
    rows = con.execute(
        "UPDATE runs SET status = 'crashed', finished_at = ?, "
        "message = concat_ws('; ', message, 'its process died before the run finished (found by run ' || ? || ')') "
        "WHERE status = 'running' AND id <> ? RETURNING id",
        [datetime.now(UTC), run_id, run_id],
    ).fetchall()
    return [row[0] for row in rows]


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict, errors: dict,
               source_health: list[dict] | None = None, message: str | None = None) -> None:
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, counts = ?, errors = ?, source_health = ?, message = ? "
        "WHERE id = ?",
        [datetime.now(UTC), status, json.dumps(counts, ensure_ascii=False), json.dumps(errors, ensure_ascii=False),
         json.dumps(source_health or [], ensure_ascii=False, default=str), message, run_id],
    )


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[tuple]:
    return con.execute(
        "SELECT id, kind, started_at, finished_at, status, counts, errors, message FROM runs "
        "ORDER BY started_at DESC LIMIT ?", [limit]
    ).fetchall()
