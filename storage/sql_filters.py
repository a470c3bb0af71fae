"""Pieces of WHERE clauses shared by the queue and the audit log; values only
ever reach SQL as named parameters."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from pledgewatch.jst import JST


def date_range(column: str, start: date | None, end: date | None, name: str) -> tuple[list[str], dict[str, Any]]:
    """`column` within the JST days from `start` to `end`, both included (either
    may be open): moderators pick days, the column holds instants."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if start:
        clauses.append(f"{column} >= ${name}_from")
        params[f"{name}_from"] = datetime.combine(start, time(), JST)
    if end:
        clauses.append(f"{column} < ${name}_to")
        params[f"{name}_to"] = datetime.combine(end + timedelta(days=1), time(), JST)
    return clauses, params


def fold(text: str | None) -> str:
    """What matching compares: NFKC and lower case, so ＧＤＰ finds GDP."""
    return unicodedata.normalize("NFKC", text or "").lower()
