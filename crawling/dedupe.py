"""Finding the same story twice: exact copies by content hash, lightly edited
wire copies (共同/時事 syndication) by a 64-bit SimHash of character 3-grams.

SimHash alone is noisy on short articles (lightly edited copies measured 1-12
bits apart, 13 for a 150-character one; unrelated articles 14 or more), so a
SimHash within 16 bits only nominates a candidate, and the 3-gram Jaccard
similarity of the two bodies (copies ~0.8, unrelated articles below 0.1) decides.

A 16-bit radius nominates unrelated articles by chance, about one per 8,000
stored (livedoor corpus), so nominations grow with the store: ~12 per new
article against 100,000. Each article therefore also keeps a sketch, its 64
smallest distinct 3-gram hashes (bottom-k MinHash), which estimates the Jaccard
without the other body; only pairs whose estimate could reach the threshold
load bodies for the exact Jaccard.

Japanese has no spaces, so shingles are characters; hashing runs in NumPy
because it is on the per-article hot path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from crawling.model import ArticleRecord
from extractors.text import nfkc

SHINGLE = 3
CANDIDATE_BITS = 16
MIN_JACCARD = 0.5
SKETCH_SIZE = 64
# The estimate from 64 hashes has a standard deviation of ~0.06 near 0.5; pairs
# estimated below this are 3 deviations short of MIN_JACCARD.
MIN_ESTIMATE = 0.3
_SPACE = re.compile(r"\s+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


class Fingerprint(NamedTuple):
    simhash: int
    sketch: bytes  # up to SKETCH_SIZE sorted uint64, little-endian


def normalise_body(body: str) -> str:
    return _SPACE.sub("", nfkc(body))


def content_hash(body: str, normalised: str | None = None) -> str:
    text = normalise_body(body) if normalised is None else normalised
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(body: str, normalised: str | None = None) -> Fingerprint:
    """`normalised` saves a second NFKC pass when the caller already has it."""
    grams = _gram_hashes(normalise_body(body) if normalised is None else normalised)
    bits = np.unpackbits(grams.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    # counting the set bits of each column as a float product is ~2x faster than
    # an integer sum, and exact: counts stay far below 2**24
    votes = np.ones(len(grams), dtype=np.float32) @ bits.astype(np.float32) * 2 - len(grams)
    packed = np.packbits((votes > 0).astype(np.uint8), bitorder="little")
    ordered = np.sort(grams)
    sketch = ordered[np.r_[True, ordered[1:] != ordered[:-1]]][:SKETCH_SIZE].astype("<u8")
    return Fingerprint(int(packed.view(np.uint64)[0]), sketch.tobytes())


def _gram_hashes(text: str) -> np.ndarray:
    """A 64-bit hash per character 3-gram, in text order."""
    if len(text) < SHINGLE:
        text = text.ljust(SHINGLE, "\0")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        grams = np.zeros(len(codes) - SHINGLE + 1, dtype=np.uint64)
        for offset in range(SHINGLE):
            grams = grams * np.uint64(0x100000001B3) + codes[offset : offset + len(grams)]
        return _splitmix64(grams)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
    return x ^ (x >> np.uint64(31))


def hamming(a: np.ndarray, b: int) -> np.ndarray:
    return np.bitwise_count(np.bitwise_xor(a, np.uint64(b)))


def estimate_jaccard(a: bytes, b: bytes) -> float:
    """Bottom-k estimate: the share of the union's k smallest hashes that both
    sketches hold (exact when both texts have fewer than k distinct 3-grams)."""
    first, second = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    if not len(first) or not len(second):
        return 0.0
    union = np.union1d(first, second)[:SKETCH_SIZE]
    both = np.intersect1d(first, second, assume_unique=True)
    return int(np.count_nonzero(both <= union[-1])) / len(union)


def jaccard(a: str, b: str) -> float:
    first, second = _shingles(a), _shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _shingles(body: str) -> set[str]:
    text = normalise_body(body)
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def assign_duplicates(new: Sequence[ArticleRecord], existing: Sequence[tuple[str, str, int]],
                      sketches: Callable[[list[str]], dict[str, bytes]],
                      bodies: Callable[[list[str]], dict[str, str]]) -> list[ArticleRecord]:
    """Marks each new article that repeats an earlier story with `dup_of` = the
    earliest copy's id. `existing` is (id, content_hash, simhash) of stored
    originals; new articles are compared with the stored ones and with each
    other in order. Stored articles are read twice for the whole batch, never
    per article: `sketches` for every nominee, then `bodies` for the nominees
    whose sketch comes close to some new article's."""
    by_hash = {h: i for i, h, _ in existing}
    stored = len(existing)
    ids = [i for i, _, _ in existing]
    hashes = np.empty(stored + len(new), dtype=np.uint64)
    hashes[:stored] = [s for _, _, s in existing]
    nominees = [np.flatnonzero(hamming(hashes[:stored], a.simhash) <= CANDIDATE_BITS) for a in new]
    wanted = sorted({ids[i] for found in nominees for i in found.tolist()})
    known = sketches(wanted) if wanted else {}
    close = [[ids[i] for i in found.tolist() if estimate_jaccard(known.get(ids[i], b""), a.sketch) >= MIN_ESTIMATE]
             for a, found in zip(new, nominees, strict=True)]
    needed = sorted({i for found in close for i in found})
    texts = bodies(needed) if needed else {}
    result: list[ArticleRecord] = []
    for article, from_store in zip(new, close, strict=True):
        original = by_hash.get(article.content_hash)
        if original is None:
            from_batch = np.flatnonzero(hamming(hashes[stored : len(ids)], article.simhash) <= CANDIDATE_BITS) + stored
            likely = from_store + [ids[i] for i in from_batch.tolist()
                                   if estimate_jaccard(known[ids[i]], article.sketch) >= MIN_ESTIMATE]
            original = next((i for i in likely if jaccard(texts.get(i, ""), article.body) >= MIN_JACCARD), None)
        if original is not None and original != article.id:
            result.append(replace(article, dup_of=original))
            continue
        result.append(article)
        by_hash.setdefault(article.content_hash, article.id)
        hashes[len(ids)] = np.uint64(article.simhash)
        ids.append(article.id)
        known[article.id] = article.sketch
        texts[article.id] = article.body
    return result
