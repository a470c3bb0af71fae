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

from storage.catalog_search import (
    LIMIT,
    PledgeMatch,
    PoliticianMatch,
    catalog_index,
    match_pledges,
    match_politicians,
)
from storage.db import first_row
from storage.sql_filters import date_range

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
SELECT article_id, pledge_id, model_version, score, evidence, article_title, outlet, published, url, lead,
       pledge_title, politician_id, politician, list_contains(skipped_by, $moderator) AS skipped
FROM review_queue
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
    ones this moderator skipped come only when asked for. They are read from
    review_queue, which the writes keep equal to v_review_queue (storage/queue_table.py)."""
    where, params = _filter_sql(f)
    if not f.show_skipped:
        where += " AND NOT list_contains(skipped_by, $moderator)"
    rows = con.execute(
        f"{_QUEUE} WHERE {where} ORDER BY {_ORDER.get(f.sort, _ORDER['score'])} LIMIT $limit",
        {**params, "moderator": moderator, "limit": limit},
    ).fetchall()
    return [_item(row) for row in rows]


def queue_item(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str, moderator: str) -> QueueItem | None:
    row = con.execute(
        f"{_QUEUE} WHERE article_id = $article AND pledge_id = $pledge",
        {"moderator": moderator, "article": article_id, "pledge": pledge_id},
    ).fetchone()
    return _item(row) if row else None


def queue_counts(con: duckdb.DuckDBPyConnection, f: QueueFilter, moderator: str) -> QueueCounts:
    where, params = _filter_sql(f)
    skipped = "list_contains(skipped_by, $moderator)"
    visible = "true" if f.show_skipped else f"NOT {skipped}"
    row = first_row(con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where} AND {visible}), "
        f"count(*) FILTER (WHERE {where} AND {skipped}) FROM review_queue",
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


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form shows: every outlet (a few dozen), and the politician
    and pledge chosen, by name; those two are searched as the moderator types
    (/search/politicians, /search/pledges), never listed whole."""

    outlets: list[Choice]
    politician: Choice | None
    pledge: Choice | None


def filter_choices(con: duckdb.DuckDBPyConnection, f: QueueFilter) -> FilterChoices:
    outlets = [Choice(o, o) for (o,) in con.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet").fetchall()]
    politician = con.execute("SELECT id, name FROM politicians WHERE id = ?", [f.politician or ""]).fetchone()
    pledge = con.execute(
        "SELECT p.id, p.title, pol.name FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "WHERE p.id = ?", [f.pledge or ""]).fetchone()
    return FilterChoices(outlets, Choice(*politician) if politician else None, Choice(*pledge) if pledge else None)


def search_pledges(con: duckdb.DuckDBPyConnection, query: str, *, near: str | None = None,
                   owner: str | None = None, limit: int = LIMIT) -> list[PledgeMatch]:
    """Pledges whose title, description, keywords or politician contain every word
    of the query, compared after NFKC so ＧＤＰ finds GDP; the pledge `near` is left
    out and its politician's (or `owner`'s) other pledges come first."""
    return match_pledges(catalog_index(con), query, near=near, owner=owner, limit=limit)


def search_politicians(con: duckdb.DuckDBPyConnection, query: str, limit: int = LIMIT) -> list[PoliticianMatch]:
    """Politicians and parties whose name, reading, alias, party or office contain every word typed."""
    return match_politicians(catalog_index(con), query, limit)
