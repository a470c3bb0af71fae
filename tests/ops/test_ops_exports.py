"""The analysts' snapshot and Parquet: consistent copies, secrets left out,
readers undisturbed while a new snapshot replaces the old one."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from storage import analytics
from storage.db import reader, transaction

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"


def add_review_secrets(db: Path) -> None:
    """The review app's tables as its migration creates them, with a hash and a session."""
    with transaction(db) as con:
        con.execute("CREATE TABLE IF NOT EXISTS moderators (name VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, "
                    "is_admin BOOLEAN NOT NULL DEFAULT false, created_at TIMESTAMPTZ NOT NULL, created_by VARCHAR, "
                    "password_changed_at TIMESTAMPTZ NOT NULL, disabled_at TIMESTAMPTZ)")
        con.execute("CREATE TABLE IF NOT EXISTS sessions (token_hash VARCHAR PRIMARY KEY, moderator VARCHAR NOT NULL, "
                    "created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ)")
        con.execute("INSERT INTO moderators (name, password_hash, created_at, password_changed_at) "
                    "VALUES ('ops-test', '$argon2id$secret', now(), now())")
        con.execute("INSERT INTO sessions VALUES ('token-hash', 'ops-test', now(), now() + INTERVAL 1 DAY, NULL)")


def test_snapshot_copies_tables_and_views_but_not_secrets(db_copy):
    add_review_secrets(db_copy)
    result = analytics.publish(db_copy)
    assert result.snapshot == db_copy.parent / "analytics.duckdb" and not result.skipped_views
    with reader(db_copy) as live, duckdb.connect(str(result.snapshot), read_only=True) as snap:
        for table in ("articles", "candidates", "decisions", "fetches", "runs", "pledges"):
            assert snap.execute(f"SELECT count(*) FROM {table}").fetchone() == live.execute(
                f"SELECT count(*) FROM {table}").fetchone(), table
        views = {r[0] for r in live.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        copied = {r[0] for r in snap.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert copied == views
        for view in views:
            assert snap.execute(f"SELECT count(*) FROM {view}").fetchone() == live.execute(
                f"SELECT count(*) FROM {view}").fetchone(), view
        types = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'articles' ORDER BY 1"
        internal = ("sketch", "BLOB")
        assert internal in live.execute(types).fetchall()
        assert snap.execute(types).fetchall() == [c for c in live.execute(types).fetchall() if c != internal]
        tables = {r[0] for r in snap.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        moderator_columns = {r[0] for r in snap.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'moderators'").fetchall()}
    assert "sessions" not in tables and "login_attempts" not in tables
    assert moderator_columns == {"name", "is_admin", "created_at", "disabled_at"}
    assert b"$argon2id$secret" not in result.snapshot.read_bytes()


def test_parquet_by_month_zstd_with_manifest(db_copy):
    result = analytics.publish(db_copy)
    current = db_copy.parent / "exports" / "current"
    assert current.is_symlink() and current.resolve() == result.export.resolve()
    manifest = json.loads((current / analytics.MANIFEST).read_text(encoding="utf-8"))
    with reader(db_copy) as live, duckdb.connect() as con:
        months = {r[0] for r in live.execute(
            "SELECT DISTINCT strftime(timezone('Asia/Tokyo', coalesce(published, fetched_at)), '%Y-%m') FROM articles"
        ).fetchall()}
        assert {p.name for p in (current / "articles").iterdir()} == {f"month={m}" for m in months}
        for name, table in (("articles", "articles"), ("activities", "v_activities"), ("decisions", "decisions")):
            count = con.execute(f"SELECT count(*) FROM read_parquet('{current}/{name}/*/*.parquet', "
                                "hive_partitioning = true)").fetchone()[0]
            assert count == live.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == manifest["rows"][name]
        queue = con.execute(f"SELECT count(*) FROM '{current}/review_queue.parquet'").fetchone()[0]
        assert queue == live.execute("SELECT count(*) FROM v_review_queue").fetchone()[0]
        codecs = {r[0] for r in con.execute(
            f"SELECT DISTINCT compression FROM parquet_metadata('{current}/**/*.parquet')").fetchall()}
        assert codecs == {"ZSTD"}
        example = next(b for b in re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
                       if "read_parquet" in b)
        assert con.execute(example.replace("var/exports/current", str(current))).fetchall()


def test_readers_keep_their_snapshot_while_a_new_one_replaces_it(db_copy):
    first = analytics.publish(db_copy)
    old_folder = first.export.resolve()
    with duckdb.connect(str(first.snapshot), read_only=True) as analyst:
        before = analyst.execute("SELECT count(*) FROM runs").fetchone()[0]
        with transaction(db_copy) as con:
            con.execute("INSERT INTO runs (id, kind, started_at, status) VALUES ('later', 'nightly', now(), 'running')")
        second = analytics.publish(db_copy)
        assert analyst.execute("SELECT count(*) FROM runs").fetchone()[0] == before  # still the old file
        assert old_folder.is_dir()  # an analyst's query on the old folder keeps working
    with duckdb.connect(str(second.snapshot), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM runs").fetchone()[0] == before + 1
    for _ in range(analytics.KEEP_EXPORTS + 1):
        analytics.publish(db_copy)
    folders = [p for p in (db_copy.parent / "exports").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(folders) == analytics.KEEP_EXPORTS and not old_folder.exists()
    leftovers = [p.name for p in db_copy.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pledgewatch.cli", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_sql_is_read_only_and_export_parquet_writes_a_snapshot(db_copy, tmp_path):
    refused = cli("sql", "DELETE FROM runs", db=db_copy)
    assert refused.returncode == 2 and "read-only" in refused.stderr
    rows = cli("sql", "--format", "json", "SELECT status, articles_inserted FROM v_runs", db=db_copy)
    assert rows.returncode == 0 and json.loads(rows.stdout.splitlines()[0])["status"] == "completed"
    missing = cli("sql", "--snapshot", "SELECT 1", db=db_copy)
    assert missing.returncode == 2 and "does not exist yet" in missing.stderr

    out = tmp_path / "parquet"
    exported = cli("export", "parquet", str(out), db=db_copy)
    assert exported.returncode == 0, exported.stderr
    assert (out / "current" / "articles").is_dir() and not (db_copy.parent / "analytics.duckdb").exists()
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*) FROM '{out}/current/pledges.parquet'").fetchone()[0] > 0
    csv = cli("sql", "--format", "csv", "SELECT count(*) AS n FROM pledges", db=db_copy)
    assert csv.stdout.splitlines()[0] == "n" and int(csv.stdout.splitlines()[1]) > 0
    outside = cli("sql", f"SELECT count(*) FROM '{out}/current/pledges.parquet'", db=db_copy)
    assert outside.returncode == 2 and "outside the database" in outside.stderr


def test_sql_takes_turns_and_says_so(db_copy):
    with transaction(db_copy):
        busy = cli("sql", "--wait", "1", "SELECT 1", db=db_copy)
    assert busy.returncode == 2 and "locked by another process" in busy.stderr
