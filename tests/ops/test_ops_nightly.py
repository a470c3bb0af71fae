"""The nightly flow as the operator meets it, under the session's Prefect server:
one run at a time, run rows with source health, structured progress lines
when nobody watches, tokenizing cached for unchanged articles, and SIGTERM in
the middle of scoring leaving whole batches only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.settings import PREFECT_API_URL

from catalog.load import CatalogError
from flows.nightly import nightly
from pipeline.lock import exclusive_run
from pledgewatch.cli import main
from pledgewatch.settings import DATA, DEMO_SITE
from storage.db import migrate, reader, transaction


def run(server, db: Path, **options):
    return nightly.with_options(retries=0)(
        sources_file=str(DEMO_SITE / "sources.toml"), catalog_file=str(DATA / "pledges.toml"), db=str(db),
        base_url=server.base_url, allow_local=True, **options)


def sources_file(server, folder: Path) -> Path:
    """The demo sources with the server's address filled in, for `pledgewatch run`."""
    target = folder / "sources.toml"
    target.write_text((DEMO_SITE / "sources.toml").read_text(encoding="utf-8").replace("{base}", server.base_url),
                      encoding="utf-8")
    return target


def test_a_second_run_exits_with_a_clear_message_or_waits(prefect_harness, demo_server, db_file, capsys):
    migrate(db_file)
    with exclusive_run(db_file, "running-elsewhere"):
        skipped = run(demo_server, db_file, publish=False)
        code = main(["--db", str(db_file), "run", "--sources", str(sources_file(demo_server, db_file.parent)),
                     "--allow-local"])
    assert skipped.status == "skipped" and "running-elsewhere" in skipped.message
    assert code == 75 and "is still running on this database" in capsys.readouterr().err

    holder = exclusive_run(db_file, "finishing-soon")
    holder.__enter__()
    threading.Timer(1.5, holder.__exit__, (None, None, None)).start()
    waited = run(demo_server, db_file, publish=False, wait_s=30)
    assert waited.status == "completed"
    with reader(db_file) as con:
        statuses = dict(con.execute("SELECT id, status FROM runs").fetchall())
    assert statuses[skipped.run_id] == "skipped" and statuses[waited.run_id] == "completed"


def test_run_row_progress_lines_and_cached_tokenizing(prefect_harness, demo_server, db_file, capfd, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_PROGRESS", "lines")
    first = run(demo_server, db_file)
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    events = [(line["event"], line.get("stage")) for line in lines]
    for expected in [("run_started", None), ("stage_started", "crawl"), ("stage_finished", "crawl"),
                     ("stage_finished", "tokenize+score"), ("stage_finished", "snapshot"), ("run_finished", None)]:
        assert expected in events
    scored = next(line for line in lines if line.get("stage") == "tokenize+score" and line["event"] == "stage_finished")
    assert scored["done"] == scored["total"] == first.counts["scored"] and scored["rate_per_s"] > 0

    with reader(db_file) as con:
        row = con.execute("SELECT status, counts, errors, source_health FROM runs WHERE id = ?",
                          [first.run_id]).fetchone()
        before = con.execute("SELECT article_id, pledge_id, score FROM candidates ORDER BY ALL").fetchall()
    counts, errors, health = (json.loads(v) for v in row[1:])
    assert row[0] == "completed" and counts["scored"] == first.counts["scored"] and counts["ms_crawl"] > 0
    assert errors == first.errors
    by_source = {h["source_id"]: h for h in health}
    assert len(by_source) == 6 and {h["status"] for h in health} <= {"ok", "degraded"}
    assert sum(h["articles"] for h in health) == counts["extracted"]
    assert any(h["status"] == "degraded" and h["errors"] for h in health)  # the demo site's 404 page
    assert Path(first.export, "_manifest.json").exists()

    with transaction(db_file) as con:  # as if a new model version had to look at every article again
        con.execute("DELETE FROM candidates")
        con.execute("DELETE FROM scored_articles")
    again = nightly.with_options(retries=0)(
        sources_file=str(DEMO_SITE / "sources.toml"), catalog_file=str(DATA / "pledges.toml"), db=str(db_file),
        base_url=demo_server.base_url, allow_local=True, publish=False, return_state=True)
    summary = again.result()
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[again.state_details.flow_run_id])))
    tokenized = [t.state.name for t in task_runs if t.name.startswith("tokenize-batch")]
    assert tokenized and set(tokenized) == {"Cached"}
    assert summary.counts["scored"] == first.counts["scored"]
    with reader(db_file) as con:
        after = con.execute("SELECT article_id, pledge_id, score FROM candidates ORDER BY ALL").fetchall()
    assert after == before


def test_sigterm_while_scoring_keeps_whole_batches_and_the_next_run_finishes(prefect_harness, demo_server, db_file):
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PLEDGEWATCH_DB": str(db_file),
           "PLEDGEWATCH_BATCH_SIZE": "3", "PLEDGEWATCH_PROGRESS": "lines", "PLEDGEWATCH_PROGRESS_INTERVAL": "0"}
    command = [sys.executable, "-m", "pledgewatch.cli", "run", "--sources",
               str(sources_file(demo_server, db_file.parent)), "--allow-local"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("stage") == "tokenize+score" and event.get("event") == "progress" and event["done"] >= 9:
                process.send_signal(signal.SIGTERM)
                break
        _, rest = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGTERM, rest  # Prefect re-raises the signal once the run is recorded
    assert "stopped by SIGTERM" in rest

    with reader(db_file) as con:
        status, message = con.execute("SELECT status, message FROM runs").fetchone()
        scored = con.execute("SELECT count(*) FROM scored_articles").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM scored_articles s "
                              "WHERE s.article_id = c.article_id AND s.model_version = c.model_version)").fetchone()[0]
        originals = con.execute("SELECT count(*) FROM articles WHERE dup_of IS NULL").fetchone()[0]
    assert status == "interrupted" and "SIGTERM" in message
    assert scored % 3 == 0 and 9 <= scored < originals  # whole batches only
    assert orphans == 0

    assert run(demo_server, db_file, publish=False).status == "completed"
    with reader(db_file) as con:
        assert con.execute("SELECT count(*) FROM scored_articles").fetchone()[0] == originals
        assert con.execute("SELECT count(*) - count(DISTINCT (article_id, pledge_id, model_version)) FROM candidates"
                           ).fetchone()[0] == 0
        assert [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()] == [
            "interrupted", "completed"]


def test_a_broken_catalog_is_a_failed_run_with_the_reason(prefect_harness, demo_server, db_file):
    broken = db_file.parent / "pledges.toml"
    broken.write_text('[[pledges]]\nid = "orphan"\npolitician = "nobody"\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        nightly.with_options(retries=0)(sources_file=str(DEMO_SITE / "sources.toml"), catalog_file=str(broken),
                                        db=str(db_file), base_url=demo_server.base_url, allow_local=True)
    with reader(db_file) as con:
        status, message = con.execute("SELECT status, message FROM runs").fetchone()
    assert status == "failed" and "CatalogError" in message and "pledges.toml" in message


def test_database_steps_retry_only_a_busy_database():
    from prefect.states import Failed

    from flows.nightly import DATABASE_RETRIES
    from storage.db import DatabaseBusyError

    retry = DATABASE_RETRIES["retry_condition_fn"]
    assert retry(None, None, Failed(data=DatabaseBusyError("locked by another process")))
    assert not retry(None, None, Failed(data=CatalogError("pledges.toml", 3, "politician", "unknown")))


BROKEN_SOURCES = '[[sources]]\nid = "x"\noutlet = "某新聞"\nkind = "rss"\n'  # no url


@pytest.mark.timeout(180)
def test_run_with_a_broken_sources_file_fails_at_once_with_the_line_sources_check_gives(tmp_path):
    broken = tmp_path / "sources.toml"
    broken.write_text(BROKEN_SOURCES, encoding="utf-8")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    command = [sys.executable, "-m", "pledgewatch.cli", "--db", str(tmp_path / "pw.duckdb")]
    check = subprocess.run([*command, "sources", "check", "--sources", str(broken)], capture_output=True, text=True,
                           env=env, timeout=120, check=False)
    run_ = subprocess.run([*command, "run", "--sources", str(broken)], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert check.returncode == 2 and len(check.stderr.splitlines()) == 1
    assert run_.returncode == 2, run_.stderr
    assert run_.stderr == check.stderr and "Traceback" not in run_.stderr


@pytest.mark.timeout(180)
def test_the_flow_does_not_retry_an_input_error(prefect_harness, db_file, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_FLOW_RETRIES", "1")
    monkeypatch.setenv("PLEDGEWATCH_FLOW_RETRY_DELAY_S", "0")
    broken = db_file.parent / "sources.toml"
    broken.write_text(BROKEN_SOURCES, encoding="utf-8")
    with pytest.raises(CatalogError):
        nightly(sources_file=str(broken), catalog_file=str(DATA / "pledges.toml"), db=str(db_file))
    with reader(db_file) as con:
        assert [r[0] for r in con.execute("SELECT status FROM runs").fetchall()] == ["failed"]


def test_only_transient_faults_retry_the_whole_run():
    import httpx

    from pipeline.run import is_transient
    from storage.db import DatabaseBusyError

    assert is_transient(DatabaseBusyError("locked by another process"))
    assert is_transient(httpx.ConnectError("refused"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(CatalogError("pledges.toml", 3, "politician", "unknown"))
    assert not is_transient(ValueError("a bug"))
