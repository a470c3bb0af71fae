"""The analysts' query: one SELECT over the open database and nothing else.

A read-only connection still lets DuckDB write and read other files, attach
other databases (even a hard link to this one, read-write), install extensions
over the network and change settings. So external access is switched off and
the configuration locked before the user's text runs, and only a single SELECT
statement is accepted: the lock is what stops a file being touched, the
statement check keeps the refusal message plain for everything else.
"""

from __future__ import annotations

import duckdb

from pledgewatch.errors import PledgewatchError


class QueryRefused(PledgewatchError, ValueError):
    """The query is not one a read-only analyst may run."""


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Irreversible for this connection: `lock_configuration` refuses any later
    SET, RESET or PRAGMA that would turn external access back on."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def analyst_relation(con: duckdb.DuckDBPyConnection, query: str) -> duckdb.DuckDBPyRelation:
    """Runs `query` on a locked-down connection; QueryRefused says why not."""
    lock_down(con)
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryRefused(f"query failed: {exc}") from None
    kinds = [s.type for s in statements]
    if kinds != [duckdb.StatementType.SELECT]:
        found = ", ".join(k.name for k in kinds) or "nothing"
        raise QueryRefused(f"only a single SELECT statement is allowed (read-only), got: {found}")
    try:
        return con.sql(query)
    except duckdb.PermissionException:
        raise QueryRefused("query refused: it reads files or URLs outside the database; "
                           "analysts query the tables and views (the Parquet exports open with DuckDB directly)"
                           ) from None
    except duckdb.Error as exc:
        raise QueryRefused(f"query failed: {exc}") from None
