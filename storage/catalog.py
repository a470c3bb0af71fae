"""Writing the pledge catalog into `politicians` and `pledges` (upsert by id),
and the import that also retires pledges a new catalog no longer lists."""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from catalog.model import Catalog
from storage.batches import insert
from storage.queue_table import sync_catalog

POLITICIANS = pa.schema([
    ("id", pa.string()), ("name", pa.string()), ("reading", pa.string()), ("aliases", pa.list_(pa.string())),
    ("party", pa.string()), ("roles", pa.string()), ("updated_at", pa.timestamp("us", tz="UTC")),
    ("kind", pa.string()),
])
PLEDGES = pa.schema([
    ("id", pa.string()), ("politician_id", pa.string()), ("title", pa.string()), ("description", pa.string()),
    ("keywords", pa.list_(pa.string())), ("made_on", pa.date32()), ("source_url", pa.string()),
    ("updated_at", pa.timestamp("us", tz="UTC")),
])


def _update_all(schema: pa.Schema) -> str:
    sets = ", ".join(f"{name} = excluded.{name}" for name in schema.names if name != "id")
    return f"ON CONFLICT (id) DO UPDATE SET {sets}"


def save_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> tuple[int, int]:
    """Pledges removed from the file are kept: decisions may still point at them.
    Queue rows showing a renamed pledge or politician are refreshed."""
    now = datetime.now(UTC)
    politicians = [
        {
            "id": p.id, "name": p.name, "reading": p.reading, "aliases": list(p.aliases), "party": p.party,
            "roles": json.dumps([
                {"title": r.title, "organization": r.organization, "aliases": list(r.aliases),
                 "bodies": list(r.bodies), "start": r.start and r.start.isoformat(),
                 "end": r.end and r.end.isoformat(), **({"region": r.region} if r.region else {})}
                for r in p.roles
            ], ensure_ascii=False),
            "updated_at": now,
            "kind": p.kind,
        }
        for p in catalog.politicians
    ]
    pledges = [
        {
            "id": p.id, "politician_id": p.politician_id, "title": p.title, "description": p.description,
            "keywords": list(p.keywords), "made_on": p.made_on, "source_url": p.source_url, "updated_at": now,
        }
        for p in catalog.pledges
    ]
    written = (
        insert(con, "politicians", politicians, POLITICIANS, _update_all(POLITICIANS)),
        insert(con, "pledges", pledges, PLEDGES, _update_all(PLEDGES)),
    )
    sync_catalog(con)
    return written


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    unchanged: int
    retired: int
    rejected: int

    def line(self) -> str:
        return (f"added {self.added}, changed {self.changed}, unchanged {self.unchanged}, "
                f"retired {self.retired}, rejected {self.rejected}")


_FIELDS = "politician_id, title, coalesce(description, ''), coalesce(keywords, []), made_on, source_url"


def import_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog, kept: AbstractSet[str] = frozenset(),
                   rejected: int = 0) -> ImportSummary:
    """Upserts the catalog and retires every current pledge it does not list,
    except `kept` (pledges whose rows were rejected: a typo retires nothing).
    A retired pledge that comes back is current again and counts as changed."""
    before = {
        row[0]: (tuple(row[1:-1]), row[-1])
        for row in con.execute(f"SELECT id, {_FIELDS}, retired_at IS NOT NULL FROM pledges").fetchall()
    }
    added = changed = unchanged = 0
    for pledge in catalog.pledges:
        old = before.get(pledge.id)
        new = (pledge.politician_id, pledge.title, pledge.description, list(pledge.keywords), pledge.made_on,
               pledge.source_url)
        if old is None:
            added += 1
        elif old[1] or old[0] != new:
            changed += 1
        else:
            unchanged += 1
    save_catalog(con, catalog)
    listed = pa.table({"id": pa.array([p.id for p in catalog.pledges], pa.string())})
    kept_ids = pa.table({"id": pa.array(sorted(kept), pa.string())})
    con.register("_listed", listed)
    con.register("_kept", kept_ids)
    try:
        con.execute("UPDATE pledges SET retired_at = NULL WHERE retired_at IS NOT NULL "
                    "AND id IN (SELECT id FROM _listed)")
        retired = con.execute(
            "UPDATE pledges SET retired_at = $now WHERE retired_at IS NULL "
            "AND id NOT IN (SELECT id FROM _listed) AND id NOT IN (SELECT id FROM _kept)",
            {"now": datetime.now(UTC)},
        ).fetchall()[0][0]
    finally:
        con.unregister("_listed")
        con.unregister("_kept")
    return ImportSummary(added, changed, unchanged, int(retired), rejected)
