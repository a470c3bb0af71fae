"""The nightly flow: sources → fetch → extract → dedupe → tokenize → score → store.

Thin orchestration only: each task wraps a step from `pipeline.steps`. Tasks are
per stage or per batch of articles, never per article (a Prefect task costs
6-65 ms). Big inputs are passed with `quote` so Prefect does not walk them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from pipeline import steps
from storage.db import db_path, transaction
from storage.runs import finish_run, start_run


@dataclass
class RunSummary:
    run_id: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    model_version: str | None = None


prepare = task(steps.prepare, name="prepare", cache_policy=NO_CACHE)
fetch_and_extract = task(steps.fetch_and_extract, name="fetch-and-extract", cache_policy=NO_CACHE,
                         retries=1, retry_delay_seconds=30)
store_crawl = task(steps.store_crawl, name="store-crawl", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
load_scorer = task(steps.load_scorer, name="load-scorer", cache_policy=NO_CACHE)
pending_documents = task(steps.pending_documents, name="pending-articles", cache_policy=NO_CACHE)
tokenize = task(steps.tokenize, name="tokenize-batch", cache_policy=NO_CACHE)
score = task(steps.score, name="score-batch", cache_policy=NO_CACHE)
store_candidates = task(steps.store_candidates, name="store-candidates", cache_policy=NO_CACHE,
                        retries=2, retry_delay_seconds=5)


@flow(name="pledgewatch-nightly")
def nightly(
    sources_file: str = "data/sources.toml",
    catalog_file: str = "data/pledges.toml",
    db: str | None = None,
    models_dir: str = "models",
    base_url: str | None = None,
    allow_local: bool = False,
    refetch: bool = False,
    min_gap_s: float | None = None,
) -> RunSummary:
    logger = get_run_logger()
    database = db_path(db)
    run_id = uuid.uuid4().hex[:12]
    sources = load_sources(sources_file, base_url)
    catalog, state = prepare(database, catalog_file, quote(sources))
    with transaction(database) as con:
        start_run(con, run_id, "nightly", str(flow_run.get_id() or ""))
    summary = RunSummary(run_id=run_id, status="running")
    try:
        policy = CrawlPolicy(allow_local=allow_local)
        if min_gap_s is not None:
            policy = CrawlPolicy(allow_local=allow_local, min_gap_s=min_gap_s)
        output = fetch_and_extract(quote(sources), policy, quote(state), run_id, refetch)
        stored = store_crawl(database, quote(output))
        stage = steps.crawl_counts(output, stored)
        logger.info("crawl: %s", dict(stage.counts))

        scorer = load_scorer(database, quote(catalog), Path(models_dir))
        summary.model_version = scorer.model_version
        documents = pending_documents(database, scorer.model_version)
        for batch in steps.batches(documents):
            analyzed = tokenize(quote(batch))
            stage.counts["tokenized"] += len(analyzed)
            candidates = score(quote(scorer), quote(analyzed))
            stage.counts["scored"] += len(batch)
            stage.counts["candidates"] += store_candidates(
                database, quote(candidates), [d.id for d in batch], scorer.model_version, run_id)
        summary.counts, summary.errors = stage.as_dicts()
        summary.status = "completed"
        with transaction(database) as con:
            finish_run(con, run_id, "completed", summary.counts, summary.errors)
        return summary
    except BaseException as exc:
        with transaction(database) as con:
            finish_run(con, run_id, "failed", summary.counts, summary.errors, message=f"{type(exc).__name__}: {exc}")
        raise
