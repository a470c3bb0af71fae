"""The nightly pipeline's steps as plain functions over plain data.

Prefect flows in `flows/` only wire these together (adding retries, logging and
run tracking); tests, backfills and the benchmarks call them directly. Steps that
touch the database open one short transaction each (DESIGN §2) and never hold a
connection across the network stage.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from catalog.load import load_catalog
from catalog.model import Catalog
from classifiers.documents import Document
from classifiers.scoring import Candidate, PledgeScorer
from classifiers.tokenize import get_tokenizer
from crawling.crawl import crawl
from crawling.model import CrawlOutput, CrawlState, Source
from crawling.policy import CrawlPolicy
from pipeline.dedupe import mark_duplicates
from pledgewatch import settings
from storage import candidates as candidate_store
from storage import crawl as crawl_store
from storage.catalog import save_catalog
from storage.db import migrate, transaction
from storage.training import demote_others, record_model_version

BATCH_SIZE = 500
# Articles per store transaction. Fewer, larger parts store a backfill faster
# (100,000 articles: 67 s in parts of 5,000, 56 s in parts of 10,000), but the
# file is locked for the whole transaction and the review app waits that long:
# parts of 2,000 keep each one well under the 2 s moderators can wait.
STORE_CHUNK = 2_000


def min_candidate_score() -> float:
    """Pairs below this are not worth a moderator's look; they are still marked
    as scored so they are not scored again."""
    return settings.min_score()


@dataclass
class StageCounts:
    counts: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    def as_dicts(self) -> tuple[dict[str, int], dict[str, int]]:
        return dict(self.counts), dict(self.errors)


def prepare(db: Path | str, catalog_path: Path | str | None,
            sources: Sequence[Source]) -> tuple[Catalog | None, CrawlState]:
    """Migrate, import the catalog and the source list, and load what the crawl
    must know; the catalog is validated before anything is written. A crawl
    alone (no `catalog_path`) neither needs nor imports one."""
    catalog = load_catalog(catalog_path) if catalog_path is not None else None
    migrate(db)
    with transaction(db) as con:
        if catalog is not None:
            save_catalog(con, catalog)
        crawl_store.save_sources(con, sources)
        state = crawl_store.load_crawl_state(con)
    return catalog, state


def fetch_and_extract(sources: Sequence[Source], policy: CrawlPolicy, state: CrawlState, run_id: str,
                      refetch: bool = False) -> CrawlOutput:
    """The crawl's output comes back beside the event loop's main task, not as
    its result: on the main thread `asyncio.run` ends by reading the SIGINT
    handler, a partial holding that task, and Python formats its repr() on the
    way, result included; for a whole crawl that is every article's text as one
    string (0.8 s of the 10,000-article benchmark, seen with py-spy)."""
    output: list[CrawlOutput] = []

    async def run() -> None:
        output.append(await crawl(sources, policy, state, run_id, refetch=refetch))

    asyncio.run(run())
    return output[0]


def store_crawl(db: Path | str, output: CrawlOutput, chunk: int = STORE_CHUNK) -> dict[str, int]:
    """Stores a crawl in `crawl_chunks`, one transaction each."""
    totals: Counter = Counter()
    for part in crawl_chunks(output, chunk):
        totals.update(store_chunk(db, part))
    return {"inserted": totals["inserted"], "duplicates": totals["duplicates"]}


def store_chunk(db: Path | str, part: CrawlOutput) -> dict[str, int]:
    """Duplicate detection and the insert, in one transaction."""
    with transaction(db) as con:
        marked = mark_duplicates(con, part.articles)
        return crawl_store.save_crawl(con, replace(part, articles=marked))


def crawl_chunks(output: CrawlOutput, size: int = STORE_CHUNK) -> list[CrawlOutput]:
    """A crawl cut into parts of at most `size` articles (and page fetches), so
    memory and lock time stay bounded however big the crawl (a backfill of
    100,000 pages), and a caller that drops each part once stored frees the
    crawl as it goes. Articles come in the order duplicate detection takes
    them (oldest first), so the earliest copy of a story stays the original
    across parts. Feed records (and with them the feeds' validators and the
    sources' health) come in the last part: a crash before it leaves the feeds
    unrecorded, so the next run reads them in full again and fetches whatever
    was not stored."""
    articles = sorted(output.articles, key=lambda a: (a.published is None, a.published or a.fetched_at, a.id))
    pages = [f for f in output.fetches if f.role != "feed"]
    feeds = [f for f in output.fetches if f.role == "feed"]
    count = max(1, -(-len(articles) // size), -(-len(pages) // size))
    step_articles, step_pages = -(-len(articles) // count), -(-len(pages) // count)
    parts = [CrawlOutput(fetches=pages[i * step_pages : (i + 1) * step_pages],
                         articles=articles[i * step_articles : (i + 1) * step_articles]) for i in range(count)]
    parts.append(CrawlOutput(fetches=feeds, reread_feeds=output.reread_feeds, suspended=output.suspended))
    return parts


def crawl_counts(output: CrawlOutput, stored: dict[str, int]) -> StageCounts:
    result = StageCounts()
    for fetch in output.fetches:
        result.counts[f"{fetch.role}s_{fetch.outcome}"] += 1
        if fetch.outcome == "error":
            result.errors[fetch.error_kind or "unknown"] += 1
        if fetch.outcome == "skipped":
            result.errors[f"skipped_{fetch.error_kind}"] += 1
        for kind in (fetch.retried or "").split(","):
            if kind:
                result.errors[f"retried_{kind}"] += 1
    result.counts["sources_suspended"] = len(output.suspended)
    result.counts["extracted"] = len(output.articles)
    result.counts["inserted"] = stored.get("inserted", 0)
    result.counts["duplicates"] = stored.get("duplicates", 0)
    return result


def source_health(output: CrawlOutput, states: dict[str, dict] | None = None) -> list[dict]:
    """Per source, what this run saw: how its feeds answered, pages fetched and
    failed (by kind); with `states` (storage.crawl.source_states) also failures
    in a row. Status: ok, degraded (some pages failed), failing (a feed failed)
    or suspended (left out after failing too often). Only the fetch records are
    read: a page is recorded ok only when an article was extracted from it."""
    feeds: dict[str, list[str]] = {}
    pages: dict[str, Counter] = {}
    errors: dict[str, Counter] = {}
    last_error: dict[str, str] = {}
    for fetch in output.fetches:
        if not fetch.source_id:
            continue
        if fetch.role == "feed":
            feeds.setdefault(fetch.source_id, []).append(fetch.outcome)
        else:
            pages.setdefault(fetch.source_id, Counter())[fetch.outcome] += 1
        if fetch.outcome == "error":
            errors.setdefault(fetch.source_id, Counter())[fetch.error_kind or "unknown"] += 1
            last_error[fetch.source_id] = f"{fetch.error_kind}: {fetch.error_message}"[:300]
    states = states or {}
    health = []
    for source_id in sorted(feeds.keys() | pages.keys() | set(output.suspended)):
        outcomes = feeds.get(source_id, [])
        feed = "error" if "error" in outcomes else "ok" if "ok" in outcomes else (outcomes[0] if outcomes else None)
        counted = pages.get(source_id, Counter())
        state = states.get(source_id, {})
        if source_id in output.suspended or state.get("suspended_at"):
            status = "suspended"
        elif feed == "error":
            status = "failing"
        else:
            status = "degraded" if counted["error"] else "ok"
        health.append({
            "source_id": source_id, "outlet": state.get("outlet"), "status": status, "feed": feed,
            "pages_ok": counted["ok"], "pages_known": counted["known"], "pages_failed": counted["error"],
            "pages_skipped": counted["skipped"], "articles": counted["ok"],
            "errors": dict(errors.get(source_id, {})), "last_error": last_error.get(source_id),
            "consecutive_failures": state.get("consecutive_failures", 0),
        })
    return health


def load_scorer(db: Path | str, catalog: Catalog, models_dir: Path | str) -> PledgeScorer:
    """Approved activities expand their pledge's vocabulary, so the scorer learns
    from moderators even before a supervised model is trained. The version in
    use is registered in model_versions, so every candidate's version is known."""
    with transaction(db) as con:
        approved_rows = candidate_store.approved_articles(con)
    approved: dict[str, list] = {}
    if approved_rows:
        tokenizer = get_tokenizer()
        for row in approved_rows:
            approved.setdefault(row["pledge_id"], []).append(tokenizer.analyze(_document(row)))
    scorer = PledgeScorer.load(catalog, Path(models_dir), approved=approved or None)
    with transaction(db) as con:
        record_model_version(con, scorer.model_version, kind="cold-start" if scorer.model is None else "pairwise",
                             promoted=True)
        demote_others(con, scorer.model_version)
    return scorer


def pending_ids(db: Path | str, model_version: str) -> list[str]:
    with transaction(db) as con:
        return candidate_store.unscored_ids(con, model_version)


def load_documents(db: Path | str, ids: Sequence[str]) -> list[Document]:
    """Scoring reads articles a part at a time, so a backfill does not hold
    every article's text through the whole stage."""
    with transaction(db) as con:
        return [_document(row) for row in candidate_store.articles_by_id(con, ids)]


def pending_documents(db: Path | str, model_version: str) -> list[Document]:
    return load_documents(db, pending_ids(db, model_version))


def tokenize(documents: Sequence[Document]) -> list:
    tokenizer = get_tokenizer()
    return [tokenizer.analyze(doc) for doc in documents]


def score(scorer: PledgeScorer, analyzed: Sequence) -> list[Candidate]:
    threshold = min_candidate_score()
    return scorer.score(analyzed, min_score=threshold)


def store_candidates(db: Path | str, candidates: Sequence[Candidate], article_ids: Sequence[str],
                     model_version: str, run_id: str) -> int:
    with transaction(db) as con:
        return candidate_store.save_candidates(con, candidates, article_ids, model_version, run_id)


def batches(items: Sequence, size: int = BATCH_SIZE) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _document(row: dict) -> Document:
    return Document(id=row["id"], title=row["title"], body=row["body"], published=row.get("published"),
                    url=row.get("url"), outlet=row.get("outlet"))
