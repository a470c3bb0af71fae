"""Moderation in DuckDB: accounts and logins, the review queue, and the
append-only decision log (DESIGN §4).

Every function takes an open connection so the caller chooses the transaction:
a decision's check ("is this link still in the state the moderator saw?") and
its write happen in one, which is what keeps two moderators from overwriting
each other. Nothing here deletes or updates a decision; undo appends a row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import duckdb

JST = ZoneInfo("Asia/Tokyo")
EFFECTIVE = ("approve", "reject", "relink")
ACTIONS = (*EFFECTIVE, "skip")
SORTS = ("score", "uncertain")
NOTE_MAX = 2000


class AccountError(ValueError):
    """An account operation that cannot be done as asked (unknown or duplicate name)."""


# ── accounts ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Moderator:
    name: str
    is_admin: bool
    created_at: datetime
    disabled_at: datetime | None
    password_hash: str = field(repr=False)

    @property
    def active(self) -> bool:
        return self.disabled_at is None


_MODERATOR_COLUMNS = "name, is_admin, created_at, disabled_at, password_hash"
_NAME = re.compile(r"^[\w.@-]{1,64}$")


def valid_name(name: str) -> str | None:
    """The account name as stored (NFKC, trimmed), or None if it has characters
    that would be confusing in logs and URLs: letters, digits, . _ - @ only."""
    name = unicodedata.normalize("NFKC", name).strip()
    return name if _NAME.match(name) else None


def add_moderator(con: duckdb.DuckDBPyConnection, name: str, password_hash: str, *, is_admin: bool = False,
                  created_by: str | None = None) -> Moderator:
    if get_moderator(con, name) is not None:
        raise AccountError(f"a moderator named {name!r} already exists")
    con.execute(
        "INSERT INTO moderators (name, password_hash, is_admin, created_at, created_by, password_changed_at) "
        "VALUES (?, ?, ?, now(), ?, now())",
        [name, password_hash, is_admin, created_by],
    )
    added = get_moderator(con, name)
    assert added is not None
    return added


def get_moderator(con: duckdb.DuckDBPyConnection, name: str) -> Moderator | None:
    row = con.execute(f"SELECT {_MODERATOR_COLUMNS} FROM moderators WHERE name = ?", [name]).fetchone()
    return Moderator(*row) if row else None


def list_moderators(con: duckdb.DuckDBPyConnection) -> list[Moderator]:
    rows = con.execute(f"SELECT {_MODERATOR_COLUMNS} FROM moderators ORDER BY name").fetchall()
    return [Moderator(*row) for row in rows]


def count_moderators(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM moderators WHERE disabled_at IS NULL").fetchone()[0])


def set_password_hash(con: duckdb.DuckDBPyConnection, name: str, password_hash: str) -> None:
    """A new password also ends every open session of the account."""
    _require(con, name)
    con.execute("UPDATE moderators SET password_hash = ?, password_changed_at = now() WHERE name = ?",
                [password_hash, name])
    revoke_sessions_of(con, name)


def set_disabled(con: duckdb.DuckDBPyConnection, name: str, disabled: bool) -> None:
    """Disabling keeps the account (decisions name it) and ends its sessions at once."""
    _require(con, name)
    con.execute("UPDATE moderators SET disabled_at = CASE WHEN ? THEN coalesce(disabled_at, now()) END "
                "WHERE name = ?", [disabled, name])
    if disabled:
        revoke_sessions_of(con, name)


def _require(con: duckdb.DuckDBPyConnection, name: str) -> None:
    if get_moderator(con, name) is None:
        raise AccountError(f"no moderator named {name!r}")


# ── sessions and login throttling ───────────────────────────────────────────


def create_session(con: duckdb.DuckDBPyConnection, token_hash: str, moderator: str, lifetime: timedelta) -> None:
    con.execute(
        "INSERT INTO sessions (token_hash, moderator, created_at, expires_at) VALUES (?, ?, now(), now() + ?)",
        [token_hash, moderator, lifetime],
    )


def session_moderator(con: duckdb.DuckDBPyConnection, token_hash: str) -> Moderator | None:
    """The account behind a live session: not revoked, not expired, not disabled."""
    row = con.execute(
        f"SELECT {', '.join('m.' + c.strip() for c in _MODERATOR_COLUMNS.split(','))} "
        "FROM sessions s JOIN moderators m ON m.name = s.moderator "
        "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > now() AND m.disabled_at IS NULL",
        [token_hash],
    ).fetchone()
    return Moderator(*row) if row else None


def revoke_session(con: duckdb.DuckDBPyConnection, token_hash: str) -> None:
    con.execute("UPDATE sessions SET revoked_at = now() WHERE token_hash = ? AND revoked_at IS NULL", [token_hash])


def revoke_sessions_of(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute("UPDATE sessions SET revoked_at = now() WHERE moderator = ? AND revoked_at IS NULL", [name])


def claim_login_attempt(con: duckdb.DuckDBPyConnection, name: str, client: str | None, *, window: timedelta,
                        max_for_name: int, max_for_client: int, known_for: timedelta) -> datetime | None:
    """Counts recent failures and, unless over a limit, records this attempt as
    failed, all in the caller's one write, before the password is checked:
    concurrent guesses are serialised here, so each sees the ones before it.
    Returns the attempt's time (its key for `login_succeeded`), or None when
    throttled. The address limit spares a name that signed in from the same
    address within `known_for`: colleagues behind one address are not locked
    out by someone guessing other names there, and each name keeps its own limit."""
    by_name, by_client, known = con.execute(
        "SELECT "
        "  count(*) FILTER (WHERE NOT succeeded AND attempted_at > now() - $window AND name = $name "
        "    AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts "
        "                                 WHERE name = $name AND succeeded), '-infinity')), "
        "  count(*) FILTER (WHERE NOT succeeded AND attempted_at > now() - $window "
        "    AND client IS NOT DISTINCT FROM $client), "
        "  count(*) FILTER (WHERE succeeded AND name = $name AND client IS NOT DISTINCT FROM $client "
        "    AND attempted_at > now() - $known) > 0 "
        "FROM login_attempts",
        {"name": name, "client": client, "window": window, "known": known_for},
    ).fetchone()
    if by_name >= max_for_name or (by_client >= max_for_client and not known):
        return None
    return con.execute("INSERT INTO login_attempts VALUES (?, ?, now(), false) RETURNING attempted_at",
                       [name, client]).fetchone()[0]


def login_succeeded(con: duckdb.DuckDBPyConnection, name: str, client: str | None, attempted_at: datetime) -> None:
    con.execute("UPDATE login_attempts SET succeeded = true WHERE name = ? AND client IS NOT DISTINCT FROM ? "
                "AND attempted_at = ?", [name, client, attempted_at])


# ── the queue ───────────────────────────────────────────────────────────────


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
           SELECT 1 FROM decisions d
           WHERE d.article_id = q.article_id AND d.pledge_id = q.pledge_id AND d.action = 'skip'
             AND d.moderator = $moderator
             AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.action = 'undo' AND u.undoes = d.id)
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
    if f.published_from:
        clauses.append("published >= $published_from")
        params["published_from"] = datetime.combine(f.published_from, time(), JST)
    if f.published_to:
        clauses.append("published < $published_to")
        params["published_to"] = datetime.combine(f.published_to + timedelta(days=1), time(), JST)
    return " AND ".join(clauses), params


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
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where} AND {visible}), count(*) FILTER (WHERE {where} AND skipped) "
        f"FROM ({_QUEUE})",
        {**params, "moderator": moderator},
    ).fetchone()
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
    words = _fold(query).split()[:8]
    rows = con.execute(
        "SELECT p.id, p.title, p.politician_id, pol.name, "
        "concat_ws(' ', p.title, p.description, array_to_string(p.keywords, ' '), pol.name, pol.reading, "
        "p.politician_id), p.politician_id = (SELECT politician_id FROM pledges WHERE id = $near) "
        "FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id "
        "WHERE p.id <> $near ORDER BY 6 DESC NULLS LAST, coalesce(pol.reading, pol.name), p.id",
        {"near": near or ""},
    ).fetchall()
    found = [PledgeChoice(*row[:4]) for row in rows if all(w in _fold(row[4]) for w in words)]
    return found[:limit]


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


# ── decisions ───────────────────────────────────────────────────────────────


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
    columns = list(values)
    row = con.execute(
        f"INSERT INTO decisions ({', '.join(columns)}, decided_at) VALUES ({', '.join('?' for _ in columns)}, now()) "
        f"RETURNING {_DECISION_COLUMNS}",
        list(values.values()),
    ).fetchone()
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
        overrides=current.decision_id if others else None, **(stage_columns or {}),
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
        f"SELECT {_DECISION_COLUMNS} FROM decisions d WHERE moderator = ? AND action <> 'undo' "
        "AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.action = 'undo' AND u.undoes = d.id) "
        "ORDER BY id DESC LIMIT 1", [moderator],
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


# ── audit log ───────────────────────────────────────────────────────────────


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
    if f.since:
        clauses.append("d.decided_at >= $since")
        params["since"] = datetime.combine(f.since, time(), JST)
    if f.until:
        clauses.append("d.decided_at < $until")
        params["until"] = datetime.combine(f.until + timedelta(days=1), time(), JST)
    if f.text:
        clauses.append("strpos(lower(concat_ws(' ', a.title, p.title, d.note, d.article_id, d.pledge_id)), $text) > 0")
        params["text"] = _fold(f.text)
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


# ── pledge pages, progress, export ──────────────────────────────────────────


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
    pending, rejected = con.execute(
        "SELECT (SELECT count(*) FROM v_review_queue WHERE pledge_id = $p), "
        "(SELECT count(*) FROM v_link_state WHERE pledge_id = $p AND action = 'reject')", {"p": pledge_id},
    ).fetchone()
    return PledgeDetail(*row, activities=activities, pending=int(pending), rejected=int(rejected))


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
        pend AS (SELECT pledge_id, count(*) AS n FROM v_review_queue GROUP BY ALL),
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

