"""Task caching where the inputs really determine the output: tokenizing.

A batch's tokens depend only on its articles' fields and on the tokenizer (its
code, its phrase lexicon, fugashi and the dictionary), so the cache key hashes
exactly those. A batch seen again (a rerun after an interruption, the same
articles re-scored by a new model version) skips fugashi, the largest CPU cost.
Scoring is never cached: it also depends on the catalog, on approved activities
and on the model, which change between runs.

Results are pickled under `PLEDGEWATCH_CACHE_DIR` (default: `cache/tokenize`
inside Prefect's home, `var/prefect/`); with Dask workers on several machines
point it at shared storage. Prefect does not delete expired entries, so each
run prunes files older than the expiration. Prefect would also keep the last
1,000 results in memory (~25 MB per batch of 500 articles): turned off.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from prefect.cache_policies import NO_CACHE
from prefect.settings import PREFECT_HOME

import classifiers.documents
import classifiers.lexicon
import classifiers.tokenize
from pledgewatch import settings

_TOKENIZER_INPUTS = (classifiers.tokenize, classifiers.lexicon, classifiers.documents)
_DOCUMENT_FIELDS = ("id", "title", "body", "published", "url", "outlet")


def expiration() -> timedelta | None:
    """`PLEDGEWATCH_TOKENIZE_CACHE_DAYS=0` turns the cache off."""
    days = settings.tokenize_cache_days()
    return timedelta(days=days) if days > 0 else None


def cache_dir() -> Path:
    return settings.cache_dir() or Path(PREFECT_HOME.value()) / "cache" / "tokenize"


def tokenizer_fingerprint() -> str:
    """Changes whenever the tokenizer could give different tokens."""
    digest = hashlib.sha256()
    for module in _TOKENIZER_INPUTS:
        digest.update(Path(module.__file__ or "").read_bytes())
    for package in ("fugashi", "unidic-lite"):
        digest.update(f"{package}={_version(package)}".encode())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


_FINGERPRINT = tokenizer_fingerprint()


def task_options() -> dict[str, Any]:
    """Options for the `tokenize` task: cached and persisted, or neither."""
    keep = expiration()
    if keep is None:
        return {"cache_policy": NO_CACHE, "persist_result": False}
    return {"cache_key_fn": tokenize_key, "cache_expiration": keep, "result_storage": cache_dir().resolve(),
            "persist_result": True, "cache_result_in_memory": False}


def tokenize_key(_context: Any, parameters: dict[str, Any]) -> str:
    """Prefect cache key of a `tokenize` batch: tokenizer and every field read."""
    documents = parameters["documents"]
    documents = documents.unwrap() if hasattr(documents, "unwrap") else documents
    digest = hashlib.sha256(_FINGERPRINT.encode())
    for doc in documents:
        for name in _DOCUMENT_FIELDS:
            digest.update(str(getattr(doc, name)).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
        digest.update(b"\x1e")
    return f"tokenize-{digest.hexdigest()}"


def prune(now: float | None = None) -> int:
    """Deletes cache entries past the expiration; returns how many."""
    folder = cache_dir()
    keep = expiration()
    if not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - (keep.total_seconds() if keep else 0)
    removed = 0
    for entry in folder.iterdir():
        if entry.is_file() and entry.stat().st_mtime < cutoff:
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
