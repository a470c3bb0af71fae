"""A run whose process is killed leaves its row 'running'; the next run to take
the run lock marks it crashed (the lock proves its process is gone), and
`pledgewatch runs` shows it. A real process is killed here, no Prefect needed."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from pipeline.lock import RunInProgress, exclusive_run
from pipeline.run import begin_run
from pledgewatch.cli import main
from storage.db import migrate, reader

ROOT = Path(__file__).resolve().parents[2]
KILLED_RUN = """
import sys, time
from pipeline.lock import exclusive_run
from pipeline.run import begin_run
db = sys.argv[1]
with exclusive_run(db, "killed-run"):
    begin_run(db, "killed-run")
    print("running", flush=True)
    time.sleep(600)
"""


def statuses(db) -> dict[str, tuple]:
    with reader(db) as con:
        return {row[0]: row[1:] for row in con.execute("SELECT id, status, finished_at, message FROM runs").fetchall()}


def test_a_killed_run_is_marked_crashed_by_the_next_run(db_file, capsys):
    migrate(db_file)
    holder = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db_file)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "running"
        try:
            with exclusive_run(db_file, "too-early"):
                raise AssertionError("the lock of a live run was taken")
        except RunInProgress:
            pass
        assert statuses(db_file)["killed-run"][0] == "running"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert statuses(db_file)["killed-run"][0] == "running"

    with exclusive_run(db_file, "next-run"):
        assert begin_run(db_file, "next-run") == ["killed-run"]
    runs = statuses(db_file)
    status, finished, message = runs["killed-run"]
    assert status == "crashed" and finished is not None and "next-run" in message
    assert runs["next-run"][0] == "running"

    capsys.readouterr()
    assert main(["--db", str(db_file), "runs"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "killed-run" in line]
    assert listed and "crashed" in listed[0]
