"""`pledgewatch serve`: the nightly flow on a schedule, through a Prefect server.

Prefect's temporary server (what a plain `pledgewatch run` gets) refuses to
schedule, so serving needs a persistent one: `PREFECT_API_URL` when the
operator runs their own, else a local `prefect server start` on 127.0.0.1 with
its SQLite database in Prefect's home (`var/prefect/`), started here in its
own process group and stopped with it. Runs, retries and logs then show in the
Prefect UI at that address.

Two nightly runs never overlap: the deployment allows one run at a time (a
run due while another is still going is cancelled by Prefect, with a message
in the UI), and every run also takes the database's run lock (`pipeline.lock`),
which covers runs started outside Prefect too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pledgewatch import settings
from pledgewatch.errors import PledgewatchError
from pledgewatch.jst import JST

DEFAULT_CRON = "0 3 * * *"
DEFAULT_TIMEZONE = JST.key
DEFAULT_PORT = 4200
DEPLOYMENT = "nightly"
SERVER_START_TIMEOUT_S = 90.0


class ServeError(PledgewatchError, RuntimeError):
    """The Prefect server could not be reached or started."""


@dataclass(frozen=True)
class Schedule:
    cron: str = DEFAULT_CRON
    timezone: str = DEFAULT_TIMEZONE
    interval_s: float | None = None  # replaces the cron schedule (tests, trials)

    def describe(self) -> str:
        if self.interval_s:
            return f"every {self.interval_s:g} s"
        return f"cron '{self.cron}' ({self.timezone})"

    def prefect(self) -> Any:
        from prefect.schedules import Cron, Interval

        if self.interval_s:
            return Interval(timedelta(seconds=self.interval_s), timezone=self.timezone)
        return Cron(self.cron, timezone=self.timezone)


@dataclass(frozen=True)
class ServeOptions:
    schedule: Schedule
    parameters: dict[str, Any] = field(default_factory=dict)
    port: int = DEFAULT_PORT


def schedule_from_env(cron: str | None, timezone: str | None, interval_s: float | None) -> Schedule:
    """Command-line values first, then PLEDGEWATCH_CRON / PLEDGEWATCH_TIMEZONE."""
    return Schedule(cron=cron or settings.cron() or DEFAULT_CRON,
                    timezone=timezone or settings.timezone() or DEFAULT_TIMEZONE,
                    interval_s=interval_s)


def validate(schedule: Schedule) -> None:
    """Fails before any server starts: a typo in a cron line would otherwise
    surface as a Prefect API error after 20 seconds of start-up."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    if schedule.interval_s is not None and schedule.interval_s <= 0:
        raise ServeError("--interval must be a positive number of seconds")
    try:
        CronSchedule(cron=schedule.cron, timezone=schedule.timezone)
    except ValidationError as exc:
        problems = "; ".join(error["msg"] for error in exc.errors())
        raise ServeError(f"schedule {schedule.cron!r} in {schedule.timezone!r}: {problems}") from None


def serve(options: ServeOptions, log=print) -> None:
    """Blocks until Ctrl-C or SIGTERM; then pauses the schedule, lets Prefect
    stop a run in progress (it is marked interrupted and resumes next time)
    and stops the server this call started."""
    validate(options.schedule)
    with _terminate_as_interrupt(), prefect_server(options.port, log) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
        from prefect.deployments.runner import EntrypointType
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.nightly import nightly

        log(f"serving deployment '{nightly.name}/{DEPLOYMENT}' {options.schedule.describe()} via {api_url}"
            f" (UI: {api_url.removesuffix('/api')})")
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            nightly.serve(
                name=DEPLOYMENT,
                schedules=[options.schedule.prefect()],
                parameters=options.parameters,
                global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
                limit=1,
                print_starting_message=False,
                entrypoint_type=EntrypointType.MODULE_PATH,
            )


@contextmanager
def prefect_server(port: int, log=print) -> Iterator[str]:
    """The API URL to use: PREFECT_API_URL if set (it must answer), a server
    already listening on 127.0.0.1:port, or one started here."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        if not _healthy(configured):
            raise ServeError(f"PREFECT_API_URL={configured} does not answer; start that server or unset the variable")
        yield configured
        return
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        log(f"using the Prefect server already running at {api_url}")
        yield api_url
        return
    if _port_taken(port):
        raise ServeError(f"127.0.0.1:{port} is taken by something that is not a Prefect server; use --port")
    with _started_server(port, log) as url:
        yield url


@contextmanager
def _started_server(port: int, log=print) -> Iterator[str]:
    api_url = f"http://127.0.0.1:{port}/api"
    home = Path(os.environ.get("PREFECT_HOME", "var/prefect"))
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    # The UI's pages call the API from the browser; without this they call port 4200 whatever --port says.
    env.setdefault("PREFECT_SERVER_UI_API_URL", api_url)
    log(f"starting a Prefect server on 127.0.0.1:{port} (database {home / 'prefect.db'}, log {home / 'server.log'})")
    with open(home / "server.log", "ab") as server_log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_until_healthy(api_url, process)
        yield api_url
    finally:
        stop_process_group(process)


def _wait_until_healthy(api_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"the Prefect server exited with status {process.returncode} while starting; "
                             "see server.log in Prefect's home")
        if _healthy(api_url):
            return
        time.sleep(0.5)
    raise ServeError(f"the Prefect server did not answer at {api_url} within {SERVER_START_TIMEOUT_S:.0f} s")


def stop_process_group(process: subprocess.Popen, grace_s: float = 15.0) -> None:
    """The server starts workers of its own: stop the whole group, politely first."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        return


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _port_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (systemd stop, kill) takes the same clean path as Ctrl-C, which
    Prefect's serve already handles; the default action would kill this process
    and leave the server it started running."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
