"""review_queue (migration 011) holds exactly what v_review_queue says is
pending, with each pair's skips, after every kind of write; and an old
database gets it filled when it upgrades."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from catalog.load import load_catalog
from catalog.model import Catalog
from storage import decisions as decision_store
from storage.candidates import save_candidates
from storage.catalog import import_catalog, save_catalog
from storage.db import migrate, reader, transaction

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "data" / "pledges.toml")
PLEDGES = [p.id for p in CATALOG.pledges]

_VIEW = ("SELECT q.*, coalesce((SELECT list(DISTINCT d.moderator ORDER BY d.moderator) FROM v_decisions_in_force d "
         "WHERE d.article_id = q.article_id AND d.pledge_id = q.pledge_id AND d.action = 'skip'), []::VARCHAR[]) "
         "FROM v_review_queue q ORDER BY q.article_id, q.pledge_id")
_TABLE = ("SELECT article_id, pledge_id, model_version, score, evidence, created_at, article_title, outlet, published, "
          "url, lead, pledge_title, politician_id, politician, skipped_by FROM review_queue ORDER BY article_id, "
          "pledge_id")


@dataclasses.dataclass(frozen=True)
class Suggestion:
    article_id: str
    pledge_id: str
    score: float
    evidence: dict = dataclasses.field(default_factory=dict)


def _article(n: int, dup_of: str | None = None) -> tuple:
    return (f"a{n}", f"https://news.example.jp/{n}", "日本経済新聞" if n % 2 else "東京新聞", f"記事{n}",
            f"本文{n}", f"リード{n}", datetime(2026, 1, 1 + n, tzinfo=UTC), f"hash{n}", dup_of)


def _add_articles(con, numbers, dup_of=None):
    for n in numbers:
        con.execute("INSERT INTO articles (id, url, outlet, title, body, lead, published, content_hash, dup_of, "
                    "fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())", list(_article(n, dup_of)))


def _same(db: Path) -> list[tuple]:
    with reader(db) as con:
        view, table = con.execute(_VIEW).fetchall(), con.execute(_TABLE).fetchall()
    assert table == view
    return table


def _score(con, articles, model, base):
    suggestions = [Suggestion(f"a{n}", PLEDGES[(n + k) % len(PLEDGES)], round(base + 0.01 * n + 0.1 * k, 3),
                              {"terms": [model]})
                   for n in articles for k in range(3)]
    save_candidates(con, suggestions, [f"a{n}" for n in articles], model, "run")


def test_every_write_keeps_the_table_equal_to_the_view(tmp_path):
    db = tmp_path / "pw.duckdb"
    migrate(db)
    with transaction(db) as con:
        save_catalog(con, CATALOG)
        _add_articles(con, range(8))
        _add_articles(con, [8], dup_of="a0")
        _score(con, range(9), "m1", 0.2)
    rows = _same(db)
    assert len(rows) == 8 * 3  # the duplicate's candidates never show

    with transaction(db) as con:
        _score(con, [1, 2], "m2", 0.5)  # a newer model's scores replace the older ones
    assert {r[2] for r in _same(db) if r[0] in ("a1", "a2")} == {"m2"}

    first, second, third, fourth = ((f"a{n}", PLEDGES[n % len(PLEDGES)]) for n in (3, 4, 5, 6))
    with transaction(db) as con:
        approved = decision_store.decide(con, "hanako", *first, "approve").decision
        decision_store.decide(con, "taro", *second, "relink", relinked_to=PLEDGES[-1])
        decision_store.decide(con, "hanako", *third, "skip")
        decision_store.decide(con, "taro", *third, "skip")
        decision_store.decide(con, "taro", *fourth, "reject")
    rows = _same(db)
    keys = {(r[0], r[1]) for r in rows}
    assert first not in keys and second not in keys and fourth not in keys
    assert next(r[-1] for r in rows if (r[0], r[1]) == third) == ["hanako", "taro"]

    with transaction(db) as con:
        decision_store.undo(con, "taro")  # taro's reject: the pair is pending again
        decision_store.undo(con, "hanako", decision_id=approved.id)
        skip = decision_store.last_undoable(con, "hanako")
        decision_store.undo(con, "hanako", decision_id=skip.id)
        seen = decision_store.link_state(con, *second)
        decision_store.decide(con, "hanako", *second, "approve", seen=seen.decision_id, override=True)
    rows = _same(db)
    keys = {(r[0], r[1]) for r in rows}
    assert first in keys and fourth in keys and second not in keys
    assert next(r[-1] for r in rows if (r[0], r[1]) == third) == ["taro"]

    renamed = Catalog(
        politicians=tuple(dataclasses.replace(p, name=p.name + "（改名）") for p in CATALOG.politicians),
        pledges=tuple(dataclasses.replace(p, title=p.title + "（改題）") for p in CATALOG.pledges[:-5]),
    )
    with transaction(db) as con:
        import_catalog(con, renamed)  # renames everything and retires five pledges
    rows = _same(db)
    assert all(r[13].endswith("（改名）") for r in rows)
    assert any(r[11].endswith("（改題）") for r in rows)


def test_an_old_database_gets_its_queue_table_filled_by_the_migration(tmp_path):
    db = tmp_path / "pw.duckdb"
    migrate(db)
    with transaction(db) as con:
        save_catalog(con, CATALOG)
        _add_articles(con, range(5))
        _score(con, range(5), "m1", 0.3)
        decision_store.decide(con, "hanako", "a1", PLEDGES[1], "approve")
        decision_store.decide(con, "taro", "a2", PLEDGES[2], "skip")
        # as a database before 011 was: no table, no record of the migration
        con.execute("DROP TABLE review_queue")
        con.execute("DELETE FROM schema_migrations WHERE version = 11")
    assert migrate(db) == ["011_review_queue_table.sql"]
    rows = _same(db)
    assert len(rows) == 5 * 3 - 1
    assert [r[-1] for r in rows if r[0] == "a2" and r[1] == PLEDGES[2]] == [["taro"]]
