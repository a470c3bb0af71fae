"""Shared test set-up: hermetic Prefect settings (before Prefect is imported),
the real fixtures folder, a demo news site on loopback and fresh DuckDB files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="pledgewatch-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_UI_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_TASK_INTROSPECTION_WARN_THRESHOLD"] = "0"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ.pop("PREFECT_API_URL", None)
os.environ["PLEDGEWATCH_DB_LOCK_TIMEOUT"] = "5"

import pytest  # noqa: E402

from pledgewatch import settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = settings.fixtures_dir()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """A missing folder fails the tests that need it (CI must not pass without
    them); only PLEDGEWATCH_FIXTURES_OPTIONAL=1 turns that into a skip."""
    if not FIXTURES.is_dir():
        message = (f"fixtures folder {FIXTURES} is not present (set PLEDGEWATCH_FIXTURES, or "
                   "PLEDGEWATCH_FIXTURES_OPTIONAL=1 to skip these tests)")
        if settings.fixtures_optional():
            pytest.skip(message)
        pytest.fail(message)
    return FIXTURES


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (~10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def demo_server():
    from demosite.server import DemoServer

    with DemoServer() as server:
        yield server


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "pledgewatch.duckdb"
