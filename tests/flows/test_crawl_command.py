"""`pledgewatch crawl` is a run that stops after storing: it takes the run lock
(two crawls never overlap, as `pipeline.lock` promises) and writes its `runs`
row (issue 16, item 1). No Prefect involved: the crawl runs the plain steps."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from pipeline.lock import lock_path
from pledgewatch.cli import main
from pledgewatch.settings import DEMO_SITE, ROOT
from storage.db import migrate, reader


def _slow_sources(server, folder):
    """The demo feeds with a polite gap long enough for a second crawl to start meanwhile."""
    target = folder / "sources.toml"
    text = (DEMO_SITE / "sources.toml").read_text(encoding="utf-8")
    target.write_text(text.replace("{base}", server.base_url).replace("min_gap_s = 0.01", "min_gap_s = 0.2"),
                      encoding="utf-8")
    return target


def _wait_for_holder(db, process, timeout_s=120.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        text = lock_path(db).read_text() if lock_path(db).exists() else ""
        if text:
            return json.loads(text)
        time.sleep(0.05)
    raise AssertionError("the first crawl never took the run lock")


def test_two_overlapping_crawls_do_not_both_run_and_each_is_recorded(demo_server, db_file, capsys):
    migrate(db_file)  # so the second crawl's skipped run has a file to be recorded in
    sources = _slow_sources(demo_server, db_file.parent)
    command = ["--db", str(db_file), "crawl", "--sources", str(sources), "--allow-local"]
    first = subprocess.Popen([sys.executable, "-m", "pledgewatch.cli", *command], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        holder = _wait_for_holder(db_file, first)
        assert main(command) == 75
        assert "is still running on this database" in capsys.readouterr().err
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert out.startswith(f"crawl {holder['run_id']} → ")

    with reader(db_file) as con:
        runs = {row[0]: row[1:] for row in con.execute("SELECT id, kind, status, counts FROM runs").fetchall()}
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    first_row = runs.pop(holder["run_id"])
    assert first_row[:2] == ("crawl", "completed")
    assert [row[:2] for row in runs.values()] == [("crawl", "skipped")]
    counts = json.loads(first_row[2])
    assert articles > 0 and counts["inserted"] == articles and counts["extracted"] >= articles
    assert "scored" not in counts


def test_a_crawl_does_not_need_or_import_a_catalog(demo_server, db_file, capsys):
    sources = _slow_sources(demo_server, db_file.parent)
    assert main(["--db", str(db_file), "crawl", "--sources", str(sources), "--allow-local"]) == 0
    with reader(db_file) as con:
        assert con.execute("SELECT count(*) FROM pledges").fetchone()[0] == 0
        assert con.execute("SELECT kind, status FROM runs").fetchall() == [("crawl", "completed")]
