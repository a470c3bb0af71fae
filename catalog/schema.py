"""The tables and keys the hand-edited TOML files may hold, and the check that
turns anything else into an error with file, line and the nearest known name.

tomllib accepts any key, so a typo such as `keywrods` or `[[politician]]` used
to be dropped without a word (a catalog of 0 pledges imported with status 0).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Table:
    keys: frozenset[str]
    tables: Mapping[str, Table] = field(default_factory=dict)  # nested arrays of tables, by key
    array: bool = True  # [[name]] rather than [name]


CATALOG: dict[str, Table] = {
    "politicians": Table(frozenset({"id", "name", "reading", "aliases", "party"}), {
        "roles": Table(frozenset({"title", "aliases", "organization", "region", "bodies", "start", "end"})),
    }),
    "parties": Table(frozenset({"id", "name", "aliases"})),
    "pledges": Table(frozenset({"id", "politician", "party", "title", "description", "keywords", "made_on",
                                "source_url"})),
}

_SOURCE_KEYS = frozenset({"outlet", "kind", "url", "min_gap_s", "max_items", "enabled", "local", "aliases",
                          "region"})
SOURCES: dict[str, Table] = {
    "defaults": Table(_SOURCE_KEYS, array=False),
    "sources": Table(_SOURCE_KEYS | {"id"}),
}

def check_known(raw: dict[str, Any], schema: Mapping[str, Table], path: Path | str, text: str,
                error: Callable[[Path | str, int | None, str, str], Exception]) -> None:
    """Raises `error(path, line, field, message)` for the first unknown table or key."""
    lines = Lines(text)
    for name, value in raw.items():
        table = schema.get(name)
        if table is None:
            shape = "[[{}]]" if isinstance(value, list) else "[{}]" if isinstance(value, dict) else "{}"
            raise error(path, lines.header(name) or lines.key(name), name,
                        f"unknown table {shape.format(name)}{_nearest(name, schema, shape)}")
    counters: dict[str, int] = {}
    for name, table in schema.items():
        if name in raw:
            entries = raw[name] if isinstance(raw[name], list) else [raw[name]]
            for entry in entries:
                _check_entry(entry, name, table, counters, lines, path, error)


def _check_entry(entry: Any, name: str, table: Table, counters: dict[str, int], lines: Lines, path: Path | str,
                 error: Callable[[Path | str, int | None, str, str], Exception]) -> None:
    if not isinstance(entry, dict):
        return  # the loader reports a table of the wrong shape
    index = counters.get(name, 0)
    counters[name] = index + 1
    label = f"{name}[{index}]" if table.array else name
    for key, value in entry.items():
        nested = table.tables.get(key)
        if nested is not None:
            for item in value if isinstance(value, list) else [value]:
                _check_entry(item, f"{name}.{key}", nested, counters, lines, path, error)
            continue
        if key not in table.keys:
            line = lines.header(f"{name}.{key}", index) or lines.key(key, name, index if table.array else 0)
            raise error(path, line, f"{label}.{key}",
                        "unknown key" + _nearest(key, table.keys | set(table.tables), "'{}'"))


def _nearest(name: str, known: Any, shape: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {shape.format(close[0])}?"
    return f"; known: {', '.join(shape.format(k) for k in sorted(known))}"


class Lines:
    """Line numbers of headers and keys, found by scanning the text: tomllib
    reports positions only for syntax errors."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            match = re.match(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?", line)
            if match:
                self.headers.setdefault(match.group(1), []).append(number)

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        """The line of entry `index` of [[table]], or of `key` inside it (the
        entry's header when the key is not written out)."""
        found = self.headers.get(table, [])
        if index >= len(found):
            return None
        return found[index] if key is None else self.key(key, table, index)

    def header(self, name: str, index: int = 0) -> int | None:
        found = self.headers.get(name, [])
        return found[min(index, len(found) - 1)] if found else None

    def key(self, key: str, table: str | None = None, index: int = 0) -> int | None:
        start = 0
        if table is not None:
            found = self.headers.get(table, [])
            if index >= len(found):
                return None
            start = found[index]
        for number in range(start + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if table is not None and re.match(r"^\s*\[", text):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", text):
                return number
        return start or None
