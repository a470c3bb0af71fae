"""The review queue: pending suggestions for one moderator, narrowed by a
filter, and the choices the filter and the re-link search offer.

Every function takes an open connection; values reach SQL only as parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from storage.db import first_row
from storage.sql_filters import date_range, fold

SORTS = ("score", "uncertain")


@dataclass(frozen=True)
class QueueFilter:
    """What a moderator narrowed the queue to. Values only ever reach SQL as parameters."""

    politician: str | None = None
    pledge: str | None = None
    outlet: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    sort: str = "score"
    show_skipped: bool = False


@dataclass(frozen=True)
class QueueItem:
    article_id: str
    pledge_id: str
    model_version: str
    score: float
    evidence: dict[str, Any]
    article_title: str
    outlet: str | None
    published: datetime | None
    url: str
    lead: str | None
    pledge_title: str
    politician_id: str
    politician: str | None
    skipped: bool


@dataclass(frozen=True)
class QueueCounts:
    total: int       # everything pending, whatever the filter
    left: int        # pending for this moderator under the filter
    skipped: int     # under the filter, set aside by this moderator with "skip"


_QUEUE = """
SELECT q.article_id, q.pledge_id, q.model_version, q.score, q.evidence, q.article_title, q.outlet, q.published,
       q.url, q.lead, q.pledge_title, q.politician_id, q.politician,
       EXISTS (
           SELECT 1 FROM v_decisions_in_force d
           WHERE d.article_id = q.article_id AND d.pledge_id = q.pledge_id AND d.action = 'skip'
             AND d.moderator = $moderator
       ) AS skipped
FROM v_review_queue q
"""
_ORDER = {
    "score": "score DESC, published DESC NULLS LAST, article_id, pledge_id",
    "uncertain": "abs(score - 0.5), score DESC, published DESC NULLS LAST, article_id, pledge_id",
}


def _filter_sql(f: QueueFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["true"]
    params: dict[str, Any] = {}
    if f.politician:
        clauses.append("politician_id = $politician")
        params["politician"] = f.politician
    if f.pledge:
        clauses.append("pledge_id = $pledge")
        params["pledge"] = f.pledge
    if f.outlet:
        clauses.append("outlet = $outlet")
        params["outlet"] = f.outlet
    dates, bounds = date_range("published", f.published_from, f.published_to, "published")
    return " AND ".join(clauses + dates), {**params, **bounds}


def queue_items(con: duckdb.DuckDBPyConnection, f: QueueFilter, moderator: str, limit: int) -> list[QueueItem]:
    """Pending suggestions for one moderator, best (or most uncertain) first; the
    ones this moderator skipped come only when asked for."""
    where, params = _filter_sql(f)
    if not f.show_skipped:
        where += " AND NOT skipped"
    rows = con.execute(
        f"SELECT * FROM ({_QUEUE}) WHERE {where} ORDER BY {_ORDER.get(f.sort, _ORDER['score'])} LIMIT $limit",
        {**params, "moderator": moderator, "limit": limit},
    ).fetchall()
    return [_item(row) for row in rows]


def queue_item(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str, moderator: str) -> QueueItem | None:
    row = con.execute(
        f"SELECT * FROM ({_QUEUE}) WHERE article_id = $article AND pledge_id = $pledge",
        {"moderator": moderator, "article": article_id, "pledge": pledge_id},
    ).fetchone()
    return _item(row) if row else None


def queue_counts(con: duckdb.DuckDBPyConnection, f: QueueFilter, moderator: str) -> QueueCounts:
    where, params = _filter_sql(f)
    visible = "true" if f.show_skipped else "NOT skipped"
    row = first_row(con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where} AND {visible}), count(*) FILTER (WHERE {where} AND skipped) "
        f"FROM ({_QUEUE})",
        {**params, "moderator": moderator},
    ))
    return QueueCounts(int(row[0]), int(row[1]), int(row[2]))


def _item(row: tuple) -> QueueItem:
    values = list(row)
    values[4] = parse_evidence(values[4])
    return QueueItem(*values)


def parse_evidence(raw: Any) -> dict[str, Any]:
    """The classifier's evidence JSON; anything unreadable shows as no evidence
    rather than breaking the moderator's page."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    group: str | None = None


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[Choice]]:
    politicians = [Choice(i, n) for i, n in con.execute(
        "SELECT id, name FROM politicians ORDER BY coalesce(reading, name), id").fetchall()]
    pledges = [Choice(i, t, g) for i, t, g in con.execute(
        "SELECT p.id, p.title, pol.name FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "ORDER BY coalesce(pol.reading, pol.name), p.id").fetchall()]
    outlets = [Choice(o, o) for (o,) in con.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet").fetchall()]
    return {"politicians": politicians, "pledges": pledges, "outlets": outlets}


@dataclass(frozen=True)
class PledgeChoice:
    id: str
    title: str
    politician_id: str
    politician: str | None


def search_pledges(con: duckdb.DuckDBPyConnection, query: str, *, near: str | None = None,
                   limit: int = 50) -> list[PledgeChoice]:
    """Pledges whose title, description, keywords or politician contain every word
    of the query, compared after NFKC so ＧＤＰ finds GDP; the pledge `near` is left
    out and its politician's other pledges come first. The catalog is small
    (hundreds of pledges), so matching happens here rather than in SQL."""
    words = fold(query).split()[:8]
    rows = con.execute(
        "SELECT p.id, p.title, p.politician_id, pol.name, "
        "concat_ws(' ', p.title, p.description, array_to_string(p.keywords, ' '), pol.name, pol.reading, "
        "p.politician_id), p.politician_id = (SELECT politician_id FROM pledges WHERE id = $near) "
        "FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "WHERE p.id <> $near ORDER BY 6 DESC NULLS LAST, coalesce(pol.reading, pol.name), p.id",
        {"near": near or ""},
    ).fetchall()
    found = [PledgeChoice(*row[:4]) for row in rows if all(w in fold(row[4]) for w in words)]
    return found[:limit]

