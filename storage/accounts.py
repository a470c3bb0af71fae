"""Moderator accounts, their sessions and login throttling (DESIGN §4).

Every function takes an open connection so the caller chooses the transaction.
Accounts are never deleted: decisions name them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb

from pledgewatch.errors import PledgewatchError
from storage.db import first_row


class AccountError(PledgewatchError, ValueError):
    """An account operation that cannot be done as asked (unknown or duplicate name)."""


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
    return int(first_row(con.execute("SELECT count(*) FROM moderators WHERE disabled_at IS NULL"))[0])


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
    by_name, by_client, known = first_row(con.execute(
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
    ))
    if by_name >= max_for_name or (by_client >= max_for_client and not known):
        return None
    return first_row(con.execute("INSERT INTO login_attempts VALUES (?, ?, now(), false) RETURNING attempted_at",
                                 [name, client]))[0]


def login_succeeded(con: duckdb.DuckDBPyConnection, name: str, client: str | None, attempted_at: datetime) -> None:
    con.execute("UPDATE login_attempts SET succeeded = true WHERE name = ? AND client IS NOT DISTINCT FROM ? "
                "AND attempted_at = ?", [name, client, attempted_at])
