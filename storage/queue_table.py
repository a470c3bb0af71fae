"""Keeping `review_queue` (migration 011) equal to v_review_queue, with each
pair's skips, so that a queue page reads one table instead of recomputing the
newest score and the decision state of every pair.

Every write that changes what is pending calls one of these in its own
transaction: storing candidates (refresh_articles), appending a decision or an
undo (refresh_pair), saving the catalog (sync_catalog). Each one recomputes the
rows of the pairs it touched from the base tables with the rules of
v_review_queue, deletes their old rows and inserts the new ones, so the table
can never drift by an update applied twice. Articles are never changed once
stored and candidates never changed once written; retiring a pledge leaves its
suggestions pending (as v_review_queue does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

COLUMNS = ("article_id, pledge_id, model_version, score, evidence, created_at, article_title, outlet, published, "
           "url, lead, pledge_title, politician_id, politician, skipped_by")

# The rows of v_review_queue (migrations 001 and 008) for the candidates `{pairs}`
# selects, and who has skipped each. `{pairs}` is a condition on article_id and
# pledge_id, so the same one narrows candidates, decisions and the table itself.
_ROWS = """
WITH latest AS (
    SELECT * FROM candidates WHERE {pairs}
    QUALIFY row_number() OVER (PARTITION BY article_id, pledge_id ORDER BY created_at DESC, model_version DESC) = 1
),
in_force AS (
    SELECT d.article_id, d.pledge_id, d.action, d.moderator
    FROM (SELECT * FROM decisions WHERE {pairs}) d
    ANTI JOIN (SELECT undoes FROM decisions WHERE action = 'undo') u ON u.undoes = d.id
    WHERE d.action <> 'undo'
),
skips AS (
    SELECT article_id, pledge_id, list(DISTINCT moderator ORDER BY moderator) AS skipped_by
    FROM in_force WHERE action = 'skip' GROUP BY ALL
)
SELECT l.article_id, l.pledge_id, l.model_version, l.score, l.evidence, l.created_at,
       a.title, a.outlet, a.published, a.url, a.lead, p.title, p.politician_id, pol.name,
       coalesce(s.skipped_by, []::VARCHAR[])
FROM latest l
JOIN articles a ON a.id = l.article_id
JOIN pledges p ON p.id = l.pledge_id
LEFT JOIN politicians pol ON pol.id = p.politician_id
LEFT JOIN skips s ON s.article_id = l.article_id AND s.pledge_id = l.pledge_id
WHERE a.dup_of IS NULL
  AND NOT EXISTS (SELECT 1 FROM in_force f WHERE f.article_id = l.article_id AND f.pledge_id = l.pledge_id
                  AND f.action IN ('approve', 'reject', 'relink'))
"""


def _refresh(con: duckdb.DuckDBPyConnection, pairs: str, params: dict[str, Any]) -> None:
    con.execute(f"DELETE FROM review_queue WHERE {pairs}", params)
    con.execute(f"INSERT INTO review_queue ({COLUMNS}) {_ROWS.format(pairs=pairs)}", params)


def refresh_pair(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str, *, decided: bool = False) -> None:
    """After a decision or an undo on the pair: it leaves the queue, comes back,
    or changes who has skipped it. `decided`: an approve, reject or re-link was
    just appended, so the pair is no longer pending whatever else holds, and
    deleting its row is all there is to do (a bulk action of a hundred items
    would otherwise recompute a hundred pairs from the decision log)."""
    params = {"article": article_id, "pledge": pledge_id}
    if decided:
        con.execute("DELETE FROM review_queue WHERE article_id = $article AND pledge_id = $pledge", params)
        return
    _refresh(con, "article_id = $article AND pledge_id = $pledge", params)


def _refresh_ids(con: duckdb.DuckDBPyConnection, column: str, ids: Iterable[str]) -> None:
    values = sorted(set(ids))
    if not values:
        return
    con.register("_queue_scope", pa.table({"id": pa.array(values, pa.string())}))
    try:
        _refresh(con, f"{column} IN (SELECT id FROM _queue_scope)", {})
    finally:
        con.unregister("_queue_scope")


def refresh_articles(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> None:
    """After storing candidates for these articles: a newer model's score replaces the older one."""
    _refresh_ids(con, "article_id", article_ids)


def sync_catalog(con: duckdb.DuckDBPyConnection) -> int:
    """After a catalog save: rows whose pledge title, politician or politician's
    name changed are refreshed; returns how many pledges that touched. Pledges
    are never deleted, so no row loses its pledge."""
    stale = [pid for (pid,) in con.execute(
        "SELECT DISTINCT q.pledge_id FROM review_queue q JOIN pledges p ON p.id = q.pledge_id "
        "LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "WHERE q.pledge_title IS DISTINCT FROM p.title OR q.politician_id IS DISTINCT FROM p.politician_id "
        "OR q.politician IS DISTINCT FROM pol.name").fetchall()]
    _refresh_ids(con, "pledge_id", stale)
    return len(stale)
