"""The append-only decision log (DESIGN §4): deciding, undoing, and the audit
log that shows it all.

Every function takes an open connection so the caller chooses the transaction:
a decision's check ("is this link still in the state the moderator saw?") and
its write happen in one, which is what keeps two moderators from overwriting
each other. Nothing here deletes or updates a decision; undo appends a row.
What is in force is defined once, by the views of migration 008
(`v_decisions_in_force`, and `v_link_state` over it); storage/queue_table.py
applies the same rule to the pairs each write touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb

from storage.db import first_row
from storage.queue_table import refresh_pair
from storage.sql_filters import date_range, fold

EFFECTIVE = ("approve", "reject", "relink")
ACTIONS = (*EFFECTIVE, "skip")
NOTE_MAX = 2000


@dataclass(frozen=True)
class Decision:
    id: int
    article_id: str
    pledge_id: str
    action: str
    relinked_to: str | None
    moderator: str
    decided_at: datetime
    note: str | None
    previous_action: str | None
    model_version: str | None
    score: float | None
    undoes: int | None
    overrides: int | None = None


_DECISION_COLUMNS = ("id, article_id, pledge_id, action, relinked_to, moderator, decided_at, note, previous_action, "
                     "model_version, score, undoes, overrides")


@dataclass(frozen=True)
class LinkState:
    """The current, effective decision on an (article, pledge) link (v_link_state)."""

    action: str
    relinked_to: str | None
    moderator: str
    decided_at: datetime
    decision_id: int


@dataclass(frozen=True)
class Conflict:
    """Why a decision was refused: someone got there first, or it was already undone."""

    kind: Literal["decided", "undone", "superseded"]
    moderator: str
    action: str
    at: datetime
    decision_id: int | None = None  # the decision in the way, for an override to name


@dataclass(frozen=True)
class Outcome:
    """What became of a decision or undo. `reason` says why an invalid or forbidden
    one was refused, as a code the web app words for moderators."""

    status: Literal["ok", "conflict", "invalid", "forbidden"]
    decision: Decision | None = None
    conflict: Conflict | None = None
    reason: str = ""


def link_state(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str) -> LinkState | None:
    row = con.execute(
        "SELECT action, relinked_to, moderator, decided_at, decision_id FROM v_link_state "
        "WHERE article_id = ? AND pledge_id = ?", [article_id, pledge_id],
    ).fetchone()
    return LinkState(*row) if row else None


def get_decision(con: duckdb.DuckDBPyConnection, decision_id: int) -> Decision | None:
    row = con.execute(f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE id = ?", [decision_id]).fetchone()
    return Decision(*row) if row else None


def _append(con: duckdb.DuckDBPyConnection, **values: Any) -> Decision:
    """The one place a decision is written, so the review queue's row for the
    pair follows it in the same transaction."""
    columns = list(values)
    row = first_row(con.execute(
        f"INSERT INTO decisions ({', '.join(columns)}, decided_at) VALUES ({', '.join('?' for _ in columns)}, now()) "
        f"RETURNING {_DECISION_COLUMNS}",
        list(values.values()),
    ))
    refresh_pair(con, values["article_id"], values["pledge_id"], decided=values["action"] in EFFECTIVE)
    return Decision(*row)


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    return note[:NOTE_MAX] or None


def decide(con: duckdb.DuckDBPyConnection, moderator: str, article_id: str, pledge_id: str, action: str, *,
           relinked_to: str | None = None, note: str | None = None, seen: int | None = None,
           override: bool = False, stage_columns: dict[str, Any] | None = None) -> Outcome:
    """Append one decision if the link is still in the state the moderator saw
    (`seen`: the decision id shown, or None for an undecided suggestion); otherwise
    report who decided it, and write nothing. Another moderator's decision is
    replaced only with `override` (which the app asks for) and the row records
    the decision it overrode: knowing its id is not enough. `stage_columns`
    (storage.stages.stage_columns) are the suggested and kept stage and direction."""
    if action not in ACTIONS:
        return Outcome("invalid", reason="unknown-action")
    candidate = con.execute(
        "SELECT model_version, score FROM candidates WHERE article_id = ? AND pledge_id = ? "
        "ORDER BY created_at DESC, model_version DESC LIMIT 1", [article_id, pledge_id],
    ).fetchone()
    if candidate is None:
        return Outcome("invalid", reason="no-suggestion")
    if action == "relink":
        if not relinked_to or relinked_to == pledge_id:
            return Outcome("invalid", reason="same-pledge")
        if con.execute("SELECT 1 FROM pledges WHERE id = ?", [relinked_to]).fetchone() is None:
            return Outcome("invalid", reason="no-pledge")
    else:
        relinked_to = None
    current = link_state(con, article_id, pledge_id)
    others = current is not None and current.moderator != moderator
    if (current.decision_id if current else None) != seen or (others and not override):
        if current is not None:
            return Outcome("conflict", conflict=Conflict("decided", current.moderator, current.action,
                                                         current.decided_at, current.decision_id))
        return Outcome("conflict", conflict=_undone_conflict(con, seen))
    decision = _append(
        con, article_id=article_id, pledge_id=pledge_id, action=action, relinked_to=relinked_to,
        moderator=moderator, note=_clean_note(note), previous_action=current.action if current else None,
        model_version=candidate[0], score=candidate[1], undoes=None,
        overrides=current.decision_id if current is not None and others else None, **(stage_columns or {}),
    )
    return Outcome("ok", decision=decision)


def _undone_conflict(con: duckdb.DuckDBPyConnection, decision_id: int | None) -> Conflict | None:
    row = con.execute(
        "SELECT moderator, decided_at FROM decisions WHERE action = 'undo' AND undoes = ? ORDER BY id LIMIT 1",
        [decision_id],
    ).fetchone()
    return Conflict("undone", row[0], "undo", row[1]) if row else None


def last_undoable(con: duckdb.DuckDBPyConnection, moderator: str) -> Decision | None:
    """This moderator's latest decision that is not itself an undo and not undone yet."""
    row = con.execute(
        f"SELECT {_DECISION_COLUMNS} FROM v_decisions_in_force WHERE moderator = ? ORDER BY id DESC LIMIT 1",
        [moderator],
    ).fetchone()
    return Decision(*row) if row else None


def undo(con: duckdb.DuckDBPyConnection, moderator: str, *, decision_id: int | None = None,
         is_admin: bool = False, note: str | None = None) -> Outcome:
    """Append an `undo` row for a decision: by default the moderator's own last one;
    a given id only if it is theirs or they are an admin. An approve/reject/re-link
    that someone has since replaced is not undone behind their back."""
    target = last_undoable(con, moderator) if decision_id is None else get_decision(con, decision_id)
    if target is None:
        return Outcome("invalid", reason="nothing-to-undo")
    if target.moderator != moderator and not is_admin:
        return Outcome("forbidden", reason="not-yours")
    if target.action == "undo":
        return Outcome("invalid", reason="undo-of-undo")
    already = _undone_conflict(con, target.id)
    if already is not None:
        return Outcome("conflict", conflict=already)
    current = link_state(con, target.article_id, target.pledge_id)
    if target.action in EFFECTIVE and current is not None and current.decision_id != target.id:
        return Outcome("conflict", conflict=Conflict("superseded", current.moderator, current.action,
                                                     current.decided_at))
    decision = _append(
        con, article_id=target.article_id, pledge_id=target.pledge_id, action="undo", relinked_to=None,
        moderator=moderator, note=_clean_note(note), previous_action=current.action if current else None,
        model_version=target.model_version, score=target.score, undoes=target.id,
    )
    return Outcome("ok", decision=decision)


@dataclass(frozen=True)
class LinkContext:
    """What a moderator needs to recognise a link in a message: titles, not ids."""

    article_title: str
    url: str
    pledge_title: str
    politician: str | None
    relinked_title: str | None = None


def link_context(con: duckdb.DuckDBPyConnection, article_id: str, pledge_id: str,
                 relinked_to: str | None = None) -> LinkContext | None:
    row = con.execute(
        "SELECT a.title, a.url, p.title, pol.name, (SELECT title FROM pledges WHERE id = $relinked) "
        "FROM articles a CROSS JOIN pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "WHERE a.id = $article AND p.id = $pledge",
        {"article": article_id, "pledge": pledge_id, "relinked": relinked_to},
    ).fetchone()
    return LinkContext(*row) if row else None


@dataclass(frozen=True)
class AuditFilter:
    moderator: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None


@dataclass(frozen=True)
class AuditRow:
    decision: Decision
    article_title: str | None
    pledge_title: str | None
    politician: str | None
    relinked_title: str | None
    undone_by: str | None


def audit_log(con: duckdb.DuckDBPyConnection, f: AuditFilter, limit: int = 200, offset: int = 0) -> list[AuditRow]:
    """Every decision, newest first, with what it was about and whether it was undone."""
    clauses = ["true"]
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if f.moderator:
        clauses.append("d.moderator = $moderator")
        params["moderator"] = f.moderator
    if f.action:
        clauses.append("d.action = $action")
        params["action"] = f.action
    dates, bounds = date_range("d.decided_at", f.since, f.until, "decided")
    clauses += dates
    params.update(bounds)
    if f.text:
        clauses.append("strpos(lower(concat_ws(' ', a.title, p.title, d.note, d.article_id, d.pledge_id)), $text) > 0")
        params["text"] = fold(f.text)
    rows = con.execute(
        f"SELECT {', '.join('d.' + c.strip() for c in _DECISION_COLUMNS.split(','))}, "
        "a.title, p.title, pol.name, r.title, "
        "(SELECT u.moderator FROM decisions u WHERE u.action = 'undo' AND u.undoes = d.id ORDER BY u.id LIMIT 1) "
        "FROM decisions d LEFT JOIN articles a ON a.id = d.article_id LEFT JOIN pledges p ON p.id = d.pledge_id "
        "LEFT JOIN politicians pol ON pol.id = p.politician_id LEFT JOIN pledges r ON r.id = d.relinked_to "
        f"WHERE {' AND '.join(clauses)} ORDER BY d.id DESC LIMIT $limit OFFSET $offset",
        params,
    ).fetchall()
    width = len(_DECISION_COLUMNS.split(","))
    return [AuditRow(Decision(*row[:width]), *row[width:]) for row in rows]


def decision_moderators(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [n for (n,) in con.execute("SELECT DISTINCT moderator FROM decisions ORDER BY moderator").fetchall()]
