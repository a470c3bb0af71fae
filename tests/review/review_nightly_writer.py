"""Stands in for the nightly flow in the concurrency test: another process that
writes batches of articles and candidates into the same DuckDB file, one short
transaction per batch (DESIGN §2), holding the lock a while each time.

Usage: python review_nightly_writer.py DB STOP_FILE HOLD_SECONDS. Prints "started"
after its first batch, writes until STOP_FILE exists, then prints how many
batches it wrote."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from review_seed import Suggestion, article_row, store

from storage.db import transaction


def write(db: Path, stop: Path, hold: float) -> int:
    batch = 0
    while batch == 0 or not stop.exists():
        rows = [article_row(f"https://nightly.example.jp/{batch}/{n}.html", f"夜間の記事 {batch}-{n}",
                            "首相は積極財政について述べた。\n\n二段落目。", "夜間新聞", None) for n in range(20)]
        with transaction(db) as con:
            store(con, rows, [Suggestion(r["id"], "takaichi-fiscal", 0.3) for r in rows], model="nightly-test")
            time.sleep(hold)
        if batch == 0:
            print("started", flush=True)
        batch += 1
        time.sleep(hold)
    return batch


if __name__ == "__main__":
    print(write(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])), flush=True)
