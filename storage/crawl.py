"""Storing what a crawl saw, and loading what the next crawl must know."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from crawling.model import CrawlOutput, CrawlState, FetchRecord, Source
from pledgewatch import settings
from storage.articles import rows_by_id
from storage.batches import insert

TS = pa.timestamp("us", tz="UTC")
SOURCES = pa.schema([
    ("id", pa.string()), ("outlet", pa.string()), ("kind", pa.string()), ("url", pa.string()),
    ("is_local", pa.bool_()), ("updated_at", TS),
])
FETCHES = pa.schema([
    ("run_id", pa.string()), ("url", pa.string()), ("source_id", pa.string()), ("role", pa.string()),
    ("final_url", pa.string()), ("status", pa.int32()), ("outcome", pa.string()), ("error_kind", pa.string()),
    ("error_message", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()),
    ("content_type", pa.string()), ("bytes", pa.int64()), ("sha256", pa.string()), ("elapsed_ms", pa.float64()),
    ("fetched_at", TS), ("retried", pa.string()),
])
URL_STATE = pa.schema([
    ("url", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()), ("sha256", pa.string()),
    ("last_status", pa.int32()), ("last_outcome", pa.string()), ("failures", pa.int32()), ("last_fetched_at", TS),
])
ARTICLES = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("fetched_url", pa.string()), ("source_id", pa.string()),
    ("outlet", pa.string()), ("title", pa.string()), ("body", pa.string()), ("lead", pa.string()),
    ("published", TS), ("lang", pa.string()), ("content_hash", pa.string()), ("simhash", pa.uint64()),
    ("sketch", pa.binary()), ("dup_of", pa.string()), ("extractor_rule", pa.string()), ("run_id", pa.string()),
    ("fetched_at", TS),
])
DUPLICATE_WINDOW_DAYS = 60


def save_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    now = datetime.now(UTC)
    rows = [{"id": s.id, "outlet": s.outlet, "kind": s.kind, "url": s.url, "is_local": s.is_local,
             "updated_at": now} for s in sources]
    insert(con, "sources", rows, SOURCES,
           "ON CONFLICT (id) DO UPDATE SET outlet = excluded.outlet, kind = excluded.kind, url = excluded.url, "
           "is_local = excluded.is_local, updated_at = excluded.updated_at")


def load_crawl_state(con: duckdb.DuckDBPyConnection) -> CrawlState:
    known = {row[0] for row in con.execute(
        "SELECT url FROM articles UNION SELECT fetched_url FROM articles WHERE fetched_url IS NOT NULL "
        "UNION SELECT url FROM url_state WHERE last_outcome = 'error' AND last_status BETWEEN 400 AND 499"
    ).fetchall()}
    validators = {
        url: (etag, last_modified, sha)
        for url, etag, last_modified, sha in con.execute(
            "SELECT url, etag, last_modified, sha256 FROM url_state WHERE etag IS NOT NULL "
            "OR last_modified IS NOT NULL OR sha256 IS NOT NULL"
        ).fetchall()
    }
    suspended = {row[0] for row in con.execute("SELECT id FROM sources WHERE suspended_at IS NOT NULL").fetchall()}
    return CrawlState(known_urls=known, validators=validators, suspended=suspended)


def save_crawl(con: duckdb.DuckDBPyConnection, output: CrawlOutput) -> dict[str, int]:
    """Fetch log, per-URL validators, articles and source health in the caller's
    transaction; duplicates come marked (`dup_of`, by `pipeline.dedupe`). Returns
    counts: articles inserted and duplicates."""
    insert(con, "fetches", [f.as_row() for f in output.fetches], FETCHES,
           "ON CONFLICT (run_id, url) DO UPDATE SET outcome = excluded.outcome, status = excluded.status, "
           "error_kind = excluded.error_kind, error_message = excluded.error_message")
    _save_url_state(con, output.fetches, output.reread_feeds)
    articles = output.articles
    # The conflict target matters: an untargeted ON CONFLICT makes DuckDB check
    # every unique index the slow way, 0.1 s per 5,000 rows more for every 5,000
    # stored. The id is a hash of the url, so the url's constraint never fires alone.
    inserted = insert(con, "articles", [a.as_row() for a in articles], ARTICLES, "ON CONFLICT (id) DO NOTHING")
    _save_source_health(con, output.fetches)
    return {"inserted": inserted, "duplicates": sum(1 for a in articles if a.dup_of)}


def _save_url_state(con: duckdb.DuckDBPyConnection, fetches: Sequence[FetchRecord], reread: set[str]) -> None:
    rows = []
    for f in fetches:
        if f.outcome in ("known", "skipped"):
            continue
        keep = f.url not in reread
        rows.append({
            "url": f.url, "etag": f.etag if keep else None, "last_modified": f.last_modified if keep else None,
            "sha256": f.sha256 if keep else None, "last_status": f.status, "last_outcome": f.outcome,
            "failures": 1 if f.outcome == "error" else 0, "last_fetched_at": f.fetched_at,
        })
    insert(con, "url_state", rows, URL_STATE,
           "ON CONFLICT (url) DO UPDATE SET "
           "etag = CASE WHEN excluded.last_outcome = 'not_modified' THEN url_state.etag ELSE excluded.etag END, "
           "last_modified = CASE WHEN excluded.last_outcome = 'not_modified' THEN url_state.last_modified "
           "ELSE excluded.last_modified END, "
           "sha256 = CASE WHEN excluded.last_outcome IN ('not_modified', 'unchanged') THEN url_state.sha256 "
           "ELSE excluded.sha256 END, "
           "last_status = excluded.last_status, last_outcome = excluded.last_outcome, "
           "failures = CASE WHEN excluded.failures > 0 THEN url_state.failures + 1 ELSE 0 END, "
           "last_fetched_at = excluded.last_fetched_at")


def recent_originals(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(id, content_hash, simhash) of the stored originals a new article may repeat."""
    rows = con.execute(
        "SELECT id, content_hash, simhash FROM articles WHERE dup_of IS NULL "
        f"AND fetched_at > now() - INTERVAL {DUPLICATE_WINDOW_DAYS} DAY ORDER BY fetched_at, id"
    ).fetchall()
    return [(i, h, int(s)) for i, h, s in rows]


def sketches(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, tuple[bytes | None, str | None]]:
    """Each article's stored sketch; the body instead for one stored before sketches existed."""
    rows = rows_by_id(con, ids, ("id", "sketch", "CASE WHEN sketch IS NULL THEN body END"))
    return {i: (bytes(sketch) if sketch is not None else None, body) for i, sketch, body in rows}


def bodies(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    return dict(rows_by_id(con, ids, ("id", "body")))


def _save_source_health(con: duckdb.DuckDBPyConnection, fetches: Sequence[FetchRecord]) -> None:
    """A source's run counts as failed when its feed could not be read."""
    feeds: dict[str, FetchRecord] = {}
    for f in fetches:
        if f.role == "feed" and f.source_id and f.source_id not in feeds:
            feeds[f.source_id] = f
    for source_id, f in feeds.items():
        if f.outcome == "error":
            con.execute(
                "UPDATE sources SET consecutive_failures = consecutive_failures + 1, last_error_at = ?, "
                "last_error = ?, suspended_at = CASE WHEN consecutive_failures + 1 >= ? "
                "THEN coalesce(suspended_at, ?) END WHERE id = ?",
                [f.fetched_at, f"{f.error_kind}: {f.error_message}", settings.suspend_after(), f.fetched_at, source_id],
            )
        else:
            con.execute(
                "UPDATE sources SET consecutive_failures = 0, last_success_at = ? WHERE id = ?",
                [f.fetched_at, source_id],
            )


def source_states(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    keys = ("id", "outlet", "kind", "url", "last_success_at", "last_error_at", "last_error",
            "consecutive_failures", "suspended_at", "articles")
    rows = con.execute(
        "SELECT s.id, s.outlet, s.kind, s.url, s.last_success_at, s.last_error_at, s.last_error, "
        "s.consecutive_failures, s.suspended_at, (SELECT count(*) FROM articles a WHERE a.source_id = s.id) "
        "FROM sources s ORDER BY s.id"
    ).fetchall()
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


def resume_sources(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> int:
    """An operator brings a suspended source back after fixing or checking it."""
    resumed = con.execute(
        "UPDATE sources SET suspended_at = NULL, consecutive_failures = 0 "
        "WHERE suspended_at IS NOT NULL AND list_contains(?, id)", [list(ids)]
    ).fetchone()
    return int(resumed[0]) if resumed else 0
