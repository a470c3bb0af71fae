"""Connections to the one DuckDB file, under DESIGN §2's one-writer discipline.

DuckDB locks the file per process, readers included, so every caller opens a
short connection, does one batch, and closes. A lock held by another process is
waited out with bounded backoff, then reported plainly instead of as a stack trace.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from pledgewatch import settings
from pledgewatch.errors import PledgewatchError
from pledgewatch.jst import JST

DEFAULT_DB = settings.DEFAULT_DB


# Longest time this process held the file, per kind ("write" for transaction(),
# "read" for reader()): while one process holds it, every other one waits, the
# review app included, so this is what benchmarks report (DESIGN §2).
_LONGEST_HOLD_S: dict[str, float] = {}


def first_row(cursor: duckdb.DuckDBPyConnection) -> tuple:
    """The row of a query that always answers one (an aggregate, INSERT … RETURNING)."""
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the query answered no row")
    return row


def longest_holds() -> dict[str, float]:
    """Seconds, per kind, of the longest connection this process has held so far."""
    return dict(_LONGEST_HOLD_S)


def _held(kind: str, since: float) -> None:
    _LONGEST_HOLD_S[kind] = max(_LONGEST_HOLD_S.get(kind, 0.0), time.monotonic() - since)


class DatabaseBusyError(PledgewatchError, RuntimeError):
    """Another process kept the database file locked for longer than we wait."""


class DatabaseFileError(PledgewatchError, ValueError):
    """The database path names a folder or a file that is not DuckDB's."""


def db_path(path: Path | str | None = None) -> Path:
    return settings.db_file(path)


def memory_limit() -> str:
    """DuckDB's own cache, per connection. Its default, 80 % of RAM, let a
    backfill's store steps grow the process by 0.5 GB more for every 35,000
    articles stored; our transactions are small batches, and queries that need
    more spill to disk."""
    return settings.db_memory()


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _open(path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a folder, not a DuckDB database file (check --db or PLEDGEWATCH_DB)")
    deadline = time.monotonic() + (settings.db_lock_timeout_s() if timeout is None else timeout)
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config={"memory_limit": memory_limit()})
        except duckdb.IOException as exc:
            if "not a valid DuckDB database" in str(exc):
                raise DatabaseFileError(f"{path} is not a DuckDB database file (check --db or PLEDGEWATCH_DB); "
                                        "it was left as it is") from None
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() + delay > deadline:
                raise DatabaseBusyError(
                    f"{path} is locked by another process (a nightly run, the review app or "
                    f"an analyst's session) and stayed locked for "
                    f"{settings.db_lock_timeout_s() if timeout is None else timeout:.0f} s; try again when it "
                    f"has finished, or read the snapshot var/analytics.duckdb instead"
                ) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


@contextmanager
def transaction(path: Path | str | None = None, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One batch, one transaction, one short-lived connection: commit on success,
    roll back on any exception so a crash never leaves half a batch behind."""
    target = db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    con = _open(target, read_only=False, timeout=timeout)
    opened = time.monotonic()
    try:
        con.execute(f"SET TimeZone = '{JST.key}'")
        con.begin()
        try:
            yield con
        except BaseException:
            con.rollback()
            raise
        con.commit()
    finally:
        con.close()
        _held("write", opened)


@contextmanager
def reader(path: Path | str | None = None, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    target = db_path(path)
    if not target.exists():
        raise FileNotFoundError(f"{target} does not exist yet: run `pledgewatch demo` or `pledgewatch run` first")
    con = _open(target, read_only=True, timeout=timeout)
    opened = time.monotonic()
    try:
        con.execute(f"SET TimeZone = '{JST.key}'")
        yield con
    finally:
        con.close()
        _held("read", opened)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every numbered file in storage/migrations, in order."""
    found = []
    for item in resources.files("storage.migrations").iterdir():
        name = item.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, item.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(path: Path | str | None = None) -> list[str]:
    """Apply the migrations the file has not seen yet, each in its own transaction."""
    applied: list[str] = []
    with transaction(path) as con:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, name, sql in migrations():
        if version in done:
            continue
        with transaction(path) as con:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
        applied.append(name)
    return applied
