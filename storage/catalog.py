"""Writing the pledge catalog into `politicians` and `pledges` (upsert by id)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from catalog.model import Catalog
from storage.batches import insert

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
    """Pledges removed from the file are kept: decisions may still point at them."""
    now = datetime.now(UTC)
    politicians = [
        {
            "id": p.id, "name": p.name, "reading": p.reading, "aliases": list(p.aliases), "party": p.party,
            "roles": json.dumps([
                {"title": r.title, "organization": r.organization, "aliases": list(r.aliases),
                 "bodies": list(r.bodies), "start": r.start and r.start.isoformat(),
                 "end": r.end and r.end.isoformat()}
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
    return (
        insert(con, "politicians", politicians, POLITICIANS, _update_all(POLITICIANS)),
        insert(con, "pledges", pledges, PLEDGES, _update_all(PLEDGES)),
    )
