"""The review queue at a pledge site's size (issue 14, item 5; not a test).

Builds a DuckDB file with the synthetic catalog (catalog/synthetic.py: 5,000
politicians named from real name distributions, 10 parties, 30,000 pledges) and
100,000 pending candidates on 25,000+ articles, plus decisions of every kind
(approvals, rejections, re-links, skips by the benchmark's moderator and by
others, undone ones), stored through the same functions the nightly flow and
the review app use. Then, in one run, the review app is served over loopback
and each page is requested through HTTP, alternating between the queue read
from the maintained table `review_queue` (migration 011) and the queue read
from v_review_queue as before 011 (that SQL lives on here only, as the
'before'). Also timed: the counts, the searches the filters and the re-link
dialog use, storing a scoring batch, one decision, and the migration's fill.
The progress page (50 pledges a page, filtered by politician, party, stage or
words) is timed the same way, and v_pledge_progress, which it reads, both as
migration 012 defines it and as 009 did (that SQL is read from 009's file and
run as temporary views, as the 'before').

Usage: .venv/bin/python bench/review_queue.py [--pending 100000] [--pledges 30000] [--politicians 5000]
       [--requests 20] [--no-readme]
Rewrites the queue section of bench/README.md; the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pyarrow as pa  # noqa: E402
import uvicorn  # noqa: E402
from readme import write_section  # noqa: E402

from catalog.load import load_catalog  # noqa: E402
from catalog.synthetic import synthetic_catalog  # noqa: E402
from review import ReviewConfig, create_app  # noqa: E402
from review.app import server_config  # noqa: E402
from review.passwords import hash_password  # noqa: E402
from storage import accounts as account_store  # noqa: E402
from storage import decisions as decision_store  # noqa: E402
from storage import queue as queue_store  # noqa: E402
from storage import queue_table  # noqa: E402
from storage.batches import insert  # noqa: E402
from storage.candidates import save_candidates  # noqa: E402
from storage.catalog import save_catalog  # noqa: E402
from storage.crawl import ARTICLES  # noqa: E402
from storage.db import first_row, migrate, reader, transaction  # noqa: E402
from storage.db import migrations as all_migrations  # noqa: E402

MODERATOR = "bench"
PASSWORD = "bench queue password 14"
PER_ARTICLE = 4
OUTLETS = ("日本経済新聞", "東京新聞", "北海道新聞", "千葉日報", "神奈川新聞", "中日新聞", "西日本新聞", "琉球新報")
MODEL = "bench-model"
SECRET = b"bench-queue-secret-0123456789abcdef0123456789"

# --- the 'before': the queue as read from v_review_queue until migration 011 -------------------------------

_OLD_QUEUE = """
SELECT q.article_id, q.pledge_id, q.model_version, q.score, q.evidence, q.article_title, q.outlet, q.published,
       q.url, q.lead, q.pledge_title, q.politician_id, q.politician,
       EXISTS (
           SELECT 1 FROM v_decisions_in_force d
           WHERE d.article_id = q.article_id AND d.pledge_id = q.pledge_id AND d.action = 'skip'
             AND d.moderator = $moderator
       ) AS skipped
FROM v_review_queue q
"""


def old_queue_items(con, f, moderator, limit):
    where, params = queue_store._filter_sql(f)
    if not f.show_skipped:
        where += " AND NOT skipped"
    order = queue_store._ORDER.get(f.sort, queue_store._ORDER["score"])
    rows = con.execute(f"SELECT * FROM ({_OLD_QUEUE}) WHERE {where} ORDER BY {order} LIMIT $limit",
                       {**params, "moderator": moderator, "limit": limit}).fetchall()
    return [queue_store._item(row) for row in rows]


def old_queue_counts(con, f, moderator):
    where, params = queue_store._filter_sql(f)
    visible = "true" if f.show_skipped else "NOT skipped"
    row = first_row(con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where} AND {visible}), count(*) FILTER (WHERE {where} AND skipped) "
        f"FROM ({_OLD_QUEUE})", {**params, "moderator": moderator}))
    return queue_store.QueueCounts(int(row[0]), int(row[1]), int(row[2]))


def old_progress_views(con) -> None:
    """v_activity_stages and v_pledge_progress as migration 009 defined them,
    as temporary views on this connection (old_activity_stages, old_pledge_progress)."""
    sql = next(text for version, _, text in all_migrations() if version == 9)
    stages = sql[sql.index("CREATE VIEW v_activity_stages"):sql.index("-- How far each pledge")]
    progress = sql[sql.index("CREATE VIEW v_pledge_progress"):]
    for view in (stages, progress):
        con.execute(view.replace("CREATE VIEW v_activity_stages", "CREATE TEMP VIEW old_activity_stages")
                    .replace("CREATE VIEW v_pledge_progress", "CREATE TEMP VIEW old_pledge_progress")
                    .replace("FROM v_activity_stages", "FROM old_activity_stages"))


NEW = {"queue_items": queue_store.queue_items, "queue_counts": queue_store.queue_counts}
OLD = {"queue_items": old_queue_items, "queue_counts": old_queue_counts}


def use(path: dict[str, Callable]) -> None:
    """The routes call storage.queue's functions by attribute, so this switches the app's read path."""
    for name, function in path.items():
        setattr(queue_store, name, function)


# --- building the database ----------------------------------------------------------------------------------


def _article(n: int, rng: random.Random, start: datetime) -> dict[str, Any]:
    url = f"https://news.example.jp/bench/{n:07d}.html"
    lead = f"記事{n}の第一段落。市議会で子育て支援と防災について議論があった。"
    body = lead + "\n\n" + "市長は予算案の概要を説明した。" * 6
    return {
        "id": hashlib.sha256(url.encode()).hexdigest()[:16], "url": url, "fetched_url": url, "source_id": None,
        "outlet": OUTLETS[n % len(OUTLETS)], "title": f"ベンチマーク記事{n} 議会で公約の進み具合を議論",
        "body": body, "lead": lead, "published": start + timedelta(minutes=7 * n + rng.randint(0, 6)), "lang": "ja",
        "content_hash": hashlib.sha256(body.encode()).hexdigest(), "simhash": None, "sketch": None, "dup_of": None,
        "extractor_rule": "bench", "run_id": "bench", "fetched_at": datetime.now(UTC),
    }


class _Candidate:
    __slots__ = ("article_id", "evidence", "pledge_id", "score")

    def __init__(self, article_id: str, pledge_id: str, score: float, evidence: dict) -> None:
        self.article_id, self.pledge_id, self.score, self.evidence = article_id, pledge_id, score, evidence


DECISIONS = pa.schema([
    ("article_id", pa.string()), ("pledge_id", pa.string()), ("action", pa.string()), ("relinked_to", pa.string()),
    ("moderator", pa.string()), ("decided_at", pa.timestamp("us", tz="UTC")), ("model_version", pa.string()),
    ("score", pa.float64()), ("undoes", pa.int64()),
])


def build(db: Path, pending: int, pledges: int, politicians: int, seed: int = 14) -> dict[str, Any]:
    """Catalog, articles, decisions, then the candidates (each scoring batch
    refreshes the queue rows of its articles, decisions included)."""
    rng = random.Random(seed)
    templates = load_catalog(ROOT / "data" / "pledges.toml").pledges
    catalog = synthetic_catalog(politicians, pledges, templates, parties=10)
    migrate(db)
    started = time.perf_counter()
    with transaction(db) as con:
        save_catalog(con, catalog)
    catalog_s = time.perf_counter() - started
    pledge_ids = [p.id for p in catalog.pledges]
    decided, skipped, undone = pending // 10, pending // 40, pending // 200
    total_pairs = pending + decided
    articles = [_article(n, rng, datetime(2025, 1, 1, tzinfo=UTC)) for n in range(-(-total_pairs // PER_ARTICLE))]
    pairs = [(a["id"], pid) for a in articles for pid in rng.sample(pledge_ids, PER_ARTICLE)][:total_pairs]
    rng.shuffle(pairs)
    with transaction(db) as con:
        insert(con, "articles", articles, ARTICLES, "ON CONFLICT (id) DO NOTHING")
        account_store.add_moderator(con, MODERATOR, hash_password(PASSWORD), is_admin=False)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for i, (article_id, pledge_id) in enumerate(pairs[:decided]):
        action = ("approve", "reject", "reject", "relink")[i % 4]
        rows.append({"article_id": article_id, "pledge_id": pledge_id, "action": action,
                     "relinked_to": rng.choice(pledge_ids) if action == "relink" else None,
                     "moderator": ("hanako", "taro", MODERATOR)[i % 3], "decided_at": now, "model_version": MODEL,
                     "score": None, "undoes": None})
    for i, (article_id, pledge_id) in enumerate(pairs[decided:decided + skipped]):
        rows.append({"article_id": article_id, "pledge_id": pledge_id, "action": "skip",
                     "moderator": MODERATOR if i % 2 else "taro", "relinked_to": None, "decided_at": now,
                     "model_version": MODEL, "score": None, "undoes": None})
    with transaction(db) as con:
        insert(con, "decisions", rows, DECISIONS)
        con.execute("INSERT INTO decisions (article_id, pledge_id, action, moderator, decided_at, undoes) "
                    "SELECT article_id, pledge_id, 'undo', moderator, now(), id FROM decisions "
                    "WHERE action IN ('approve', 'reject') ORDER BY id LIMIT ?", [undone])
    by_article: dict[str, list[_Candidate]] = {}
    for article_id, pledge_id in pairs:
        score = round(rng.random(), 4)
        evidence = {"sentence": "市長は子育て支援の拡充を表明した。", "terms": ["子育て", "支援"],
                    "stage": {"stage": "表明", "direction": "前進", "stage_confidence": 0.6, "cue": "表明"}}
        by_article.setdefault(article_id, []).append(_Candidate(article_id, pledge_id, score, evidence))
    ids = list(by_article)
    store_s = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        began = time.perf_counter()
        with transaction(db) as con:
            save_candidates(con, [c for a in chunk for c in by_article[a]], chunk, MODEL, "bench")
        store_s.append(time.perf_counter() - began)
    with reader(db) as con:
        in_table = first_row(con.execute("SELECT count(*) FROM review_queue"))[0]
        in_view = first_row(con.execute("SELECT count(*) FROM v_review_queue"))[0]
        decisions = first_row(con.execute("SELECT count(*) FROM decisions"))[0]
    return {"catalog_save_s": catalog_s, "store_chunk_ms": [1000 * s for s in store_s], "pending": in_table,
            "pending_in_view": in_view, "candidates": len(pairs), "articles": len(articles), "decisions": decisions,
            "politicians": len(catalog.politicians), "pledges": len(catalog.pledges)}


# --- measuring ----------------------------------------------------------------------------------------------


class Served:
    def __init__(self, db: Path) -> None:
        self.app = create_app(ReviewConfig(db=db, secret=SECRET))
        self.server = uvicorn.Server(server_config(self.app, "127.0.0.1", 0, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def sign_in(base_url: str) -> httpx.Client:
    import re

    client = httpx.Client(base_url=base_url, timeout=120)
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"csrf_token": token, "name": MODERATOR, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return client


def timed(call: Callable[[], Any]) -> float:
    began = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - began)


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "n": len(ordered)}


def get_ok(client: httpx.Client, path: str, params: dict | None = None) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, response.status_code)


def measure(db: Path, requests: int) -> dict[str, Any]:
    with reader(db) as con:
        politician, name = con.execute(
            "SELECT politician_id, any_value(politician) FROM review_queue GROUP BY ALL ORDER BY count(*) DESC, 1 "
            "LIMIT 1").fetchone()
        same = [(con.execute(f"SELECT article_id, pledge_id FROM ({q}) ORDER BY score DESC, published DESC NULLS LAST, "
                             "article_id, pledge_id LIMIT 25").fetchall())
                for q in ("SELECT * FROM review_queue", "SELECT * FROM v_review_queue")]
        pledges = int(first_row(con.execute("SELECT count(*) FROM pledges"))[0])
    assert same[0] == same[1], "the table and the view disagree on the first page"
    pages = {"queue": ("/queue", None), "queue_politician": ("/queue", {"politician": politician}),
             "queue_uncertain": ("/queue", {"sort": "uncertain"})}
    results: dict[str, dict[str, list[float]]] = {"table": {}, "view": {}}
    with Served(db) as base_url:
        client = sign_in(base_url)
        try:
            for path in (NEW, OLD):  # one warm-up each
                use(path)
                get_ok(client, "/queue")
            for _ in range(requests):
                for path_name, path in (("table", NEW), ("view", OLD)):
                    use(path)
                    for key, (url, params) in pages.items():
                        ms = timed(lambda u=url, p=params: get_ok(client, u, p))
                        results[path_name].setdefault(key, []).append(ms)
            use(NEW)
            first_search = timed(lambda: get_ok(client, "/search/politicians", {"q": "さ"}))
            searches = {"search_politicians": ("/search/politicians", {"q": name[:1]}),
                        "search_pledges": ("/search/pledges", {"q": "子育て"}),
                        "relink_search": ("/pledges/search", {"q": "防災"})}
            search_ms: dict[str, list[float]] = {}
            for _ in range(requests):
                for key, (url, params) in searches.items():
                    search_ms.setdefault(key, []).append(timed(lambda u=url, p=params: get_ok(client, u, p)))
            found = client.get("/search/politicians", params={"q": name[:1]}).json()["matches"]
            progress = {"progress": {}, "progress_last_page": {"page": -(-pledges // 50)},
                        "progress_party": {"party": "公明党"}, "progress_stage": {"stage": "表明"},
                        "progress_words": {"q": "子育て"}, "progress_politician": {"politician": politician}}
            get_ok(client, "/progress")
            progress_ms: dict[str, list[float]] = {}
            for _ in range(requests):
                for key, params in progress.items():
                    progress_ms.setdefault(key, []).append(timed(lambda p=params: get_ok(client, "/progress", p)))
            shown = client.get("/progress", params=progress["progress_last_page"]).text.count('<td><a href="/pledges/')
        finally:
            client.close()
    def open_and_close() -> None:
        with reader(db):
            pass

    opens = [timed(open_and_close) for _ in range(requests)]
    counts: dict[str, list[float]] = {"table": [], "view": []}
    progress_view: dict[str, list[float]] = {"009": [], "012": []}
    with reader(db) as con:
        f = queue_store.QueueFilter()
        for _ in range(requests):
            counts["table"].append(timed(lambda: NEW["queue_counts"](con, f, MODERATOR)))
            counts["view"].append(timed(lambda: OLD["queue_counts"](con, f, MODERATOR)))
        old_progress_views(con)
        reads = {"009": "SELECT * FROM old_pledge_progress", "012": "SELECT * FROM v_pledge_progress"}
        same = [sorted(con.execute(sql).fetchall(), key=repr) for sql in reads.values()]
        assert same[0] == same[1], "012's v_pledge_progress differs from 009's"
        for _ in range(requests):
            for key, sql in reads.items():
                progress_view[key].append(timed(lambda q=sql: con.execute(q).fetchall()))
    return {"pages": results, "counts": counts, "searches": search_ms, "index_build_ms": first_search, "open_ms": opens,
            "politician": politician, "politician_matches": len(found), "progress": progress_ms,
            "progress_view": progress_view, "progress_last_page_rows": shown, "progress_pledges": pledges}


def write_costs(db: Path) -> dict[str, Any]:
    """One decision (and its undo) through the storage function the app calls,
    the queue refresh alone for 1,000 articles' rows (what storing a scoring
    batch adds), and the migration's fill."""
    with reader(db) as con:
        items = queue_store.queue_items(con, queue_store.QueueFilter(), MODERATOR, 20)
    decide_ms, undo_ms = [], []
    for item in items:
        with transaction(db) as con:
            decide_ms.append(timed(lambda i=item, c=con: decision_store.decide(c, MODERATOR, i.article_id, i.pledge_id,
                                                                              "approve")))
        with transaction(db) as con:
            undo_ms.append(timed(lambda c=con: decision_store.undo(c, MODERATOR)))
    refresh_ms = []
    with reader(db) as con:
        ids = [a for (a,) in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for chunk in [ids[start:start + 1000] for start in range(0, len(ids), 1000)][:5]:
        with transaction(db) as con:
            refresh_ms.append(timed(lambda c=con, k=chunk: queue_table.refresh_articles(c, k)))
    fill = next(sql for version, _, sql in all_migrations() if version == 11)
    fill = fill[fill.index("INSERT INTO review_queue"):]
    with transaction(db) as con:
        con.execute("DELETE FROM review_queue")
        fill_ms = timed(lambda: con.execute(fill))
    return {"decide_ms": decide_ms, "undo_ms": undo_ms, "refresh_ms": refresh_ms, "fill_ms": fill_ms}


def machine() -> dict[str, Any]:
    load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb

    return {"nproc": os.cpu_count(), "ram_gib": round(ram), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "uptime": load}


def section(built: dict, measured: dict, writes: dict, host: dict, load_after: str, result: dict) -> str:
    def row(label: str, table: list[float] | None, view: list[float] | None, target: str = "") -> str:
        cells = [f"{summary(v)['median_ms']:,.1f} / {summary(v)['p95_ms']:,.1f}" if v else "" for v in (view, table)]
        return f"| {label} | {cells[0]} | {cells[1]} | {target} |"

    pages, counts = measured["pages"], measured["counts"]
    lines = [
        "Produced by `.venv/bin/python bench/review_queue.py` (re-run to refresh; this section",
        "is rewritten between its markers, the rest of the file is left alone).",
        "",
        f"Machine: `nproc` {host['nproc']}, {host['ram_gib']} GiB RAM, Python {host['python']}, DuckDB "
        f"{host['duckdb']}. `uptime` when the run started: `{host['uptime']}`; when it ended: `{load_after}` "
        "(other sessions share the machine; every figure moves with them).",
        "",
        f"Data: {built['politicians']:,} owners ({built['politicians'] - 10:,} synthetic politicians from real name "
        f"distributions and 10 parties) with {built['pledges']:,} pledges (catalog/synthetic.py); "
        f"{built['articles']:,} articles with {built['candidates']:,} candidates, {built['decisions']:,} decisions "
        f"(approve, reject, re-link, skip, undo); **{built['pending']:,} pending** "
        f"(the view agrees: {built['pending_in_view']:,}).",
        "",
        f"Method: the review app served by uvicorn on loopback, one signed-in client, {result['requests']} requests "
        "per page and path, alternating between the two paths so both see the same load (one warm-up each); "
        "each request opens its own read-only DuckDB connection, as the app always does. 'view' is the queue "
        "read from v_review_queue as before migration 011; 'table' reads review_queue. Counts are the storage "
        "call alone on an open connection. The progress rows are the paged page (so 'after' only), requested "
        "the same way after the queue's; the v_pledge_progress row reads the whole view on an open connection. "
        "Figures are median / p95 in ms.",
        "",
        "| measure | view (before) | table (after) | target |",
        "|---|---|---|---|",
        row("queue page, default sort (HTTP)", pages["table"]["queue"], pages["view"]["queue"], "< 300 ms"),
        row("queue page, one politician (HTTP)", pages["table"]["queue_politician"],
            pages["view"]["queue_politician"], "< 300 ms"),
        row("queue page, uncertain first (HTTP)", pages["table"]["queue_uncertain"],
            pages["view"]["queue_uncertain"], "< 300 ms"),
        row("counts (storage call)", counts["table"], counts["view"]),
        row("opening a read-only connection, which every request does", measured["open_ms"], measured["open_ms"]),
        row("politician search, JSON (HTTP)", measured["searches"]["search_politicians"], None),
        row("pledge search, JSON (HTTP)", measured["searches"]["search_pledges"], None),
        row("re-link search, HTML (HTTP)", measured["searches"]["relink_search"], None),
        row("one decision, `decide()` incl. queue refresh", writes["decide_ms"], None),
        row("its undo, `undo()` incl. queue refresh", writes["undo_ms"], None),
        row("storing one scoring batch (1,000 articles, 4,000 candidates) incl. queue refresh",
            built["store_chunk_ms"], None),
        row("of which the queue refresh of those 1,000 articles", writes["refresh_ms"], None),
        row("progress page 1 of all pledges, 50 a page (HTTP)", measured["progress"]["progress"], None),
        row("progress, last page (HTTP)", measured["progress"]["progress_last_page"], None),
        row("progress, one party (HTTP)", measured["progress"]["progress_party"], None),
        row("progress, one furthest stage (HTTP)", measured["progress"]["progress_stage"], None),
        row("progress, words (HTTP)", measured["progress"]["progress_words"], None),
        row("progress, one politician (HTTP)", measured["progress"]["progress_politician"], None),
        row("reading v_pledge_progress whole (storage call; before: 009's definition)",
            measured["progress_view"]["012"], measured["progress_view"]["009"]),
        "",
        f"The progress page's last page shows {measured['progress_last_page_rows']} of the "
        f"{measured['progress_pledges']:,} pledges; before this page was paged it listed all of them at once "
        "(not timed here). 012's v_pledge_progress gives the same rows as 009's (checked in the run).",
        "",
        f"The search index (folded catalog texts, built on the first search after a catalog change): "
        f"{measured['index_build_ms']:,.0f} ms. Migration 011's fill of review_queue from v_review_queue: "
        f"{writes['fill_ms']:,.0f} ms. Saving the 30,000-pledge catalog into the empty database: "
        f"{built['catalog_save_s']:.1f} s.",
        "",
        "```json",
        json.dumps(result, ensure_ascii=False),
        "```",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--pledges", type=int, default=30_000)
    parser.add_argument("--politicians", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    host = machine()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "pledgewatch.duckdb"
        began = time.perf_counter()
        built = build(db, args.pending, args.pledges, args.politicians)
        print(f"built in {time.perf_counter() - began:.0f} s: {built['pending']:,} pending", file=sys.stderr)
        measured = measure(db, args.requests)
        writes = write_costs(db)
    load_after = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    pages = measured["pages"]
    result = {
        "pending": built["pending"], "pledges": built["pledges"], "requests": args.requests,
        **{f"{path}_{key}": summary(ms) for path in ("view", "table") for key, ms in pages[path].items()},
        "open_connection": summary(measured["open_ms"]),
        "view_counts": summary(measured["counts"]["view"]), "table_counts": summary(measured["counts"]["table"]),
        **{key: summary(ms) for key, ms in measured["searches"].items()},
        "decide": summary(writes["decide_ms"]), "undo": summary(writes["undo_ms"]),
        "store_1000_articles": summary(built["store_chunk_ms"]), "refresh_1000_articles": summary(writes["refresh_ms"]),
        **{key: summary(ms) for key, ms in measured["progress"].items()},
        "progress_view_009": summary(measured["progress_view"]["009"]),
        "progress_view_012": summary(measured["progress_view"]["012"]),
        "index_build_ms": round(measured["index_build_ms"], 1), "fill_ms": round(writes["fill_ms"], 1),
        "target_met": all(summary(pages["table"][k])["p95_ms"] < 300 for k in pages["table"]),
        "nproc": host["nproc"], "load_start": host["uptime"].split("load average:")[-1].strip(),
        "load_end": load_after.split("load average:")[-1].strip(),
    }
    if not args.no_readme:
        write_section("queue", "Review queue", section(built, measured, writes, host, load_after, result))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
