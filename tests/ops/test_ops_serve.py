"""`pledgewatch serve` for real: it starts its own Prefect server (SQLite under a
temporary Prefect home), serves the deployment on a short interval, a scheduled
run crawls the demo site and is recorded, and SIGTERM stops everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from flows.schedule import ServeError, schedule_from_env, validate
from pledgewatch.settings import DEMO_SITE

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def completed_run(snapshot: Path) -> tuple | None:
    """Read from the analysts' snapshot, which every finished run writes: the
    test never touches the live file while the pipeline may be writing it."""
    if not snapshot.exists():
        return None
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return con.execute("SELECT status, flow_run_id, (counts->>'inserted')::INT FROM runs "
                           "WHERE status = 'completed'").fetchone()


def ui_shows_the_deployment_and_a_finished_run(ui: str, flow_run_id: str) -> None:
    """The Prefect UI that serve prints, in a real browser (Debian's Chromium)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: `make chromium` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            response = page.goto(ui)
            assert response is not None and response.status == 200
            page.goto(f"{ui}/deployments")
            page.get_by_text("nightly", exact=True).first.wait_for()
            assert "Can't connect to Server API" not in page.inner_text("body")
            page.goto(f"{ui}/runs/flow-run/{flow_run_id}")
            page.get_by_text("Completed").first.wait_for()
        finally:
            browser.close()


@pytest.mark.slow
def test_serve_schedules_and_a_scheduled_run_is_recorded(demo_server, tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_LOGGING_LEVEL": "WARNING",
                "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PLEDGEWATCH_DB": str(tmp_path / "pledgewatch.duckdb"),
                "PLEDGEWATCH_PROGRESS": "lines"})
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "pledgewatch.cli", "serve", "--interval", "10", "--port", str(port),
         "--sources", str(DEMO_SITE / "sources.toml"), "--allow-local", "--base-url", demo_server.base_url],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 150
        run = None
        while time.monotonic() < deadline and serve.poll() is None:
            started = started or psutil.Process(serve.pid).children(recursive=True)
            run = completed_run(tmp_path / "analytics.duckdb")
            if run:
                break
            time.sleep(1)
        output = (tmp_path / "serve.log").read_text()
        assert run, output
        status, flow_run_id, inserted = run
        assert status == "completed" and flow_run_id and inserted == len(demo_server.site.articles)
        assert "serving deployment 'pledgewatch-nightly/nightly' every 10 s" in output
        assert f"starting a Prefect server on 127.0.0.1:{port}" in output
        assert (tmp_path / "prefect" / "prefect.db").exists()
        assert f"(UI: http://127.0.0.1:{port})" in output
        ui_shows_the_deployment_and_a_finished_run(f"http://127.0.0.1:{port}", flow_run_id)

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=45) == 0
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, "the Prefect server must stop with serve"
    finally:
        for process in [psutil.Process(serve.pid), *started] if serve.poll() is None else started:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        log.close()


def test_schedule_defaults_and_validation(monkeypatch):
    monkeypatch.delenv("PLEDGEWATCH_CRON", raising=False)
    monkeypatch.delenv("PLEDGEWATCH_TIMEZONE", raising=False)
    default = schedule_from_env(None, None, None)
    assert (default.cron, default.timezone) == ("0 3 * * *", "Asia/Tokyo")
    monkeypatch.setenv("PLEDGEWATCH_CRON", "30 4 * * 1-5")
    assert schedule_from_env(None, None, None).cron == "30 4 * * 1-5"
    assert schedule_from_env("0 1 * * *", "UTC", None).describe() == "cron '0 1 * * *' (UTC)"
    validate(default)
    for bad in (schedule_from_env("0 3 * *", None, None), schedule_from_env(None, "Mars/Olympus", None),
                schedule_from_env(None, None, -5)):
        with pytest.raises(ServeError):
            validate(bad)
