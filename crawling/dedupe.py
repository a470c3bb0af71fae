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
_PRIME = np.uint64(0x100000001B3)
_PRIME_SQUARED = np.uint64(0x100000001B3**2 % 2**64)


class Fingerprint(NamedTuple):
    simhash: int
    sketch: bytes  # up to SKETCH_SIZE sorted uint64, little-endian


def normalise_body(body: str) -> str:
    return "".join(nfkc(body).split())  # str.split() cuts at exactly what `\s` matches, without a regex


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
    sketch = _smallest_distinct(grams, SKETCH_SIZE).astype("<u8")
    return Fingerprint(int(packed.view(np.uint64)[0]), sketch.tobytes())


def _gram_hashes(text: str) -> np.ndarray:
    """A 64-bit hash per character 3-gram, in text order: FNV-style
    c0·P² + c1·P + c2, mixed by SplitMix64, computed in place (the temporary
    arrays were a fifth of fingerprinting's time)."""
    if len(text) < SHINGLE:
        text = text.ljust(SHINGLE, "\0")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    with np.errstate(over="ignore"):
        grams = codes[:count] * _PRIME_SQUARED
        grams += codes[1 : count + 1] * _PRIME
        grams += codes[2:]
        grams += np.uint64(0x9E3779B97F4A7C15)
        grams ^= grams >> np.uint64(30)
        grams *= np.uint64(0xBF58476D1CE4E5B9)
        grams ^= grams >> np.uint64(27)
        grams *= np.uint64(0x94D049BB133111EB)
        grams ^= grams >> np.uint64(31)
    return grams


def hamming(a: np.ndarray, b: int) -> np.ndarray:
    return np.bitwise_count(np.bitwise_xor(a, np.uint64(b)))


def estimate_jaccard(sketch: bytes, others: Sequence[bytes]) -> np.ndarray:
    """The Jaccard similarity of one article with each of `others`, estimated
    from sketches alone: hashes the two sketches share over hashes in either.
    Exact when both texts have fewer than SKETCH_SIZE distinct 3-grams, and
    within ~0.06 of it near 0.5 otherwise, which is enough to decide which
    bodies to compare. One call for all of an article's nominees: per pair,
    NumPy's call overhead was most of the cost."""
    own = np.frombuffer(sketch, dtype="<u8")
    sizes = np.fromiter((len(o) // 8 for o in others), dtype=np.int64, count=len(others))
    if not len(own) or not sizes.sum():
        return np.zeros(len(others))
    shared = np.isin(np.frombuffer(b"".join(others), dtype="<u8"), own, assume_unique=True)
    common = np.bincount(np.repeat(np.arange(len(others)), sizes), weights=shared, minlength=len(others))
    return common / np.maximum(len(own) + sizes - common, 1)


def jaccard(a: str, b: str) -> float:
    return _jaccard(shingles(a), shingles(b))


def shingles(body: str) -> np.ndarray:
    """The body's distinct 3-grams as sorted 64-bit hashes: a set of strings
    costs 13 times the memory and 10 times the time to build."""
    text = normalise_body(body)
    if len(text) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    return _distinct(_gram_hashes(text))


def _distinct(hashes: np.ndarray) -> np.ndarray:
    """Sorted distinct values; `np.unique` was the slowest step of fingerprinting (~100 µs an article)."""
    ordered = np.sort(hashes)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _smallest_distinct(hashes: np.ndarray, count: int) -> np.ndarray:
    """The `count` smallest distinct values, sorted. Partitioning first sorts
    only a slice; the whole array only when repeats leave the slice short."""
    if len(hashes) > 4 * count:
        smallest = _distinct(np.partition(hashes, 2 * count)[: 2 * count + 1])
        if len(smallest) >= count:
            return smallest[:count]
    return _distinct(hashes)[:count]


def _jaccard(first: np.ndarray, second: np.ndarray) -> float:
    if not len(first) or not len(second):
        return 0.0
    common = len(np.intersect1d(first, second, assume_unique=True))
    return common / (len(first) + len(second) - common)


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
    close = [_close(a.sketch, [ids[i] for i in found.tolist()], known) for a, found in zip(new, nominees, strict=True)]
    needed = sorted({i for found in close for i in found})
    texts = bodies(needed) if needed else {}
    grams: dict[str, np.ndarray] = {}  # shingles of the articles compared so far

    def shingles_of(article_id: str) -> np.ndarray:
        if article_id not in grams:
            grams[article_id] = shingles(texts.get(article_id, ""))
        return grams[article_id]

    result: list[ArticleRecord] = []
    for article, from_store in zip(new, close, strict=True):
        likely: list[str] = []
        original = by_hash.get(article.content_hash)
        if original is None:
            from_batch = np.flatnonzero(hamming(hashes[stored : len(ids)], article.simhash) <= CANDIDATE_BITS) + stored
            likely = from_store + _close(article.sketch, [ids[i] for i in from_batch.tolist()], known)
            if likely:
                own = shingles(article.body)
                original = next((i for i in likely if _jaccard(shingles_of(i), own) >= MIN_JACCARD), None)
        if original is not None and original != article.id:
            result.append(replace(article, dup_of=original))
            continue
        result.append(article)
        by_hash.setdefault(article.content_hash, article.id)
        hashes[len(ids)] = np.uint64(article.simhash)
        ids.append(article.id)
        known[article.id] = article.sketch
        texts[article.id] = article.body
        if likely:
            grams[article.id] = own
    return result


def _close(sketch: bytes, nominated: list[str], known: dict[str, bytes]) -> list[str]:
    """The nominees whose sketch comes close enough to be worth the bodies."""
    if not nominated:
        return []
    estimates = estimate_jaccard(sketch, [known.get(i, b"") for i in nominated])
    return [i for i, value in zip(nominated, estimates.tolist(), strict=True) if value >= MIN_ESTIMATE]
