"""Word vectors for meaning beyond shared words, read offline.

The vectors are chiVe's, pruned to 20,000 distinct vectors over 480,443 words
(300 dimensions), as the `ja-ginza` package ships them (MIT): pledges are short
and abstract, news is concrete, and 給付 and 支給, 財政 and 予算 share no word.
Only the package's data files are read; spaCy, which would load them, is not
installed (pyproject overrides it away): its vector table is a NumPy array, a
msgpack map from a 64-bit MurmurHash of each word to its row, and nothing else.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

import msgpack
import numpy as np

log = logging.getLogger(__name__)

_PACKAGE = "ja_ginza"
_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """spaCy's string hash (MurmurHash64A, seed 1): the key of a word's row."""
    h = (seed ^ (len(data) * _M)) & _MASK
    blocks = len(data) // 8
    for i in range(blocks):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[8 * blocks :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    return h ^ (h >> 47)


class WordVectors:
    """Unit-length vectors by word; a word unknown to chiVe has none."""

    def __init__(self, vectors: np.ndarray, rows: dict[int, int]) -> None:
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.table = (vectors / np.maximum(norms, 1e-9)).astype(np.float32)
        # The 480,443 keys as sorted arrays, not a dict: a dict of Python ints
        # held about 70 MB in every scoring process.
        keys = np.fromiter(rows.keys(), dtype=np.uint64, count=len(rows))
        order = np.argsort(keys)
        self._keys = keys[order]
        self._rows = np.fromiter(rows.values(), dtype=np.int64, count=len(rows))[order]
        self._cache: dict[str, int] = {}
        self.dimensions = vectors.shape[1]

    def row(self, word: str) -> int:
        """The word's row in `table`, -1 when unknown; cached, as the same
        words recur in every article."""
        found = self._cache.get(word)
        if found is None:
            key = np.uint64(murmurhash64a(word.encode("utf-8")))
            at = int(np.searchsorted(self._keys, key))
            found = int(self._rows[at]) if at < len(self._keys) and self._keys[at] == key else -1
            self._cache[word] = found
        return found

    def centroid(self, words) -> np.ndarray:
        """The normalised mean of the words' vectors (zero when none is known)."""
        rows = [r for r in map(self.row, words) if r >= 0]
        if not rows:
            return np.zeros(self.dimensions, dtype=np.float32)
        mean = self.table[rows].mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-9)


def _vocab_dir() -> Path | None:
    """The package's vocabulary folder, found without importing the package
    (its __init__ imports spaCy)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for candidate in sorted(Path(location).glob(f"{_PACKAGE}-*/vocab")):
            if (candidate / "vectors").is_file() and (candidate / "key2row").is_file():
                return candidate
    return None


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors | None:
    """Loaded once per process (~1 s, ~100 MB); None, with a warning, when the
    package is missing, so scoring still runs on shared words alone."""
    vocab = _vocab_dir()
    if vocab is None:
        log.warning("word vectors (%s) are not installed; scoring without them", _PACKAGE)
        return None
    vectors = np.load(vocab / "vectors")
    rows = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
    return WordVectors(vectors, rows)
