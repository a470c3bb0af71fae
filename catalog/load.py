"""Reading the pledge catalog (TOML) and the score contract's pledges file (JSONL).

A volunteer edits these files by hand, so every error names the file, the line
and the field: "data/pledges.toml:42: pledges[3].politician: unknown politician 'x'".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from catalog.files import InputFileError, parse_toml, read_jsonl
from catalog.model import PARTY, Catalog, Pledge, Politician, Role
from catalog.schema import CATALOG, Lines, check_known

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class CatalogError(InputFileError):
    """A catalog file that cannot be used; the message says where and why."""

    pledge_id: str | None = None  # the pledge a rejected entry defined, where it had an id


def _text(value: Any, field: str, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(field, "must be a non-empty string")
    return value.strip()


def _texts(value: Any, field: str, fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(field, "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _day(value: Any, field: str, fail) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    fail(field, f"must be a date like 2025-10-21, got {value!r}")
    return None


def load_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(path, None, "file", "not found") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(path, None, "file", f"not UTF-8 ({exc.reason})") from None
    raw = parse_toml(text, path, CatalogError)
    check_known(raw, CATALOG, path, text, CatalogError)
    catalog = catalog_from_dict(raw, path, Lines(text))
    if raw and not catalog.pledges:
        raise CatalogError(path, None, "pledges", "no pledges in a non-empty file ([[pledges]] tables)")
    return catalog


def catalog_from_dict(raw: dict[str, Any], path: Path | str, locator: Lines | None = None,
                      on_error: Callable[[CatalogError], None] | None = None) -> Catalog:
    """With `on_error`, a bad entry is reported to it and skipped alone (a
    pledge of a skipped politician is then an unknown politician's); without,
    the first one is raised."""
    locate = locator or Lines("")

    def guarded(key: str, entry: dict[str, Any], build: Callable[[], Any]) -> Any:
        try:
            return build()
        except CatalogError as exc:
            if on_error is None:
                raise
            if key == "pledges" and isinstance(entry.get("id"), str):
                exc.pledge_id = entry["id"].strip()
            on_error(exc)
            return None

    def failer(table: str, index: int):
        def fail(field: str, message: str) -> None:
            key = field.rsplit(".", 1)[-1]
            raise CatalogError(path, locate.line(table, index, key), f"{table}[{index}].{field}", message)

        return fail

    def politician(i: int, entry: dict[str, Any], first_role: int) -> Politician:
        fail = failer("politicians", i)
        pid = _text(entry.get("id"), "id", fail)
        if not _ID.match(pid):
            fail("id", f"{pid!r} must be lower-case letters, digits, '-', '_' or '.'")
        roles = []
        for offset, r in enumerate(_tables(entry, "roles", path)):
            rfail = failer("politicians.roles", first_role + offset)
            start, end = _day(r.get("start"), "start", rfail), _day(r.get("end"), "end", rfail)
            if start and end and end < start:
                rfail("end", f"{end} is before start {start}")
            roles.append(
                Role(
                    title=_text(r.get("title"), "title", rfail),
                    organization=r.get("organization"),
                    region=r.get("region"),
                    start=start,
                    end=end,
                    bodies=_texts(r.get("bodies"), "bodies", rfail),
                    aliases=_texts(r.get("aliases"), "aliases", rfail),
                )
            )
        return Politician(
            id=pid,
            name=_text(entry.get("name"), "name", fail),
            reading=entry.get("reading"),
            aliases=_texts(entry.get("aliases"), "aliases", fail),
            party=entry.get("party"),
            roles=tuple(roles),
        )

    def party(i: int, entry: dict[str, Any]) -> Politician:
        fail = failer("parties", i)
        party_id = _text(entry.get("id"), "id", fail)
        if not _ID.match(party_id):
            fail("id", f"{party_id!r} must be lower-case letters, digits, '-', '_' or '.'")
        return Politician(
            id=party_id,
            name=_text(entry.get("name"), "name", fail),
            aliases=_texts(entry.get("aliases"), "aliases", fail),
            kind=PARTY,
        )

    politicians: list[Politician] = []
    role_index = 0
    for i, entry in enumerate(_tables(raw, "politicians", path)):
        first_role = role_index
        role_index += len(entry.get("roles", [])) if isinstance(entry.get("roles"), list) else 0
        politicians.append(guarded("politicians", entry, partial(politician, i, entry, first_role)))
    for i, entry in enumerate(_tables(raw, "parties", path)):
        politicians.append(guarded("parties", entry, partial(party, i, entry)))
    politicians = _first_of_each(politicians, "politicians", path, locate, guarded)
    known = {p.id for p in politicians if not p.is_party}
    parties = {p.id for p in politicians if p.is_party}

    def pledge(i: int, entry: dict[str, Any]) -> Pledge:
        fail = failer("pledges", i)
        pledge_id = _text(entry.get("id"), "id", fail)
        if not _ID.match(pledge_id):
            fail("id", f"{pledge_id!r} must be lower-case letters, digits, '-', '_' or '.'")
        if entry.get("politician") is None and entry.get("party") is not None:
            owner = _text(entry.get("party"), "party", fail)
            if owner not in parties:
                fail("party", f"unknown party {owner!r}")
        else:
            owner = _text(entry.get("politician"), "politician", fail)
            if owner not in known:
                fail("politician", f"unknown politician {owner!r}")
        description = entry.get("description", "")
        if not isinstance(description, str):
            fail("description", "must be a string")
        return Pledge(
            id=pledge_id,
            politician_id=owner,
            title=_text(entry.get("title"), "title", fail),
            description=description.strip(),
            keywords=_texts(entry.get("keywords"), "keywords", fail),
            made_on=_day(entry.get("made_on"), "made_on", fail),
            source_url=entry.get("source_url"),
        )

    pledges = [guarded("pledges", e, partial(pledge, i, e))
               for i, e in enumerate(_tables(raw, "pledges", path))]
    pledges = _first_of_each(pledges, "pledges", path, locate, guarded)
    return Catalog(politicians=tuple(politicians), pledges=tuple(pledges))


def _tables(raw: dict[str, Any], key: str, path: Path | str) -> list[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CatalogError(path, None, key, "must be an array of tables ([[" + key + "]])")
    return value


def _first_of_each(records: list[Any], table: str, path: Path | str, locate: Lines, guarded) -> list[Any]:
    """The records that were read (None where an entry was skipped), without a
    second entry of an id: an error, skipped alone when errors are collected."""
    seen: set[str] = set()
    out = []
    for index, record in enumerate(records):
        if record is None:
            continue

        def check(record=record, index=index) -> Any:
            if record.id in seen:
                raise CatalogError(path, locate.line(table, index, "id"), f"{table}[{index}].id",
                                   f"duplicate id {record.id!r}")
            return record

        if guarded(table, {"id": record.id}, check) is not None:
            seen.add(record.id)
            out.append(record)
    return out


def party_owner_id(party: str) -> str:
    """The owner id of a party's pledges in a pledges file, apart from any
    person's id (a person's id there is their name)."""
    return f"party:{party}"


def load_pledges_jsonl(path: Path | str, on_error: Callable[[CatalogError], None] | None = None) -> Catalog:
    """The score contract's pledges file: politicians exist only as names there,
    so each distinct name becomes a catalog politician without roles, and each
    party named without a politician becomes a party owner. With `on_error`, a
    bad line is reported to it and skipped (the other pledges still count);
    without, it is raised."""
    path = Path(path)
    owners: dict[str, Politician] = {}
    pledges: list[Pledge] = []
    seen: set[str] = set()
    for number, record in read_jsonl(path, CatalogError):
        try:
            pledge = _jsonl_pledge(path, number, record, seen, owners)
        except CatalogError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        seen.add(pledge.id)
        pledges.append(pledge)
    used = {p.politician_id for p in pledges}
    return Catalog(politicians=tuple(o for o in owners.values() if o.id in used), pledges=tuple(pledges))


def _jsonl_pledge(path: Path, number: int, record: dict[str, Any], seen: set[str],
                  owners: dict[str, Politician]) -> Pledge:
    def fail(field: str, message: str) -> None:
        raise CatalogError(path, number, field, message)

    pledge_id = record.get("id")
    if isinstance(pledge_id, int):
        pledge_id = str(pledge_id)
    pledge_id = _text(pledge_id, "id", fail)
    if pledge_id in seen:
        fail("id", f"duplicate id {pledge_id!r}")
    name, party = record.get("politician"), record.get("party")
    for field, value in (("politician", name), ("party", party)):
        if value is not None and not isinstance(value, str):
            fail(field, "must be a string")
    name, party = (name or "").strip(), (party or "").strip()
    if name:
        owner = owners.setdefault(name, Politician(id=name, name=name, party=party or None))
    elif party:
        owner_id = party_owner_id(party)
        owner = owners.setdefault(owner_id, Politician(id=owner_id, name=party, kind=PARTY))
    else:
        fail("politician", "a pledge needs a politician or, for a party pledge, a party")
    description = record.get("description") or ""
    if not isinstance(description, str):
        fail("description", "must be a string")
    title = _text(record.get("title"), "title", fail)
    return Pledge(
        id=pledge_id,
        politician_id=owner.id,
        title=title,
        description=description,
        keywords=_texts(record.get("keywords"), "keywords", fail),
    )
