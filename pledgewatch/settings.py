"""Every `PLEDGEWATCH_*` environment variable is read here and nowhere else,
so the operator's list in docs/operations.md has one place to be checked
against. Each is read when asked for, not at import: tests and `serve` change
them between runs of one process. Also: process-wide settings that must be in
place before Prefect is imported."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEMO_SITE = DATA / "demo_site"
DEFAULT_DB = Path("var") / "pledgewatch.duckdb"
MODELS_ENV = "PLEDGEWATCH_MODELS"
SECRET_ENV = "PLEDGEWATCH_SECRET_KEY"
PROXIES_ENV = "PLEDGEWATCH_TRUSTED_PROXIES"
TASK_RUNNER_ENV = "PLEDGEWATCH_TASK_RUNNER"


def _text(name: str) -> str | None:
    """Unset and empty are the same: an empty value in a unit file means 'default'."""
    return os.environ.get(name) or None


def _path(name: str) -> Path | None:
    value = _text(name)
    return Path(value) if value else None


def _number(name: str, default: float) -> float:
    value = _text(name)
    return float(value) if value else default


def review_english() -> bool:
    """PLEDGEWATCH_REVIEW_ENGLISH: English glosses beside the review app's Japanese labels."""
    return (_text("PLEDGEWATCH_REVIEW_ENGLISH") or "").strip().lower() in ("1", "true", "yes", "on")


def _int(name: str, default: int) -> int:
    value = _text(name)
    return int(value) if value else default


def db_file(path: Path | str | None = None) -> Path:
    """--db, else $PLEDGEWATCH_DB, else var/pledgewatch.duckdb."""
    return Path(path or _text("PLEDGEWATCH_DB") or DEFAULT_DB)


def db_lock_timeout_s() -> float:
    return _number("PLEDGEWATCH_DB_LOCK_TIMEOUT", 30.0)


def db_memory() -> str:
    return _text("PLEDGEWATCH_DB_MEMORY") or "256MB"


def models_dir(path: Path | str | None = None) -> Path:
    """--models, else $PLEDGEWATCH_MODELS, else the installation's models/: never
    the current directory, from which `score` silently fell back to cold start."""
    return Path(path or _text(MODELS_ENV) or ROOT / "models")


def snapshot_file() -> Path | None:
    return _path("PLEDGEWATCH_SNAPSHOT")


def exports_dir() -> Path | None:
    return _path("PLEDGEWATCH_EXPORTS")


def contact_url() -> str:
    return _text("PLEDGEWATCH_CONTACT_URL") or "https://github.com/pledgewatch/pledgewatch"


def suspend_after() -> int:
    return _int("PLEDGEWATCH_SUSPEND_AFTER", 5)


def min_score() -> float:
    return _number("PLEDGEWATCH_MIN_SCORE", 0.2)


def batch_size(default: int) -> int:
    return max(1, _int("PLEDGEWATCH_BATCH_SIZE", default))


def flow_retries() -> int:
    return _int("PLEDGEWATCH_FLOW_RETRIES", 1)


def flow_retry_delay_s() -> float:
    return _number("PLEDGEWATCH_FLOW_RETRY_DELAY_S", 600.0)


def task_runner() -> str:
    return (_text(TASK_RUNNER_ENV) or "threads").strip().lower() or "threads"


def dask_address() -> str | None:
    return _text("PLEDGEWATCH_DASK_ADDRESS")


def dask_workers() -> int:
    return _int("PLEDGEWATCH_DASK_WORKERS", os.cpu_count() or 1)


def in_flight(default: int) -> int:
    return max(1, _int("PLEDGEWATCH_IN_FLIGHT", default))


def tokenize_cache_days() -> float:
    return _number("PLEDGEWATCH_TOKENIZE_CACHE_DAYS", 7.0)


def cache_dir() -> Path | None:
    return _path("PLEDGEWATCH_CACHE_DIR")


def progress_mode() -> str:
    return _text("PLEDGEWATCH_PROGRESS") or "auto"


def progress_interval_s() -> float:
    return _number("PLEDGEWATCH_PROGRESS_INTERVAL", 5.0)


def cron() -> str | None:
    return _text("PLEDGEWATCH_CRON")


def timezone() -> str | None:
    return _text("PLEDGEWATCH_TIMEZONE")


def demo_port(default: int) -> int:
    return _int("PLEDGEWATCH_DEMO_PORT", default)


def secret_key() -> str:
    return (_text(SECRET_ENV) or "").strip()


def trusted_proxies() -> tuple[str, ...]:
    """Comma-separated addresses or networks."""
    raw = _text(PROXIES_ENV) or ""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def fixtures_dir() -> Path:
    """The publishers' pages the extractor tests read in place (../shared/fixtures)."""
    return _path("PLEDGEWATCH_FIXTURES") or ROOT.parent / "shared" / "fixtures"


def fixtures_optional() -> bool:
    """Only an explicit PLEDGEWATCH_FIXTURES_OPTIONAL=1 lets the fixture tests
    skip when the folder is missing; CI fails instead of passing without them."""
    return _text("PLEDGEWATCH_FIXTURES_OPTIONAL") == "1"


def configure_prefect(var_dir: Path | str = "var", ui: bool = False) -> None:
    """Keeps Prefect's state under var/ and quiet offline: no telemetry lookups,
    no UI build (except with `ui`, for `serve`, whose server is there to be
    looked at), warnings only, unless the operator configured otherwise. The
    temporary server gets 90 s to start instead of 20: on a busy 2-core machine
    it was seen to need more, and a demo that fails there teaches nothing."""
    os.environ.setdefault("PREFECT_HOME", str(Path(var_dir).resolve() / "prefect"))
    # Prefect creates its home without parents; in a fresh clone var/ does not exist yet.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "true" if ui else "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_TASK_INTROSPECTION_WARN_THRESHOLD", "0")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
