"""Mistakes on the command line get one clear line, never a traceback (issue 13, item 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pledgewatch.cli import main
from pledgewatch.settings import DEMO_SITE, ROOT
from storage.db import migrate

COMMANDS = [
    ["runs"],
    ["sql", "SELECT 1"],
    ["catalog", "import"],
    ["sources", "resume", "x"],
    ["sources", "check"],
    ["report", "--live"],
    ["export", "activities"],
    ["moderators", "list"],
    ["crawl", "--sources", str(DEMO_SITE / "sources.toml"), "--base-url", "http://127.0.0.1:9"],
]


@pytest.mark.parametrize("kind", ["directory", "text"])
def test_db_that_is_a_folder_or_not_duckdb_is_one_line_for_every_command(tmp_path, capsys, kind):
    db = tmp_path / "db.duckdb"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("name,score\nhanako,1\n", encoding="utf-8")
    for command in COMMANDS:
        assert main(["--db", str(db), *command]) == 2, command
        err = capsys.readouterr().err
        assert err.startswith("pledgewatch: ") and len(err.splitlines()) == 1, (command, err)
        assert str(db) in err and ("is a folder" if kind == "directory" else "not a DuckDB database") in err
    if kind == "text":
        assert db.read_text(encoding="utf-8") == "name,score\nhanako,1\n"


def test_a_command_that_creates_a_database_says_so(tmp_path, capsys):
    typo = tmp_path / "vra" / "pledgewatch.duckdb"
    assert main(["--db", str(typo), "catalog", "import"]) == 0
    assert f"creating a new database {typo}" in capsys.readouterr().err
    assert main(["--db", str(typo), "catalog", "import"]) == 0
    assert "creating" not in capsys.readouterr().err


def test_score_out_a_folder_is_refused_before_scoring_and_leaves_nothing(tmp_path, capsys):
    pledges = tmp_path / "p.jsonl"
    pledge = {"id": "p1", "politician": "高市早苗", "title": "日米同盟"}
    pledges.write_text(json.dumps(pledge, ensure_ascii=False) + "\n", encoding="utf-8")
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "a1", "title": "日米同盟", "body": "高市首相は日米同盟を確認した。"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "out", "p.jsonl"]
    missing = tmp_path / "no" / "such" / "c.jsonl"
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", str(missing)]) == 2
    assert "no folder" in capsys.readouterr().err


def test_output_piped_into_head_ends_quietly(tmp_path):
    db = tmp_path / "pw.duckdb"
    migrate(db)
    process = subprocess.Popen(
        [sys.executable, "-m", "pledgewatch.cli", "--db", str(db), "sql", "--format", "csv", "--max-rows",
         "200000", "SELECT range AS n FROM range(200000)"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"n\r\n"
    process.stdout.close()
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert process.returncode == 141


def test_sql_error_while_reading_the_result_is_one_line(tmp_path, capsys):
    db = tmp_path / "pw.duckdb"
    migrate(db)
    for fmt in ("table", "json"):
        assert main(["--db", str(db), "sql", "--format", fmt, "SELECT 'a'::INTEGER"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("pledgewatch: query failed") and "Traceback" not in err


def test_new_database_notice_names_the_file_only_once(tmp_path, capsys):
    db = tmp_path / "var" / "fresh.duckdb"
    assert main(["--db", str(db), "sources", "check", "--sources", str(DEMO_SITE / "sources.toml")]) == 0
    assert not db.exists() and "creating" not in capsys.readouterr().err


def test_python_m_cli_prints_a_user_error_raised_in_review_commands_as_one_line(tmp_path):
    """Under `python -m pledgewatch.cli` the module runs as __main__; review.commands
    used to import a second copy of it, whose UsageError the first did not catch."""
    env = {**os.environ, "PLEDGEWATCH_SECRET_KEY": "short"}
    done = subprocess.run([sys.executable, "-m", "pledgewatch.cli", "--db", str(tmp_path / "db.duckdb"), "review"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == "pledgewatch: PLEDGEWATCH_SECRET_KEY must be at least 32 characters long"
