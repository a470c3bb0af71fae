"""Turning query strings and form fields into the storage layer's filters.

Input is only ever parsed into typed values (ids, dates, a sort from a fixed
list); it reaches SQL as parameters, never as text of the query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from classifiers.stage_names import STAGES
from storage.decisions import ACTIONS, AuditFilter
from storage.pledge_pages import NO_STAGE, ProgressFilter
from storage.queue import SORTS, Choice, QueueFilter

MAX_TEXT = 200


def text(value: str | None) -> str | None:
    value = unicodedata.normalize("NFC", (value or "")).strip()
    return value[:MAX_TEXT] or None


def day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def queue_filter(params: Mapping[str, str]) -> QueueFilter:
    sort = params.get("sort") or "score"
    return QueueFilter(
        politician=text(params.get("politician")), pledge=text(params.get("pledge")),
        outlet=text(params.get("outlet")), published_from=day(params.get("from")),
        published_to=day(params.get("to")), sort=sort if sort in SORTS else "score",
        show_skipped=params.get("skipped") == "1",
    )


def queue_filter_from_view(view: str) -> QueueFilter:
    """The queue's filter as echoed back by a decision form (its query string)."""
    return queue_filter(dict(parse_qsl(view or "", keep_blank_values=False)))


def queue_query(f: QueueFilter) -> str:
    pairs = {
        "politician": f.politician, "pledge": f.pledge, "outlet": f.outlet,
        "from": f.published_from.isoformat() if f.published_from else None,
        "to": f.published_to.isoformat() if f.published_to else None,
        "sort": f.sort if f.sort != "score" else None, "skipped": "1" if f.show_skipped else None,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def with_choice(view: str, name: str, value: str) -> str:
    """The queue's query string `view` with one filter set to `value`: the links
    offered when a typed name matches several politicians or pledges."""
    pairs = [(k, v) for k, v in parse_qsl(view or "") if k != name]
    return urlencode([*pairs, (name, value)])


def typed_choice(params: Mapping[str, str], kind: str, current: Choice | None,
                 search: Callable[[str], Sequence[Any]]) -> tuple[str | None, tuple[str, list] | None]:
    """A searchable filter (_combo.html) sends text as `<kind>_q` and an id
    beside it; the id holds while the text is still the chosen one's name.
    Text sent otherwise (without JS, or typed over a choice) is searched: one
    match is the choice; several, or none, are an offer (text, matches) to show
    as links while the filter waits. Returns (id or None, offer or None)."""
    typed = text(params.get(f"{kind}_q"))
    if typed is not None and current is not None and typed == current.label:
        return current.value, None
    found = list(search(typed)) if typed else []
    offer = (typed, found) if typed and len(found) != 1 else None
    return (found[0].id if len(found) == 1 else None), offer


def progress_filter(params: Mapping[str, str]) -> ProgressFilter:
    stage = params.get("stage")
    return ProgressFilter(politician=text(params.get("politician")), party=text(params.get("party")),
                          stage=stage if stage in (*STAGES, NO_STAGE) else None, text=text(params.get("q")))


def progress_query(f: ProgressFilter) -> str:
    """The progress page's filters as a query string: what its page links and the politician offers keep."""
    pairs = {"politician": f.politician, "party": f.party, "stage": f.stage, "q": f.text}
    return urlencode({k: v for k, v in pairs.items() if v})


def queue_url(f: QueueFilter) -> str:
    query = queue_query(f)
    return f"/queue?{query}" if query else "/queue"


def audit_filter(params: Mapping[str, str]) -> AuditFilter:
    action = params.get("action")
    return AuditFilter(
        moderator=text(params.get("moderator")), action=action if action in (*ACTIONS, "undo") else None,
        since=day(params.get("since")), until=day(params.get("until")), text=text(params.get("q")),
    )


def local_path(target: str | None, default: str = "/queue") -> str:
    """Only a path on this site: `next=https://evil.example` or `//evil` goes to the queue."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default
