"""The nightly flow: sources → fetch → extract → dedupe → tokenize → score → store → publish.

Thin orchestration only: each task wraps a step from `pipeline.steps`. Tasks are
per stage or per batch of articles, never per article (a Prefect task costs
6-65 ms). Big inputs are passed with `quote` so Prefect does not walk them.

Each batch is tokenized and scored by one task submitted to the flow's task
runner (threads, or Dask: `flows.runner`) a few batches ahead, so only the
small list of candidates travels back, never the tokens. Its arguments are
passed plainly, not quoted: Dask rebuilds tuple subclasses such as `quote` as
plain tuples on the way to a worker. Only the flow process writes to the
database, one batch per transaction, in order. An interrupt (Ctrl-C, SIGTERM
from the operator or from Prefect cancelling the run) lands between or inside
those transactions: a batch is committed or rolled back, never half-written,
and the next run scores what is left.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.states import State
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from classifiers.documents import Document
from classifiers.scoring import Candidate, PledgeScorer
from crawling.model import CrawlOutput
from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from flows import caching, progress
from flows.lock import RunInProgress, exclusive_run
from flows.runner import in_flight, task_runner
from pipeline import steps
from pledgewatch import settings
from storage import analytics
from storage.crawl import source_states
from storage.db import DatabaseBusyError, db_path, migrate, transaction
from storage.runs import finish_run, mark_crashed, start_run


@dataclass
class RunSummary:
    run_id: str
    status: str  # completed | failed | interrupted | skipped
    counts: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    model_version: str | None = None
    source_health: list[dict] = field(default_factory=list)
    message: str | None = None
    export: str | None = None  # the Parquet folder written after the run


# Network: a failed attempt is retried after ~30 s, then ~60 s (± half).
NETWORK_RETRIES = {"retries": 2, "retry_delay_seconds": exponential_backoff(backoff_factor=30),
                   "retry_jitter_factor": 0.5}


def _database_busy(_task: Any, _task_run: Any, state: State) -> bool:
    """Only a lock held too long by another process (the review app, an
    analyst's `pledgewatch sql`) is worth retrying; it clears within seconds.
    A broken catalog or a full disk is not."""
    return isinstance(state.result(raise_on_failure=False), DatabaseBusyError)


DATABASE_RETRIES = {"retries": 2, "retry_delay_seconds": [2, 10], "retry_jitter_factor": 0.5,
                    "retry_condition_fn": _database_busy}
INTERRUPTS = (KeyboardInterrupt, TerminationSignal)

prepare = task(steps.prepare, name="prepare", cache_policy=NO_CACHE, **DATABASE_RETRIES)
fetch_and_extract = task(steps.fetch_and_extract, name="fetch-and-extract", cache_policy=NO_CACHE, **NETWORK_RETRIES)
store_chunk = task(steps.store_chunk, name="store-crawl", cache_policy=NO_CACHE, **DATABASE_RETRIES)
load_scorer = task(steps.load_scorer, name="load-scorer", cache_policy=NO_CACHE)
pending_ids = task(steps.pending_ids, name="pending-articles", cache_policy=NO_CACHE)
tokenize = task(steps.tokenize, name="tokenize-batch", **caching.task_options())


def tokenize_and_score(scorer: PledgeScorer, documents: list[Document]) -> list[Candidate]:
    """Tokenizing runs as its own (cached) task inside this one, on the same worker."""
    return steps.score(scorer, tokenize(documents))


score_batch = task(tokenize_and_score, name="score-batch", cache_policy=NO_CACHE)
store_candidates = task(steps.store_candidates, name="store-candidates", cache_policy=NO_CACHE, **DATABASE_RETRIES)
publish_snapshot = task(analytics.publish, name="publish-snapshot", cache_policy=NO_CACHE, **DATABASE_RETRIES)


# Faults that clear by themselves: worth a whole second run, ten minutes later.
# Anything else (a broken sources file or catalog, a bug) fails the run at once:
# the same input would fail the same way after the wait.
TRANSIENT = (DatabaseBusyError, httpx.TransportError, ConnectionError, TimeoutError)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def _run_retries(retries: int | None) -> tuple[int, float]:
    """(retries, delay in seconds) for the whole run: steps are idempotent, so a
    retry only does what is left."""
    count = int(os.environ.get("PLEDGEWATCH_FLOW_RETRIES", "1")) if retries is None else retries
    return count, float(os.environ.get("PLEDGEWATCH_FLOW_RETRY_DELAY_S", "600"))


def batch_size() -> int:
    return max(1, int(os.environ.get("PLEDGEWATCH_BATCH_SIZE", str(steps.BATCH_SIZE))))


@flow(name="pledgewatch-nightly", task_runner=task_runner())
def nightly(
    sources_file: str = "data/sources.toml",
    catalog_file: str = "data/pledges.toml",
    db: str | None = None,
    models_dir: str | None = None,
    base_url: str | None = None,
    allow_local: bool = False,
    refetch: bool = False,
    min_gap_s: float | None = None,
    publish: bool = True,
    wait_s: float = 0.0,
    retries: int | None = None,
) -> RunSummary:
    """One run; if another run holds the database (`flows.lock`), waits up to
    `wait_s` and then returns status `skipped` without touching anything. A
    transient fault runs it again after a delay, up to `retries` times
    ($PLEDGEWATCH_FLOW_RETRIES, default 1); this loop replaces Prefect's flow
    retries, which would retry any failure, a typo in a file included."""
    database = db_path(db)
    left, delay = _run_retries(retries)
    while True:
        run_id = uuid.uuid4().hex[:12]
        try:
            with exclusive_run(database, run_id, wait_s):
                return _run(run_id, database, sources_file, catalog_file, models_dir, base_url, allow_local,
                            refetch, min_gap_s, publish)
        except RunInProgress as busy:
            get_run_logger().warning(str(busy))
            progress.event("run_skipped", run_id=run_id, reason=str(busy))
            _record_skip(database, run_id, str(busy))
            return RunSummary(run_id=run_id, status="skipped", message=str(busy))
        except TRANSIENT as exc:
            if left <= 0:
                raise
            left -= 1
            get_run_logger().warning("run %s failed with a transient fault (%s: %s); running again in %.0f s",
                                     run_id, type(exc).__name__, exc, delay)
            time.sleep(delay)


def _run(run_id: str, database: Path, sources_file: str, catalog_file: str, models_dir: str | None,
         base_url: str | None, allow_local: bool, refetch: bool, min_gap_s: float | None,
         publish: bool) -> RunSummary:
    logger = get_run_logger()
    crashed = begin_run(database, run_id, str(flow_run.get_id() or ""))
    if crashed:
        logger.warning("runs %s were left 'running' by a process that died: marked crashed", ", ".join(crashed))
    summary = RunSummary(run_id=run_id, status="running")
    stage = steps.StageCounts()
    try:
        sources = load_sources(sources_file, base_url)
        catalog, state = prepare(database, catalog_file, quote(sources))
        progress.event("run_started", run_id=run_id, db=str(database), sources=len(sources))
        policy = CrawlPolicy(allow_local=allow_local)
        if min_gap_s is not None:
            policy = CrawlPolicy(allow_local=allow_local, min_gap_s=min_gap_s)
        with _timed(stage, "crawl"), progress.stage("crawl", unit="fetches") as shown:
            output = fetch_and_extract(quote(sources), policy, quote(state), run_id, refetch)
            shown.advance(len(output.fetches))
        with _timed(stage, "store"):
            fetched = CrawlOutput(fetches=output.fetches, suspended=output.suspended)
            crawled = steps.crawl_counts(output, {})
            parts = steps.crawl_chunks(output)
            del output  # from here each part is the only reference to its articles
            while parts:
                crawled.counts.update(store_chunk(database, quote(parts.pop(0))))
        stage.counts.update(crawled.counts)
        stage.errors.update(crawled.errors)
        with transaction(database) as con:
            summary.source_health = steps.source_health(fetched, source_states(con))
        logger.info("crawl: %s", dict(stage.counts))

        scorer = load_scorer(database, quote(catalog), settings.models_dir(models_dir))
        summary.model_version = scorer.model_version
        with _timed(stage, "score"):
            _score_pending(database, scorer, run_id, stage)
        summary.counts, summary.errors = stage.as_dicts()
        summary.status = "completed"
        with transaction(database) as con:
            finish_run(con, run_id, "completed", summary.counts, summary.errors, summary.source_health)
    except INTERRUPTS as exc:
        _finish(database, summary, stage, "interrupted",
                f"stopped by {_signal_name(exc)}: every batch committed before it is kept, the one in progress "
                "was rolled back; the next run carries on from there")
        progress.notice(f"run {run_id} {summary.message}")
        raise
    except BaseException as exc:
        _finish(database, summary, stage, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if publish:
        _publish(database, summary, stage)
    caching.prune()
    progress.event("run_finished", run_id=run_id, status=summary.status, counts=summary.counts,
                   errors=summary.errors)
    return summary


def begin_run(database: Path | str, run_id: str, flow_run_id: str | None = None) -> list[str]:
    """Records the run's start; call only while holding the run lock. Migrates
    first, so that the run is recorded even if the sources or the catalog are
    broken. Returns the ids of runs found left 'running' by a dead process."""
    migrate(database)
    with transaction(database) as con:
        crashed = mark_crashed(con, run_id)
        start_run(con, run_id, "nightly", flow_run_id)
    return crashed


def _score_pending(database: Path, scorer: PledgeScorer, run_id: str, stage: steps.StageCounts) -> None:
    """Keeps `in_flight()` batches tokenizing and scoring on the task runner
    while the flow stores finished ones, oldest first."""
    version = scorer.model_version
    pending = pending_ids(database, version)
    waiting: deque = deque()
    with progress.stage("tokenize+score", total=len(pending)) as shown:

        def store_oldest() -> None:
            ids, scored = waiting.popleft()
            candidates = scored.result()
            stage.counts["tokenized"] += len(ids)
            stage.counts["scored"] += len(ids)
            stage.counts["candidates"] += store_candidates(database, quote(candidates), ids, version, run_id)
            shown.advance(len(ids))

        window = in_flight()
        for part in steps.batches(pending, steps.STORE_CHUNK):
            for batch in steps.batches(steps.load_documents(database, part), batch_size()):
                waiting.append(([d.id for d in batch], score_batch.submit(scorer, list(batch))))
                if len(waiting) >= window:
                    store_oldest()
        while waiting:
            store_oldest()


def _publish(database: Path, summary: RunSummary, stage: steps.StageCounts) -> None:
    """After the run row is final, so the snapshot shows this run as completed.
    A failure marks the run failed: analysts would otherwise read stale data
    without anyone knowing."""
    steps_total = len(analytics.SNAPSHOT_TABLES) + len(analytics.EXPORTS)
    try:
        with _timed(stage, "publish"), progress.stage("snapshot", total=steps_total, unit="tables") as shown:
            published = publish_snapshot(database, on_step=lambda _name: shown.advance())
        summary.export = str(published.export)
        summary.counts = {**summary.counts, "ms_publish": stage.counts["ms_publish"]}
    except BaseException as exc:
        summary.message = f"data committed, but the analytics snapshot was not refreshed: {type(exc).__name__}: {exc}"
        _finish(database, summary, stage, "failed", summary.message)
        raise


def _finish(database: Path, summary: RunSummary, stage: steps.StageCounts, status: str, message: str) -> None:
    summary.status, summary.message = status, message
    summary.counts, summary.errors = stage.as_dicts()
    with transaction(database) as con:
        finish_run(con, summary.run_id, status, summary.counts, summary.errors, summary.source_health,
                   message=message)
    progress.event("run_finished", run_id=summary.run_id, status=status, message=message, counts=summary.counts)


def _record_skip(database: Path, run_id: str, reason: str) -> None:
    """Best effort: the operator sees the skipped run in `pledgewatch runs`,
    unless the database itself is busy (then the log line is all there is)."""
    if not database.exists():
        return
    try:
        with transaction(database) as con:
            start_run(con, run_id, "nightly")
            finish_run(con, run_id, "skipped", {}, {}, message=reason)
    except (DatabaseBusyError, duckdb.Error):
        return


@contextmanager
def _timed(stage: steps.StageCounts, name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        stage.counts[f"ms_{name}"] += int((time.monotonic() - started) * 1000)


def _signal_name(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "Ctrl-C (SIGINT)"
    return "SIGTERM"
