"""What the moderators' pages show of the outcome, and what leaves the system:
a pledge's approved activities, progress per politician, the activities export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from classifiers.stage_names import STAGES
from storage.catalog_search import catalog_index, pledge_ids_matching
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


NO_STAGE = "none"  # the stage filter's value for pledges no staged activity has reached yet


@dataclass(frozen=True)
class ProgressFilter:
    """What the progress page is narrowed to. Values only ever reach SQL as parameters."""

    politician: str | None = None
    party: str | None = None
    stage: str | None = None  # a stage of STAGES, or NO_STAGE
    text: str | None = None


@dataclass(frozen=True)
class PledgeProgress:
    id: str
    title: str
    retired: bool
    activities: int
    pending: int
    rejected: int
    last_activity: datetime | None
    furthest_stage: str | None
    reached_at: datetime | None
    undone: bool
    suggested_progress: int


@dataclass(frozen=True)
class OwnerProgress:
    """A politician (or party) with the pledges of theirs on this page. The
    figures count all of their pledges the filter keeps, on this page or not."""

    id: str
    name: str
    party: str | None
    pledges_total: int
    with_activity: int
    activities: int
    pending: int
    stages: dict[str, int]
    continued: bool  # their first pledges are on the page before
    continues: bool  # and more on the page after
    pledges: list[PledgeProgress] = field(default_factory=list)


@dataclass(frozen=True)
class ProgressPage:
    owners: list[OwnerProgress]
    total: int  # pledges the filter keeps, on every page
    offset: int
    stages: dict[str, int]  # of those pledges, how many reached each furthest stage

    @property
    def shown(self) -> int:
        return sum(len(o.pledges) for o in self.owners)


_STAGE_COUNTS = ", ".join(f"count(*) FILTER (WHERE furthest_stage = '{name}')" for name in STAGES)
# `kept`: the pledges the filter keeps, with their owner and furthest stage
# (all the filter and the sort need); `page`: the LIMIT/OFFSET cut, with the
# pledge before and the one after it (whether the first owner's pledges began
# on the page before, whether the last one's go on); the activity, pending and
# rejection counts are then made for the pledges of the owners on the page only
# (their sums include the pledges on other pages).
_PROGRESS_PAGE = f"""
WITH kept AS MATERIALIZED (
    SELECT pol.id AS owner_id, pol.name AS owner, pol.party, coalesce(pol.reading, pol.name) AS owner_order,
           p.id, p.title, p.retired_at IS NOT NULL AS retired, pp.furthest_stage, pp.reached_at,
           coalesce(pp.undone, false) AS undone, coalesce(pp.suggested_progress, 0) AS suggested_progress
    FROM pledges p
    JOIN politicians pol ON pol.id = p.politician_id
    LEFT JOIN v_pledge_progress pp ON pp.pledge_id = p.id
    WHERE {{where}}
),
page AS MATERIALIZED (SELECT * FROM kept ORDER BY owner_order, owner_id, id LIMIT $limit OFFSET $offset),
theirs AS MATERIALIZED (SELECT * FROM kept SEMI JOIN (SELECT DISTINCT owner_id FROM page) o USING (owner_id)),
acts AS (
    SELECT pledge_id, count(DISTINCT article_id) AS n, max(published) AS last FROM v_activities
    SEMI JOIN theirs ON theirs.id = v_activities.pledge_id GROUP BY ALL
),
pend AS (
    SELECT pledge_id, count(*) AS n FROM review_queue SEMI JOIN theirs ON theirs.id = review_queue.pledge_id
    GROUP BY ALL
),
rej AS (
    SELECT pledge_id, count(*) AS n FROM v_link_state SEMI JOIN theirs ON theirs.id = v_link_state.pledge_id
    WHERE action = 'reject' GROUP BY ALL
),
counted AS (
    SELECT t.owner_id, t.id, coalesce(acts.n, 0) AS activities, coalesce(pend.n, 0) AS pending,
           coalesce(rej.n, 0) AS rejected, acts.last
    FROM theirs t
    LEFT JOIN acts ON acts.pledge_id = t.id
    LEFT JOIN pend ON pend.pledge_id = t.id
    LEFT JOIN rej ON rej.pledge_id = t.id
),
owners AS (
    SELECT t.owner_id, count(*) AS pledges, count(*) FILTER (WHERE c.activities > 0) AS with_activity,
           sum(c.activities) AS activities, sum(c.pending) AS pending, {_STAGE_COUNTS}
    FROM theirs t JOIN counted c ON c.id = t.id GROUP BY t.owner_id
),
everything AS (SELECT count(*), {_STAGE_COUNTS} FROM kept)
SELECT page.owner_id, page.owner, page.party, page.id, page.title, page.retired, c.activities, c.pending,
       c.rejected, c.last, page.furthest_stage, page.reached_at, page.undone, page.suggested_progress,
       owners.* EXCLUDE (owner_id), everything.*
FROM page
JOIN counted c ON c.id = page.id
JOIN owners ON owners.owner_id = page.owner_id
CROSS JOIN everything
ORDER BY page.owner_order, page.owner_id, page.id
"""


def _progress_where(con: duckdb.DuckDBPyConnection, f: ProgressFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["true"]
    params: dict[str, Any] = {}
    if f.politician:
        clauses.append("pol.id = $politician")
        params["politician"] = f.politician
    if f.party:
        clauses.append("(pol.party = $party OR (pol.kind = 'party' AND pol.name = $party))")
        params["party"] = f.party
    if f.stage == NO_STAGE:
        clauses.append("pp.furthest_stage IS NULL")
    elif f.stage in STAGES:
        clauses.append("pp.furthest_stage = $stage")
        params["stage"] = f.stage
    if f.text:
        clauses.append("p.id IN (SELECT unnest($ids))")
        params["ids"] = pledge_ids_matching(catalog_index(con), f.text)
    return " AND ".join(clauses), params


def progress_page(con: duckdb.DuckDBPyConnection, f: ProgressFilter, limit: int, offset: int) -> ProgressPage:
    """One page of pledges in owner order (reading, then id), each with its
    approved activities, suggestions waiting, rejections and furthest stage,
    and per owner and for the whole filter what every page adds up to, in one
    query. The filter and the stage counts need every pledge's furthest stage
    (v_pledge_progress, the bulk of the cost), so keyset paging would save
    next to nothing over LIMIT/OFFSET on the kept pledges."""
    where, params = _progress_where(con, f)
    before = 1 if offset > 0 else 0
    rows = con.execute(_PROGRESS_PAGE.format(where=where),
                       {**params, "limit": limit + before + 1, "offset": offset - before}).fetchall()
    previous, rows, following = (rows[:before], rows[before:before + limit], rows[before + limit:])
    owners: dict[str, OwnerProgress] = {}
    n = len(STAGES)
    for row in rows:
        owner_id, name, party = row[0], row[1], row[2]
        pledge = PledgeProgress(row[3], row[4], bool(row[5]), int(row[6]), int(row[7]), int(row[8]), row[9],
                                row[10], row[11], bool(row[12]), int(row[13]))
        if owner_id not in owners:
            pledges, with_activity, activities, pending = (int(v) for v in row[14:18])
            owners[owner_id] = OwnerProgress(owner_id, name, party, pledges, with_activity, activities, pending,
                                             dict(zip(STAGES, (int(v) for v in row[18:18 + n]), strict=True)),
                                             continued=bool(previous) and previous[0][0] == owner_id,
                                             continues=bool(following) and following[0][0] == owner_id)
        owners[owner_id].pledges.append(pledge)
    total = int(rows[0][18 + n]) if rows else 0
    stages = dict(zip(STAGES, (int(v) for v in rows[0][19 + n:]), strict=True)) if rows else dict.fromkeys(STAGES, 0)
    return ProgressPage(list(owners.values()), total, offset, stages)


def count_progress(con: duckdb.DuckDBPyConnection, f: ProgressFilter) -> int:
    """The pledges the filter keeps: how far a page number may go when a page came back empty."""
    where, params = _progress_where(con, f)
    return int(first_row(con.execute(
        f"SELECT count(*) FROM pledges p JOIN politicians pol ON pol.id = p.politician_id "
        f"LEFT JOIN v_pledge_progress pp ON pp.pledge_id = p.id WHERE {where}", params))[0])


def parties(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The party filter's choices: the parties people belong to and those owning pledges (a dozen or two)."""
    return [name for (name,) in con.execute(
        "SELECT DISTINCT coalesce(party, name) FROM politicians WHERE party IS NOT NULL OR kind = 'party' "
        "ORDER BY 1").fetchall()]


def owner_name(con: duckdb.DuckDBPyConnection, politician_id: str | None) -> str | None:
    """The name the politician filter shows for the id it holds."""
    row = con.execute("SELECT name FROM politicians WHERE id = ?", [politician_id or ""]).fetchone()
    return row[0] if row else None


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
