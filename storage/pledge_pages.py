"""What the moderators' pages show of the outcome, and what leaves the system:
a pledge's approved activities, progress per politician, the activities export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from storage.db import first_row


@dataclass(frozen=True)
class Activity:
    article_id: str
    article_title: str
    outlet: str | None
    published: datetime | None
    url: str
    lead: str | None
    moderator: str
    decided_at: datetime


@dataclass(frozen=True)
class PledgeDetail:
    id: str
    title: str
    description: str | None
    keywords: list[str]
    made_on: date | None
    source_url: str | None
    politician_id: str
    politician: str | None
    party: str | None
    activities: list[Activity]
    pending: int
    rejected: int


_ACTIVITIES = """
SELECT v.article_id, v.article_title, v.outlet, v.published, v.url, v.lead, v.moderator, v.decided_at
FROM v_activities v
WHERE v.pledge_id = ?
QUALIFY row_number() OVER (PARTITION BY v.article_id ORDER BY v.decided_at DESC) = 1
ORDER BY v.published DESC NULLS LAST, v.article_id
"""


def pledge_detail(con: duckdb.DuckDBPyConnection, pledge_id: str) -> PledgeDetail | None:
    row = con.execute(
        "SELECT p.id, p.title, p.description, coalesce(p.keywords, []), p.made_on, p.source_url, p.politician_id, "
        "pol.name, pol.party FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id WHERE p.id = ?",
        [pledge_id],
    ).fetchone()
    if row is None:
        return None
    activities = [Activity(*a) for a in con.execute(_ACTIVITIES, [pledge_id]).fetchall()]
    pending, rejected = first_row(con.execute(
        "SELECT (SELECT count(*) FROM review_queue WHERE pledge_id = $p), "
        "(SELECT count(*) FROM v_link_state WHERE pledge_id = $p AND action = 'reject')", {"p": pledge_id},
    ))
    pledge, title, description, keywords, made_on, source_url, politician_id, politician, party = row
    return PledgeDetail(pledge, title, description, list(keywords), made_on, source_url, politician_id, politician,
                        party, activities, int(pending), int(rejected))


@dataclass(frozen=True)
class PledgeProgress:
    id: str
    title: str
    activities: int
    pending: int
    rejected: int
    last_activity: datetime | None


@dataclass(frozen=True)
class PoliticianProgress:
    id: str
    name: str
    party: str | None
    pledges: list[PledgeProgress]

    @property
    def with_activity(self) -> int:
        return sum(1 for p in self.pledges if p.activities)

    @property
    def activities(self) -> int:
        return sum(p.activities for p in self.pledges)

    @property
    def pending(self) -> int:
        return sum(p.pending for p in self.pledges)


def progress(con: duckdb.DuckDBPyConnection) -> list[PoliticianProgress]:
    """Per politician, per pledge: approved activities, suggestions waiting, rejections."""
    rows = con.execute("""
        WITH acts AS (
            SELECT pledge_id, count(DISTINCT article_id) AS n, max(published) AS last FROM v_activities GROUP BY ALL
        ),
        pend AS (SELECT pledge_id, count(*) AS n FROM review_queue GROUP BY ALL),
        rej AS (SELECT pledge_id, count(*) AS n FROM v_link_state WHERE action = 'reject' GROUP BY ALL)
        SELECT pol.id, pol.name, pol.party, p.id, p.title,
               coalesce(acts.n, 0), coalesce(pend.n, 0), coalesce(rej.n, 0), acts.last
        FROM politicians pol
        JOIN pledges p ON p.politician_id = pol.id
        LEFT JOIN acts ON acts.pledge_id = p.id
        LEFT JOIN pend ON pend.pledge_id = p.id
        LEFT JOIN rej ON rej.pledge_id = p.id
        ORDER BY coalesce(pol.reading, pol.name), pol.id, p.id
    """).fetchall()
    politicians: dict[str, PoliticianProgress] = {}
    for pol_id, name, party, *pledge in rows:
        entry = politicians.setdefault(pol_id, PoliticianProgress(pol_id, name, party, []))
        entry.pledges.append(PledgeProgress(*pledge))
    return list(politicians.values())


EXPORT_FIELDS = ("politician", "politician_id", "pledge", "pledge_id", "article_title", "outlet", "published", "url",
                 "summary", "moderator", "decided_at")


def approved_activities(con: duckdb.DuckDBPyConnection, summary_chars: int = 200) -> list[dict[str, Any]]:
    """Approved (article → pledge) links in the shape a pledge-tracking site
    publishes; moderators' notes stay internal and are left out."""
    rows = con.execute(
        "SELECT v.politician, v.politician_id, v.pledge_title, v.pledge_id, v.article_title, v.outlet, v.published, "
        "v.url, coalesce(nullif(trim(v.lead), ''), a.body), v.moderator, v.decided_at "
        "FROM v_activities v JOIN articles a ON a.id = v.article_id "
        "QUALIFY row_number() OVER (PARTITION BY v.article_id, v.pledge_id ORDER BY v.decided_at DESC) = 1 "
        "ORDER BY v.politician_id, v.pledge_id, v.published NULLS LAST, v.article_id"
    ).fetchall()
    out = []
    for row in rows:
        record = dict(zip(EXPORT_FIELDS, row, strict=True))
        record["summary"] = _shorten(record["summary"], summary_chars)
        out.append(record)
    return out


def _shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
