"""Duplicate detection as a step of its own: what is stored is read through
`storage.crawl`, the comparison is `crawling.dedupe` (pure), and the caller
writes the marked articles in the same transaction, so no other writer can
store a copy between the check and the insert."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from crawling.dedupe import assign_duplicates, fingerprint
from crawling.model import ArticleRecord
from storage import crawl as crawl_store


def mark_duplicates(con: duckdb.DuckDBPyConnection, articles: Sequence[ArticleRecord]) -> list[ArticleRecord]:
    """`articles` in the order the crawl's parts come in (oldest first,
    `steps.crawl_chunks`), so the earliest copy of a story is the original."""
    if not articles:
        return []

    def sketches(ids: list[str]) -> dict[str, bytes]:
        """Articles stored before sketches existed get theirs from the body."""
        stored = crawl_store.sketches(con, ids)
        return {i: sketch if sketch is not None else fingerprint(body or "").sketch
                for i, (sketch, body) in stored.items()}

    return assign_duplicates(articles, crawl_store.recent_originals(con), sketches,
                             lambda ids: crawl_store.bodies(con, ids))
