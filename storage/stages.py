"""Stages in DuckDB (migration 009): what a decision records of the suggested
and kept stage and direction, the kept stages training learns from, and each
pledge's progress for the review app's pages.

Every function takes an open connection; the caller chooses the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from classifiers.stage_names import DIRECTIONS, STAGES

KEEPS_STAGE = ("approve", "relink")


def suggestion(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str) -> tuple[str | None, str | None]:
    """The latest candidate's suggested (stage, direction), as the queue showed it."""
    row = con.execute(
        "SELECT stage, direction FROM v_candidate_stages WHERE article_id = ? AND pledge_id = ? "
        "ORDER BY created_at DESC, model_version DESC LIMIT 1", [article_id, pledge_id],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def stage_columns(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str, action: str,
                  stage: str | None, direction: str | None) -> dict[str, Any]:
    """The decision's stage columns: the suggestion always; on an approval or
    re-link also what was kept, which is the suggestion unless the moderator
    chose otherwise. A value that is not a stage or direction counts as not chosen."""
    suggested_stage, suggested_direction = suggestion(con, article_id, pledge_id)
    columns: dict[str, Any] = {"suggested_stage": suggested_stage, "suggested_direction": suggested_direction}
    if action in KEEPS_STAGE:
        columns["stage"] = stage if stage in STAGES else suggested_stage
        columns["direction"] = direction if direction in DIRECTIONS else suggested_direction
    return columns


def kept_stages(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Effective approvals and re-links whose decision kept a stage, with the
    article and the evidence sentence the moderator saw: training labels."""
    rows = con.execute(
        """
        SELECT a.id, a.title, a.body, a.published, a.url, a.outlet, l.pledge_id, d.stage, d.direction, d.decided_at,
               (SELECT c.evidence ->> '$.sentence' FROM candidates c
                WHERE c.article_id = l.article_id AND c.pledge_id = l.pledge_id
                ORDER BY c.created_at DESC, c.model_version DESC LIMIT 1) AS sentence
        FROM v_link_state l
        JOIN decisions d ON d.id = l.decision_id
        JOIN articles a ON a.id = l.article_id
        WHERE l.action IN ('approve', 'relink') AND d.stage IS NOT NULL AND d.direction IS NOT NULL
        ORDER BY d.decided_at, d.id
        """
    ).fetchall()
    keys = ("id", "title", "body", "published", "url", "outlet", "pledge_id", "stage", "direction", "decided_at",
            "sentence")
    return [dict(zip(keys, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class StagedActivity:
    article_id: str
    article_title: str
    activity_at: datetime
    stage: str | None
    direction: str | None
    source: str | None  # moderator | suggested
    cue: str | None


@dataclass(frozen=True)
class Progress:
    """v_pledge_progress for one pledge."""

    pledge_id: str
    furthest_stage: str | None
    reached_at: datetime | None
    reached_by: str | None
    reached_by_title: str | None
    undone: bool
    undone_at: datetime | None
    undone_by: str | None
    suggested_progress: int


_PROGRESS = ("pledge_id, furthest_stage, reached_at, reached_by, reached_by_title, undone, undone_at, undone_by, "
             "suggested_progress")


def pledge_progress(con: duckdb.DuckDBPyConnection, pledge_id: str | None = None) -> dict[str, Progress]:
    """Every pledge's progress, or only `pledge_id`'s (a pledge page needs one, not 30,000)."""
    where, params = ("WHERE pledge_id = ?", [pledge_id]) if pledge_id is not None else ("", [])
    rows = con.execute(f"SELECT {_PROGRESS} FROM v_pledge_progress {where}", params).fetchall()
    return {row[0]: Progress(*row) for row in rows}


def staged_activities(con: duckdb.DuckDBPyConnection, pledge_id: str) -> list[StagedActivity]:
    """A pledge's approved activities in time order, with stage and direction:
    the markers of its timeline."""
    rows = con.execute(
        "SELECT article_id, article_title, activity_at, stage, direction, stage_source, cue FROM v_activity_stages "
        "WHERE pledge_id = ? ORDER BY activity_at, article_id", [pledge_id],
    ).fetchall()
    return [StagedActivity(*row) for row in rows]
