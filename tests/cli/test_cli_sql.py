"""`pledgewatch sql`: analysts get SELECT over the database or the snapshot and
nothing else: no files written or read, no other database attached, no request
made, no setting changed (issue 13, item 1)."""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

import pytest

from pledgewatch.cli import main
from storage.analytics import publish
from storage.db import migrate, reader, transaction

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0$aGFzaA"
SECRET = "0123456789abcdef-signing-key-0123456789abcdef"


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    db = tmp_path / "var" / "pledgewatch.duckdb"
    migrate(db)
    with transaction(db) as con:
        con.execute("INSERT INTO moderators (name, password_hash, created_at, password_changed_at) "
                    "VALUES ('hanako', ?, now(), now())", [HASH])
    (db.parent / "secret_key").write_text(SECRET + "\n", encoding="utf-8")
    return db


@pytest.fixture
def recorder():
    """A loopback HTTP server that only counts requests."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def run_sql(db: Path, query: str, *extra: str) -> int:
    return main(["--db", str(db), "sql", *extra, query])


def is_admin(db: Path) -> bool:
    with reader(db) as con:
        return con.execute("SELECT is_admin FROM moderators WHERE name = 'hanako'").fetchone()[0]


@pytest.mark.parametrize("snapshot", [False, True], ids=["live", "snapshot"])
def test_sql_refuses_everything_but_select(live_db, tmp_path, recorder, capsys, snapshot):
    base_url, hits = recorder
    extra = ("--snapshot",) if snapshot else ()
    if snapshot:
        publish(live_db, exports=tmp_path / "exports")
    link = tmp_path / "link.duckdb"
    os.link(live_db, link)
    outside = tmp_path / "outside"
    attempts = [
        f"COPY (SELECT name, password_hash FROM moderators) TO '{outside}.csv'",
        f"COPY moderators TO '{outside}-2.csv'",
        f"EXPORT DATABASE '{outside}-export'",
        f"ATTACH '{link}' AS other (READ_WRITE)",
        f"ATTACH '{link}' AS other (READ_WRITE); UPDATE other.moderators SET is_admin = true",
        f"ATTACH '{outside}.duckdb' AS fresh; CREATE TABLE fresh.t AS SELECT 1 AS x",
        f"SELECT * FROM read_text('{live_db.parent / 'secret_key'}')",
        "SELECT * FROM read_csv('/etc/passwd')",
        f"SELECT * FROM read_blob('{live_db.parent / 'secret_key'}')",
        f"INSTALL fts FROM '{base_url}/ext'",
        f"SELECT * FROM read_csv('{base_url}/x.csv')",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "PRAGMA enable_profiling",
        "SET memory_limit = '1GB'",
        "CREATE TEMP TABLE t AS SELECT 1",
        "LOAD parquet",
        "SELECT 1; COPY moderators TO 'x.csv'",
    ]
    for attempt in attempts:
        assert run_sql(live_db, attempt, *extra) == 2, attempt
        captured = capsys.readouterr()
        assert captured.err.startswith("pledgewatch: "), attempt
        assert SECRET not in captured.out + captured.err and "root:" not in captured.out, attempt
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("outside")]
    assert not Path("x.csv").exists()
    assert hits == []
    assert not is_admin(live_db)
    assert run_sql(live_db, "SELECT name, is_admin FROM moderators", "--format", "json", *extra) == 0
    assert '"hanako"' in capsys.readouterr().out


def test_sql_message_says_only_select_is_allowed(live_db, capsys):
    assert run_sql(live_db, "CREATE TEMP TABLE t AS SELECT 1") == 2
    assert "only a single SELECT" in capsys.readouterr().err
    assert run_sql(live_db, "SELECT * FROM read_csv('/etc/passwd')") == 2
    assert "files" in capsys.readouterr().err
