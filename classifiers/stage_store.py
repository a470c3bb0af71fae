"""Stage model files under `models/`, beside the link model: a skops file per
version (`stages-….skops`), a JSON sidecar with its metadata (data hash, label
counts, cross-validated figures) and `stages-promoted.json` naming the version
in use with the sha256 of both files.

Loading is as strict as for the link model (classifiers.model_store): the
recorded hashes must match and the skops tree may only name the exact types
in `classifiers.stages.TRUSTED_TYPES`. Anything wrong is logged and the
caller suggests stages from the lexicon alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from classifiers.stages import StageModel

log = logging.getLogger(__name__)

PROMOTED = "stages-promoted.json"
PREFIX = "stages-"


def new_version(data_hash: str, now: datetime | None = None) -> str:
    """Time of training plus the data hash: two trainings on the same labels
    in the same minute are the same model."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M")
    return f"{PREFIX}{stamp}-{data_hash[:6]}"


def save_stage_model(model: StageModel, metadata: dict[str, Any], models_dir: Path, *, promote: bool = True) -> Path:
    """Writes the model and its sidecar and, with `promote`, records both
    files' hashes as the version in use."""
    models_dir.mkdir(parents=True, exist_ok=True)
    version = metadata["version"]
    files = (models_dir / f"{version}.skops", models_dir / f"{version}.json")
    _atomic_write(files[0], model.dumps())
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write(files[1], text.encode("utf-8"))
    if promote:
        recorded = {"version": version, "sha256": {f.name: _sha256(f.read_bytes()) for f in files}}
        _atomic_write(models_dir / PROMOTED, (json.dumps(recorded, indent=2) + "\n").encode("utf-8"))
    return files[0]


def load_stage_model(models_dir: Path) -> tuple[StageModel, dict[str, Any]] | None:
    """The promoted stage model and its metadata, or None (logged) when there
    is none or it cannot be trusted."""
    try:
        promoted = json.loads((models_dir / PROMOTED).read_text(encoding="utf-8"))
        version, hashes = promoted["version"], promoted["sha256"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s); stages come from the lexicon alone", models_dir / PROMOTED, exc)
        return None
    try:
        if not isinstance(version, str) or not version.startswith(PREFIX) or "/" in version:
            raise ValueError(f"{version!r} is not a stage model version")
        data = (models_dir / f"{version}.skops").read_bytes()
        meta = (models_dir / f"{version}.json").read_bytes()
        for name, content in ((f"{version}.skops", data), (f"{version}.json", meta)):
            if hashes.get(name) != _sha256(content):
                raise ValueError(f"{models_dir / name} does not match the sha256 recorded in {PROMOTED}")
        return StageModel.loads(data), json.loads(meta.decode("utf-8"))
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("cannot load stage model from %s: %s; stages come from the lexicon alone", models_dir, exc)
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
