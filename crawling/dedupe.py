"""Finding the same story twice: exact copies by content hash, lightly edited
wire copies (共同/時事 syndication) by a 64-bit SimHash of character 3-grams.

SimHash alone is noisy on short articles (lightly edited copies measured 1-12
bits apart, 13 for a 150-character one; unrelated articles 14 or more), so a
SimHash within 16 bits only nominates a candidate, and the 3-gram Jaccard
similarity of the two bodies (copies ~0.8, unrelated articles below 0.1) decides.

Japanese has no spaces, so shingles are characters; hashing runs in NumPy
because it is on the per-article hot path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from crawling.model import ArticleRecord

SHINGLE = 3
CANDIDATE_BITS = 16
MIN_JACCARD = 0.5
_SPACE = re.compile(r"\s+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def normalise_body(body: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", body))


def content_hash(body: str, normalised: str | None = None) -> str:
    text = normalise_body(body) if normalised is None else normalised
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def simhash(body: str, normalised: str | None = None) -> int:
    """`normalised` saves a second NFKC pass when the caller already has it."""
    text = normalise_body(body) if normalised is None else normalised
    if len(text) < SHINGLE:
        text = text.ljust(SHINGLE, "\0")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        grams = np.zeros(len(codes) - SHINGLE + 1, dtype=np.uint64)
        for offset in range(SHINGLE):
            grams = grams * np.uint64(0x100000001B3) + codes[offset : offset + len(grams)]
        grams = _splitmix64(grams)
    bits = np.unpackbits(grams.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(grams)
    packed = np.packbits((votes > 0).astype(np.uint8), bitorder="little")
    return int(packed.view(np.uint64)[0])


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
    return x ^ (x >> np.uint64(31))


def hamming(a: np.ndarray, b: int) -> np.ndarray:
    x = np.bitwise_xor(a, np.uint64(b))
    return np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)


def jaccard(a: str, b: str) -> float:
    first, second = _shingles(a), _shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _shingles(body: str) -> set[str]:
    text = normalise_body(body)
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def assign_duplicates(new: Sequence[ArticleRecord], existing: Sequence[tuple[str, str, int]],
                      bodies: Callable[[list[str]], dict[str, str]]) -> list[ArticleRecord]:
    """Marks each new article that repeats an earlier story with `dup_of` = the
    earliest copy's id. `existing` is (id, content_hash, simhash) of stored
    originals, `bodies` loads stored bodies by id for the few nominated pairs;
    new articles are compared with the stored ones and with each other in order."""
    by_hash = {h: i for i, h, _ in existing}
    ids = [i for i, _, _ in existing]
    hashes = np.array([s for _, _, s in existing], dtype=np.uint64)
    seen_bodies: dict[str, str] = {}
    result: list[ArticleRecord] = []
    for article in new:
        original = by_hash.get(article.content_hash)
        if original is None and len(hashes):
            nominated = [ids[i] for i in np.flatnonzero(hamming(hashes, article.simhash) <= CANDIDATE_BITS)]
            missing = [i for i in nominated if i not in seen_bodies]
            if missing:
                seen_bodies.update(bodies(missing))
            original = next((i for i in nominated if jaccard(seen_bodies.get(i, ""), article.body) >= MIN_JACCARD),
                            None)
        if original is not None and original != article.id:
            result.append(replace(article, dup_of=original))
            continue
        result.append(article)
        by_hash.setdefault(article.content_hash, article.id)
        ids.append(article.id)
        seen_bodies[article.id] = article.body
        hashes = np.append(hashes, np.uint64(article.simhash))
    return result
