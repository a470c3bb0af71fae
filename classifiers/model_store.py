"""Model files under `models/`: a skops file per version, a JSON sidecar with
its metadata, and `promoted.json` naming the version in use.

skops loads only types we list as trusted, so a tampered file cannot run code;
anything wrong with the promoted model (missing, corrupt, untrusted types, built
for other features) is logged and the caller falls back to cold start.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import skops.io as sio

from classifiers.features import FEATURES

log = logging.getLogger(__name__)

PROMOTED = "promoted.json"

# Everything a pipeline from classifiers.training may contain.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def model_path(models_dir: Path, version: str) -> Path:
    return models_dir / f"{version}.skops"


def metadata_path(models_dir: Path, version: str) -> Path:
    return models_dir / f"{version}.json"


def write_model(estimator: Any, metadata: dict[str, Any], models_dir: Path) -> Path:
    """Writes the model and its sidecar; promotion is a separate step."""
    models_dir.mkdir(parents=True, exist_ok=True)
    version = metadata["version"]
    path = model_path(models_dir, version)
    _atomic_write(path, sio.dumps(estimator))
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write(metadata_path(models_dir, version), text.encode("utf-8"))
    return path


def promote(models_dir: Path, version: str) -> None:
    if not model_path(models_dir, version).exists():
        raise FileNotFoundError(model_path(models_dir, version))
    payload = json.dumps({"version": version}, indent=2) + "\n"
    _atomic_write(models_dir / PROMOTED, payload.encode("utf-8"))


def promoted_version(models_dir: Path) -> str | None:
    try:
        return json.loads((models_dir / PROMOTED).read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s); scoring with the cold-start model", PROMOTED, exc)
        return None


def load_model(models_dir: Path, version: str) -> tuple[Any, dict[str, Any]]:
    """Raises ValueError with the reason when the files cannot be used."""
    path = model_path(models_dir, version)
    try:
        metadata = json.loads(metadata_path(models_dir, version).read_text(encoding="utf-8"))
        untrusted = sio.get_untrusted_types(file=path)
        refused = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
        if refused:
            raise ValueError(f"untrusted types in {path}: {', '.join(refused)}")
        estimator = sio.load(path, trusted=untrusted)
    except Exception as exc:  # a truncated zip alone raises half a dozen error types
        raise ValueError(f"cannot load model {version}: {exc}") from exc
    if tuple(metadata.get("features", ())) != FEATURES:
        raise ValueError(f"model {version} was trained on other features")
    if not hasattr(estimator, "predict_proba"):
        raise ValueError(f"model {version} cannot give probabilities")
    return estimator, metadata


def load_promoted(models_dir: Path) -> tuple[Any, dict[str, Any]] | None:
    version = promoted_version(models_dir)
    if version is None:
        return None
    try:
        return load_model(models_dir, version)
    except ValueError as exc:
        log.warning("%s; scoring with the cold-start model", exc)
        return None


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
