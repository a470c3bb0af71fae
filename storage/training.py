"""What training reads from the database (moderators' decisions) and what it
writes back (model versions with their metrics)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb


def decided_links(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each article's current decided links as labelled pairs: an approval is a
    positive; a rejection a negative; a re-link a negative for the suggested
    pledge and a positive for the pledge chosen instead. Undone decisions and
    skips are not labels (v_link_state leaves them out)."""
    rows = con.execute(
        """
        SELECT a.id, a.title, a.body, a.published, a.url, a.outlet, s.pledge_id, s.action, s.relinked_to,
               s.decided_at
        FROM v_link_state s JOIN articles a ON a.id = s.article_id
        ORDER BY a.id, s.pledge_id
        """
    ).fetchall()
    links: list[dict[str, Any]] = []
    for article_id, title, body, published, url, outlet, pledge_id, action, relinked_to, decided_at in rows:
        article = {"id": article_id, "title": title, "body": body, "published": published, "url": url,
                   "outlet": outlet, "decided_at": decided_at}
        links.append({**article, "pledge_id": pledge_id, "label": action == "approve"})
        if action == "relink" and relinked_to:
            links.append({**article, "pledge_id": relinked_to, "label": True})
    return links


def record_model_version(con: duckdb.DuckDBPyConnection, version: str, *, kind: str, path: str | None = None,
                         trained_at: datetime | None = None, data_hash: str | None = None,
                         label_counts: dict | None = None, metrics: dict | None = None,
                         promoted: bool = False, reason: str | None = None) -> None:
    """Upsert by version: a later record (say, the one that promotes it) adds
    to what is known of a version without losing its training facts."""
    con.execute(
        """
        INSERT INTO model_versions (version, kind, path, trained_at, data_hash, label_counts, metrics, promoted,
                                    reason, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (version) DO UPDATE SET
            path = coalesce(excluded.path, model_versions.path),
            trained_at = coalesce(excluded.trained_at, model_versions.trained_at),
            data_hash = coalesce(excluded.data_hash, model_versions.data_hash),
            label_counts = coalesce(excluded.label_counts, model_versions.label_counts),
            metrics = coalesce(excluded.metrics, model_versions.metrics),
            promoted = excluded.promoted OR model_versions.promoted,
            reason = coalesce(excluded.reason, model_versions.reason),
            recorded_at = excluded.recorded_at
        """,
        [version, kind, path, trained_at, data_hash,
         json.dumps(label_counts, ensure_ascii=False) if label_counts is not None else None,
         json.dumps(metrics, ensure_ascii=False) if metrics is not None else None,
         promoted, reason, datetime.now(UTC)],
    )


def demote_others(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Only one version is in use at a time."""
    con.execute("UPDATE model_versions SET promoted = false WHERE version <> ? AND promoted", [version])
