"""Search as you type over the catalog: politicians (and parties) by name,
reading, alias, party and office; pledges by title, description, keywords and
their owner. Used by the queue's filters, the re-link dialog and the progress
page's text filter.

Matching compares NFKC, lower case and hiragana for katakana, so ＧＤＰ finds
GDP and タカイチ finds たかいち; DuckDB has no NFKC, so the folded texts are
built here, once per catalog version and database file (30,000 pledges fold in
a fraction of a second), and each search is a scan of those strings.
"""

from __future__ import annotations

import heapq
import json
import re
import threading
from dataclasses import dataclass
from typing import Any

import duckdb

from storage.sql_filters import fold

LIMIT = 20
MAX_WORDS = 8
_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_KATAKANA_RUN = re.compile("[\u30a1-\u30f6]+")


def search_fold(text: str | None) -> str:
    """fold(), and katakana as hiragana: readings are written either way. Only
    the katakana runs are translated: translating whole strings took most of
    the index's build time."""
    return _KATAKANA_RUN.sub(lambda run: run.group().translate(_KATAKANA), fold(text))


@dataclass(frozen=True)
class PoliticianMatch:
    id: str
    name: str
    detail: str  # reading, party, office: tells people who share a name apart


@dataclass(frozen=True)
class PledgeMatch:
    id: str
    title: str
    politician_id: str
    politician: str | None
    retired: bool = False


@dataclass(frozen=True)
class _Entry:
    order: tuple[str, str]   # owner's reading (or name), id
    starts: tuple[str, ...]  # folded fields a match at the start ranks first on
    text: str                # every searchable field, folded


@dataclass(frozen=True)
class CatalogIndex:
    politicians: tuple[tuple[_Entry, PoliticianMatch], ...]
    pledges: tuple[tuple[_Entry, PledgeMatch], ...]


def _office(roles: Any) -> str:
    """The current (else latest) office: 「船橋市議会 市議（千葉県）」."""
    try:
        parsed = json.loads(roles) if isinstance(roles, str) else roles
    except ValueError:
        return ""
    if not isinstance(parsed, list) or not parsed:
        return ""
    listed = [r for r in parsed if isinstance(r, dict)]
    current = [r for r in listed if not r.get("end")] or listed
    if not current:
        return ""
    role = current[-1]
    where = " ".join(str(v) for v in (role.get("organization"), role.get("title")) if v)
    region = role.get("region")
    return f"{where}（{region}）" if region and region not in where else where


_POLITICIANS = ("SELECT id, name, reading, coalesce(aliases, []), party, roles, kind = 'party' FROM politicians "
                "ORDER BY id")
_PLEDGES = ("SELECT p.id, p.title, p.politician_id, pol.name, pol.reading, p.description, "
            "array_to_string(coalesce(p.keywords, []), ' '), pol.party, p.retired_at IS NOT NULL "
            "FROM pledges p LEFT JOIN politicians pol ON pol.id = p.politician_id ORDER BY p.id")


def build_index(politicians: list[tuple], pledges: list[tuple]) -> CatalogIndex:
    people = []
    for pid, name, reading, aliases, party, roles, is_party in politicians:
        detail = "・".join(v for v in (reading, "政党" if is_party else party, _office(roles)) if v)
        starts = tuple(search_fold(v) for v in (name, reading, *aliases) if v)
        text = " ".join((*starts, search_fold(f"{party or ''} {detail} {pid}")))
        people.append((_Entry((search_fold(reading or name), pid), starts, text), PoliticianMatch(pid, name, detail)))
    items = []
    for pid, title, owner, owner_name, reading, description, keywords, party, retired in pledges:
        folded_title, folded_owner, folded_reading = (search_fold(v) for v in (title, owner_name, reading))
        starts = tuple(v for v in (folded_title, folded_owner, folded_reading) if v)
        text = " ".join((*starts, search_fold(f"{description or ''} {keywords or ''} {party or ''} {owner} {pid}")))
        order = (folded_reading or folded_owner or owner, pid)
        items.append((_Entry(order, starts, text), PledgeMatch(pid, title, owner, owner_name, bool(retired))))
    return CatalogIndex(tuple(people), tuple(items))


def _words(query: str) -> list[str]:
    return search_fold(query).split()[:MAX_WORDS]


def _matching(entries: tuple[tuple[_Entry, Any], ...], words: list[str]) -> list[tuple[_Entry, Any]]:
    """The entries holding every word, narrowed word by word (the first is usually the rarest typed)."""
    found = list(entries)
    for word in words:
        found = [em for em in found if word in em[0].text]
    return found


def _rank(entry: _Entry, words: list[str]) -> int:
    """0 when a field starts with the first word typed (さとう → 佐藤さん first), else 1."""
    return 0 if not words or any(s.startswith(words[0]) for s in entry.starts) else 1


def match_politicians(index: CatalogIndex, query: str, limit: int = LIMIT) -> list[PoliticianMatch]:
    words = _words(query)
    found = _matching(index.politicians, words)
    return [m for _, m in heapq.nsmallest(limit, found, key=lambda em: (_rank(em[0], words), em[0].order))]


def match_pledges(index: CatalogIndex, query: str, *, near: str | None = None, owner: str | None = None,
                  limit: int = LIMIT) -> list[PledgeMatch]:
    """Pledges holding every word typed. `near` (the pledge being re-linked) is
    left out and its politician's other pledges come first, as do `owner`'s;
    retired pledges come last."""
    words = _words(query)
    first = owner
    if near:
        first = next((m.politician_id for _, m in index.pledges if m.id == near), first)
    found = [(e, m) for e, m in _matching(index.pledges, words) if m.id != near]
    return [m for _, m in heapq.nsmallest(
        limit, found, key=lambda em: (em[1].politician_id != first, em[1].retired, _rank(em[0], words), em[0].order))]


def pledge_ids_matching(index: CatalogIndex, query: str) -> list[str]:
    """Every pledge holding every word typed, unranked and unlimited: the
    progress page's text filter, which pages through all of them."""
    return [m.id for _, m in _matching(index.pledges, _words(query))]


_CACHE: dict[str, tuple[tuple, CatalogIndex]] = {}
_BUILDING = threading.Lock()


def _stamp(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever a catalog save or an import touches a politician or a
    pledge: every upsert sets updated_at, retiring sets retired_at."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM politicians), (SELECT max(updated_at) FROM politicians), "
        "count(*), max(updated_at), count(retired_at), max(retired_at) FROM pledges").fetchone()
    return tuple(row or ())


def catalog_index(con: duckdb.DuckDBPyConnection) -> CatalogIndex:
    """The index of this database's catalog, rebuilt only when the catalog changed."""
    database = con.execute("SELECT coalesce(path, database_name) FROM duckdb_databases() "
                           "WHERE database_name = current_database()").fetchone()
    key = str(database[0] if database else "")
    stamp = _stamp(con)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _BUILDING:
        index = build_index(con.execute(_POLITICIANS).fetchall(), con.execute(_PLEDGES).fetchall())
        _CACHE[key] = (stamp, index)
    return index
