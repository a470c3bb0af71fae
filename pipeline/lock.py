"""One pipeline run per database at a time, however it was started.

The Prefect deployment has its own concurrency limit, but a run can also come
from a system cron (`pledgewatch run`), an operator's shell or a second `serve`
against another Prefect server, so the guarantee lives next to the database:
an exclusive `flock` on `<db>.run.lock`. The kernel drops it when the process
dies, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pledgewatch.errors import PledgewatchError


class RunInProgress(PledgewatchError, RuntimeError):
    """Another run holds the database's run lock."""


def lock_path(db: Path | str) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".run.lock")


@contextmanager
def exclusive_run(db: Path | str, run_id: str, wait_s: float = 0.0) -> Iterator[None]:
    """Holds the run lock for the block; waits up to `wait_s` for a running run to
    finish, then raises `RunInProgress` naming the holder."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunInProgress(_busy_message(path, wait_s)) from None
                time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        holder = {"pid": os.getpid(), "run_id": run_id, "started_at": datetime.now(UTC).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _busy_message(path: Path, waited: float) -> str:
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        holder = {}
    who = (f"run {holder.get('run_id')} (pid {holder.get('pid')}, started {holder.get('started_at')})"
           if holder else "another run")
    after = f" after waiting {waited:.0f} s" if waited else ""
    return f"{who} is still running on this database ({path}); this run did not start{after}"
