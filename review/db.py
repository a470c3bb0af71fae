"""The review app's turns at the DuckDB file (DESIGN §2).

Every request opens one short connection and closes it before rendering. DuckDB
keeps one database instance per file per process and refuses a read-only and a
read-write connection side by side, so this process also takes turns with
itself: one connection at a time, behind a lock. Writes are retried once as a
whole when the nightly flow keeps the file locked past storage.db's bounded wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from storage.db import DatabaseBusyError, reader, transaction

T = TypeVar("T")


class Database:
    def __init__(self, path: Path, *, attempts: int = 2, wait: float = 120.0) -> None:
        self.path = path
        self.attempts = attempts
        self.wait = wait
        self._turn = threading.Lock()

    @contextmanager
    def _my_turn(self) -> Iterator[None]:
        if not self._turn.acquire(timeout=self.wait):
            raise DatabaseBusyError(f"{self.path}: too many requests waiting for the database")
        try:
            yield
        finally:
            self._turn.release()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection: a page view can never write by mistake."""
        with self._my_turn(), reader(self.path) as con:
            yield con

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work` in one transaction; if the file stays locked, run it again from
        the start (its checks included), then give up with DatabaseBusyError."""
        failure: DatabaseBusyError | None = None
        for _ in range(self.attempts):
            try:
                with self._my_turn(), transaction(self.path) as con:
                    return work(con)
            except DatabaseBusyError as exc:
                failure = exc
        assert failure is not None
        raise failure
