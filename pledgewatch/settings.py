"""Process-wide settings that must be in place before Prefect is imported."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEMO_SITE = DATA / "demo_site"
MODELS_ENV = "PLEDGEWATCH_MODELS"


def models_dir(path: Path | str | None = None) -> Path:
    """--models, else $PLEDGEWATCH_MODELS, else the installation's models/: never
    the current directory, from which `score` silently fell back to cold start."""
    return Path(path or os.environ.get(MODELS_ENV) or ROOT / "models")


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
