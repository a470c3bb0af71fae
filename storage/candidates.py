"""Articles waiting to be scored, and the candidates a scoring pass produced."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from storage.articles import rows_by_id
from storage.batches import insert
from storage.queue_table import refresh_articles

TS = pa.timestamp("us", tz="UTC")
CANDIDATES = pa.schema([
    ("article_id", pa.string()), ("pledge_id", pa.string()), ("model_version", pa.string()),
    ("score", pa.float64()), ("evidence", pa.string()), ("run_id", pa.string()), ("created_at", TS),
])
SCORED = pa.schema([
    ("article_id", pa.string()), ("model_version", pa.string()), ("candidates", pa.int32()),
    ("run_id", pa.string()), ("scored_at", TS),
])


def unscored_ids(con: duckdb.DuckDBPyConnection, model_version: str) -> list[str]:
    """Originals (not duplicates) this model version has not looked at yet, oldest first."""
    rows = con.execute(
        "SELECT id FROM articles a WHERE dup_of IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM scored_articles s WHERE s.article_id = a.id AND s.model_version = ?) "
        "ORDER BY published NULLS LAST, id",
        [model_version],
    ).fetchall()
    return [row[0] for row in rows]


def articles_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The articles' text and metadata, in the order of `ids`."""
    columns = ("id", "title", "body", "published", "url", "outlet")
    found = {row[0]: dict(zip(columns, row, strict=True)) for row in rows_by_id(con, ids, columns)}
    return [found[i] for i in ids if i in found]


def approved_articles(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Approved activities with their text: they expand each pledge's vocabulary."""
    rows = con.execute(
        "SELECT v.pledge_id, a.id, a.title, a.body, a.published, a.url, a.outlet FROM v_activities v "
        "JOIN articles a ON a.id = v.article_id ORDER BY v.pledge_id, a.id"
    ).fetchall()
    keys = ("pledge_id", "id", "title", "body", "published", "url", "outlet")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def save_candidates(con: duckdb.DuckDBPyConnection, candidates: Iterable[Any], scored_ids: Sequence[str],
                    model_version: str, run_id: str | None) -> int:
    """Candidates and the 'scored' marks go in one transaction (the caller's), so a
    crash either leaves an article unscored or fully scored, never half; the
    review queue's rows for these articles are refreshed in it too."""
    now = datetime.now(UTC)
    rows = [
        {"article_id": c.article_id, "pledge_id": c.pledge_id, "model_version": model_version,
         "score": float(c.score), "evidence": json.dumps(c.evidence, ensure_ascii=False),
         "run_id": run_id, "created_at": now}
        for c in candidates
    ]
    per_article: dict[str, int] = dict.fromkeys(scored_ids, 0)
    for row in rows:
        per_article[row["article_id"]] = per_article.get(row["article_id"], 0) + 1
    written = insert(con, "candidates", rows, CANDIDATES,
                     "ON CONFLICT (article_id, pledge_id, model_version) DO NOTHING")
    insert(con, "scored_articles",
           [{"article_id": a, "model_version": model_version, "candidates": n, "run_id": run_id, "scored_at": now}
            for a, n in per_article.items()],
           SCORED, "ON CONFLICT (article_id, model_version) DO NOTHING")
    refresh_articles(con, (row["article_id"] for row in rows))
    return written


def top_suggestions(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT politician, pledge_title, article_title, outlet, published, score, evidence "
        "FROM review_queue ORDER BY score DESC, published DESC NULLS LAST, article_id, pledge_id LIMIT ?", [limit]
    ).fetchall()
    keys = ("politician", "pledge_title", "article_title", "outlet", "published", "score", "evidence")
    return [dict(zip(keys, row, strict=True)) for row in rows]
