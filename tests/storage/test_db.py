import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from storage.db import DatabaseBusyError, longest_holds, migrate, migrations, reader, transaction


def test_migrations_are_numbered_and_apply_once(db_file):
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1
    assert migrate(db_file) == [name for _, name, _ in migrations()]
    assert migrate(db_file) == []
    with reader(db_file) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name in ("sources", "fetches", "articles", "politicians", "pledges", "candidates", "decisions",
                 "model_versions", "runs", "v_activities", "v_review_queue", "v_pledge_coverage", "v_source_health"):
        assert name in tables


def test_a_failing_batch_leaves_nothing_behind(db_file):
    migrate(db_file)
    with pytest.raises(RuntimeError), transaction(db_file) as con:
        con.execute("INSERT INTO runs (id, kind, started_at, status) VALUES ('r1', 'test', now(), 'running')")
        raise RuntimeError("crash mid-batch")
    with reader(db_file) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_reader_refuses_writes(db_file):
    migrate(db_file)
    with reader(db_file) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM runs")


def test_lock_held_by_another_process_is_waited_out_then_reported(db_file):
    migrate(db_file)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(db_file)!r})
            print("locked", flush=True)
            time.sleep(float(sys.argv[1]))
        """), "1.5"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusyError, match="locked by another process"), transaction(db_file, timeout=0.3):
            pass
        started = time.monotonic()
        with transaction(db_file, timeout=10) as con:
            con.execute("SELECT 1")
        assert time.monotonic() - started < 10
    finally:
        holder.wait(timeout=10)


def test_the_longest_hold_of_the_file_is_recorded_per_kind(db_file):
    """bench/pipeline.py reports how long the writer held the file (issue 12, item 6)."""
    migrate(db_file)
    with transaction(db_file):
        time.sleep(0.05)
    with reader(db_file):
        pass
    holds = longest_holds()
    assert holds["write"] >= 0.05 and "read" in holds
