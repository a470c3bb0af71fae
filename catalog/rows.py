"""Catalogs as pledge sites keep them: one row a pledge, in CSV, JSONL or TOML.

A site that adopts pledgewatch exports its whole catalog from a spreadsheet or
a database, not our nested TOML. Each row names the pledge and its owner (a
politician, or a party for a party pledge) and may carry one office of the
politician; a row without a pledge is a role row. A bad row is reported with
file, line and field and skipped alone: one typo among 30,000 rows must not
hold back the other 29,999. Formats: `data/catalog_import.md`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, cast

from catalog.files import json_problem, parse_toml
from catalog.load import CatalogError, catalog_from_dict
from catalog.local_offices import office_role
from catalog.model import PARTY, Catalog, Pledge, Politician, Role
from catalog.schema import CATALOG, Lines, Table, check_known

ROW_FIELDS = (
    "pledge_id", "title", "description", "keywords", "made_on", "source_url",
    "politician_id", "politician", "reading", "aliases", "party", "party_id",
    "office", "office_aliases", "organization", "region", "office_start", "office_end",
)
_LISTS = ("keywords", "aliases", "office_aliases")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SEPARATOR = re.compile(r"\s*[;|]\s*")
_EMPTY = {key: () if key in _LISTS else "" for key in ROW_FIELDS}


@dataclass
class Imported:
    """What a file gave: the valid catalog, the rows refused, and the ids of
    pledges whose rows were refused (kept as they are, never retired)."""

    catalog: Catalog
    rejected: list[CatalogError] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)


def read_catalog_file(path: Path | str) -> Imported:
    """Any catalog file by its suffix: .csv, .jsonl, or .toml (our nested
    catalog, or `[[rows]]` of the row format). File-level problems (missing,
    not UTF-8, broken syntax, unknown table or key) raise `CatalogError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return rows_to_catalog(path, _csv_rows(path))
    if suffix in (".jsonl", ".ndjson"):
        return rows_to_catalog(path, _jsonl_rows(path))
    if suffix == ".toml":
        return _toml(path)
    raise CatalogError(path, None, "file", f"unknown format {suffix or '(no suffix)'!r}: use .csv, .jsonl or .toml")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(path, None, "file", "not found") from None
    except IsADirectoryError:
        raise CatalogError(path, None, "file", "is a folder") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            # Spreadsheets on Japanese Windows save CSV as Shift_JIS (cp932);
            # strict decoding either reads it right or fails, never garbles.
            return data.decode("cp932")
        except UnicodeDecodeError:
            raise CatalogError(path, None, "file", f"neither UTF-8 nor Shift_JIS ({exc.reason})") from None


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise CatalogError(path, 1, "csv", str(exc)) from None
    unknown = [h for h in header if h not in ROW_FIELDS]
    if unknown:
        raise CatalogError(path, 1, "header", f"unknown column {unknown[0]!r}; known: {', '.join(ROW_FIELDS)}")
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CatalogError(path, reader.line_num, "csv", str(exc)) from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            yield start, {"_error": ("columns", f"{len(values)} values for {len(header)} columns")}
            continue
        yield start, {column: value for column, value in zip(header, values, strict=False) if value}


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {"_error": ("json", json_problem(exc))}
            continue
        if not isinstance(record, dict):
            yield number, {"_error": ("json", "each line must be a JSON object")}
            continue
        unknown = [k for k in record if k not in ROW_FIELDS]
        if unknown:
            yield number, {"_error": (unknown[0], f"unknown field; known: {', '.join(ROW_FIELDS)}")}
            continue
        yield number, record


_ROWS_SCHEMA = {**CATALOG, "rows": Table(frozenset(ROW_FIELDS))}


def _toml(path: Path) -> Imported:
    text = _read_text(path)
    raw = parse_toml(text, path, CatalogError)
    check_known(raw, _ROWS_SCHEMA, path, text, CatalogError)
    lines = Lines(text)
    rows = raw.pop("rows", [])
    if not isinstance(rows, list):
        raise CatalogError(path, lines.key("rows"), "rows", "must be an array of tables ([[rows]])")
    rejected: list[CatalogError] = []
    nested = catalog_from_dict(raw, path, lines, on_error=rejected.append)
    found = rows_to_catalog(path, ((lines.line("rows", i) or 0, r) for i, r in enumerate(rows)))
    owners = {p.id: p for p in nested.politicians}
    for politician in found.catalog.politicians:
        owners.setdefault(politician.id, politician)
    ids = {p.id for p in nested.pledges}
    pledges = [*nested.pledges, *(p for p in found.catalog.pledges if p.id not in ids)]
    kept = found.kept | {e.pledge_id for e in rejected if e.pledge_id}
    return Imported(Catalog(tuple(owners.values()), tuple(pledges)), [*rejected, *found.rejected], kept)


@dataclass
class _Owner:
    politician: Politician
    line: int
    roles: list[Role] = field(default_factory=list)


def rows_to_catalog(path: Path | str, rows: Iterator[tuple[int, dict[str, Any]]]) -> Imported:
    """Rows in file order; an owner's details come from its first row and
    later rows must agree with them, roles accumulate over all its rows."""
    owners: dict[str, _Owner] = {}
    pledges: dict[str, Pledge] = {}
    out = Imported(Catalog((), ()))
    for number, record in rows:
        pledge_id = _cell(record.get("pledge_id"))
        try:
            _take_row(path, number, record, owners, pledges)
        except CatalogError as exc:
            out.rejected.append(exc)
            if pledge_id and pledge_id not in pledges:
                out.kept.add(pledge_id)
    politicians = tuple(replace(o.politician, roles=tuple(dict.fromkeys(o.roles))) for o in owners.values())
    out.catalog = Catalog(politicians=politicians, pledges=tuple(pledges.values()))
    return out


def _take_row(path: Path | str, number: int, record: dict[str, Any], owners: dict[str, _Owner],
              pledges: dict[str, Pledge]) -> None:
    def fail(name: str, message: str) -> NoReturn:
        raise CatalogError(path, number, name, message)

    if "_error" in record:
        fail(*record["_error"])
    row = {key: _value(key, record.get(key), fail) if key in record else _EMPTY[key] for key in ROW_FIELDS}
    owner = _owner(row, number, fail)
    role = _role(row, fail)
    pledge = None
    if row["pledge_id"] or row["title"]:
        if not row["pledge_id"]:
            fail("pledge_id", "a pledge row needs a pledge_id")
        if not _ID.match(row["pledge_id"]):
            fail("pledge_id", f"{row['pledge_id']!r} must be lower-case letters, digits, '-', '_' or '.'")
        if not row["title"]:
            fail("title", "a pledge row needs a title")
        if row["pledge_id"] in pledges:
            fail("pledge_id", f"duplicate pledge_id {row['pledge_id']!r}")
        pledge = Pledge(id=row["pledge_id"], politician_id=owner.id, title=row["title"],
                        description=row["description"] or "", keywords=cast(tuple[str, ...], row["keywords"]),
                        made_on=_day(cast(str, row["made_on"]), "made_on", fail), source_url=row["source_url"] or None)
    elif role is None:
        fail("pledge_id", "a row needs a pledge (pledge_id, title) or an office (office)")
    if role is not None and owner.is_party:
        fail("office", "a party pledge row cannot carry an office; give the office on a politician's row")
    known = owners.get(owner.id)
    if known is None:
        known = owners[owner.id] = _Owner(owner, number)
    else:
        for attribute in ("name", "kind", "reading", "party"):
            new, old = getattr(owner, attribute), getattr(known.politician, attribute)
            if new and old and new != old:
                column = {"name": "politician", "kind": "politician"}.get(attribute, attribute)
                fail(column, f"{owner.id!r} has {attribute} {old!r} on line {known.line}, here {new!r}")
        first = known.politician
        if (owner.reading and not first.reading) or (owner.party and not first.party) or (
                set(owner.aliases) - set(first.aliases)):
            known.politician = replace(first, reading=first.reading or owner.reading, party=first.party or owner.party,
                                       aliases=tuple(dict.fromkeys((*first.aliases, *owner.aliases))))
    if role is not None:
        known.roles.append(role)
    if pledge is not None:
        pledges[pledge.id] = pledge


def _check_owner(row: dict[str, Any], name: str, what: str, fail: Callable[[str, str], NoReturn]) -> None:
    """Both `{name}_id` and `{name}` given, the id in the catalog's id alphabet."""
    id_column = f"{name}_id"
    for column in (id_column, name):
        if not row[column]:
            fail(column, f"{what} needs both {id_column} and {name} (the name)")
    if not _ID.match(row[id_column]):
        fail(id_column, f"{row[id_column]!r} must be lower-case letters, digits, '-', '_' or '.'")


def _owner(row: dict[str, Any], number: int, fail: Callable[[str, str], NoReturn]) -> Politician:
    if row["politician_id"] or row["politician"]:
        _check_owner(row, "politician", "a politician", fail)
        return Politician(id=row["politician_id"], name=row["politician"], reading=row["reading"] or None,
                          aliases=row["aliases"], party=row["party"] or None)
    if row["party_id"] or row["party"]:
        _check_owner(row, "party", "a party pledge", fail)
        return Politician(id=row["party_id"], name=row["party"], aliases=row["aliases"], kind=PARTY)
    fail("politician_id", "a row needs an owner: politician_id and politician, or party_id and party")


def _role(row: dict[str, Any], fail: Callable[[str, str], NoReturn]) -> Role | None:
    if not row["office"]:
        for column in ("organization", "region", "office_start", "office_end", "office_aliases"):
            if row[column]:
                fail(column, "given without an office")
        return None
    start, end = _day(row["office_start"], "office_start", fail), _day(row["office_end"], "office_end", fail)
    if start and end and end < start:
        fail("office_end", f"{end} is before office_start {start}")
    try:
        return office_role(row["office"], row["organization"] or None, row["region"] or None, start, end,
                           row["office_aliases"])
    except ValueError as exc:
        fail("office", str(exc))


def _cell(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _value(key: str, value: Any, fail: Callable[[str, str], NoReturn]) -> Any:
    if type(value) is str and key not in _LISTS:
        return value.strip()
    if key in _LISTS:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return tuple(v for v in _SEPARATOR.split(value.strip()) if v)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        fail(key, "must be a list of strings or one string separated by ';'")
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if key == "pledge_id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        fail(key, f"must be a string, got {value!r}")
    return value.strip()


def _day(value: str, name: str, fail: Callable[[str, str], NoReturn]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(name, f"must be a date like 2025-10-21, got {value!r}")
