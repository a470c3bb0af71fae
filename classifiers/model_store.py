"""Model files under `models/`: a skops file per version, a JSON sidecar with
its metadata, and `promoted.json` naming the version in use and the sha256 of
both files, recorded when it was promoted.

A skops file is a tree of (module, class) nodes that loading calls or
instantiates, so a name such as `builtins.exec` in it runs code. Only the exact
types in TRUSTED_TYPES are loaded, and only from bytes whose hash matches the
one promotion recorded; anything wrong with the promoted model (missing,
changed, corrupt, other types, built for other features) is logged and the
caller falls back to cold start.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

from classifiers.features import FEATURES
from pledgewatch.files import write_atomic

log = logging.getLogger(__name__)

PROMOTED = "promoted.json"

# Every type the pipeline from classifiers.training holds, by exact name. A model
# with a new estimator adds its types here; builtins stay plain data containers.
TRUSTED_TYPES = (
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "numpy.float64",
    "numpy.ndarray",
    "numpy.random._generator.Generator",
    "numpy.uint64",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._label.LabelEncoder",
)

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def model_path(models_dir: Path, version: str) -> Path:
    return models_dir / f"{version}.skops"


def metadata_path(models_dir: Path, version: str) -> Path:
    return models_dir / f"{version}.json"


def write_model(estimator: Any, metadata: dict[str, Any], models_dir: Path) -> Path:
    """Writes the model and its sidecar; promotion is a separate step."""
    models_dir.mkdir(parents=True, exist_ok=True)
    version = metadata["version"]
    path = model_path(models_dir, version)
    write_atomic(path, sio.dumps(estimator))
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(metadata_path(models_dir, version), text.encode("utf-8"))
    return path


def promote(models_dir: Path, version: str) -> None:
    """Records the files' hashes with the version, so a file changed later is
    refused at load instead of trusted for its name."""
    files = (model_path(models_dir, version), metadata_path(models_dir, version))
    for path in files:
        if not path.exists():
            raise FileNotFoundError(path)
    recorded = {"version": version, "sha256": {path.name: _sha256(path.read_bytes()) for path in files}}
    write_atomic(models_dir / PROMOTED, (json.dumps(recorded, indent=2) + "\n").encode("utf-8"))


def promoted_version(models_dir: Path) -> str | None:
    promoted = _read_promoted(models_dir)
    return promoted["version"] if promoted else None


def _read_promoted(models_dir: Path) -> dict[str, Any] | None:
    try:
        promoted = json.loads((models_dir / PROMOTED).read_text(encoding="utf-8"))
        version = promoted["version"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s); scoring with the cold-start model", models_dir / PROMOTED, exc)
        return None
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        log.warning("%s names %r, not a model version; scoring with the cold-start model",
                    models_dir / PROMOTED, version)
        return None
    return promoted


def schema_types(data: bytes) -> set[str]:
    """Every `module.class` a skops file names, wherever it sits in the tree:
    skops calls types in key lists and reduce nodes too, not only in objects."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__module__" in node or "__class__" in node:
                found.add(f"{node.get('__module__')}.{node.get('__class__')}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load_model(models_dir: Path, version: str, sha256: dict[str, str] | None = None) -> tuple[Any, dict[str, Any]]:
    """Raises ValueError with the reason when the files cannot be used. With
    `sha256` (file name → hash, as promote() recorded), each file must match."""
    path = model_path(models_dir, version)
    try:
        data = path.read_bytes()
        meta_bytes = metadata_path(models_dir, version).read_bytes()
        if sha256 is not None:
            for file, content in ((path, data), (metadata_path(models_dir, version), meta_bytes)):
                if sha256.get(file.name) != _sha256(content):
                    raise ValueError(f"{file} does not match the sha256 recorded in {PROMOTED} when it was "
                                     f"promoted; it was changed since (re-promote it only if you trust it)")
        metadata = json.loads(meta_bytes.decode("utf-8"))
        refused = sorted(schema_types(data) - set(TRUSTED_TYPES))
        if refused:
            raise ValueError(f"{path} holds types outside the trusted list: {', '.join(refused)}")
        estimator = sio.loads(data, trusted=list(TRUSTED_TYPES))
    except Exception as exc:  # a truncated zip alone raises half a dozen error types
        raise ValueError(f"cannot load model {version}: {exc}") from exc
    if tuple(metadata.get("features", ())) != FEATURES:
        raise ValueError(f"model {version} was trained on other features")
    if not hasattr(estimator, "predict_proba"):
        raise ValueError(f"model {version} cannot give probabilities")
    return estimator, metadata


def load_promoted(models_dir: Path) -> tuple[Any, dict[str, Any]] | None:
    promoted = _read_promoted(models_dir)
    if promoted is None:
        return None
    version = promoted["version"]
    sha256 = promoted.get("sha256")
    if not isinstance(sha256, dict):
        log.warning("%s records no sha256 for %s (promoted before hashes were kept): re-promote it; "
                    "scoring with the cold-start model", models_dir / PROMOTED, version)
        return None
    try:
        return load_model(models_dir, version, sha256)
    except ValueError as exc:
        log.warning("%s; scoring with the cold-start model", exc)
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
