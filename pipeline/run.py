"""One pipeline run, in plain Python: the one place that knows the stage order.

sources → prepare → fetch + extract → dedupe + store (in parts) → source health
→ tokenize + score (in batches) → store candidates → publish the snapshot.

Around the stages: the run lock (`pipeline.lock`, so two runs never overlap
however they were started), the `runs` row (written at the start, finished
whatever happens), whole-run retries of transient faults, and interrupts that
land between or inside batch transactions, never half-way through one.

Who runs it: the Prefect flow (`flows.nightly`, which hands in its tasks as
`Steps` for retries, caching and the UI), `pledgewatch crawl` (a run that
stops after storing) and backfills, which call `run()` with the plain steps:

    from pipeline.run import RunOptions, run
    run(RunOptions(sources_file="big.toml", db="var/backfill.duckdb", publish=False))
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import httpx

from classifiers.documents import Document
from classifiers.scoring import Candidate, PledgeScorer
from crawling.model import CrawlOutput
from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from flows import progress
from pipeline import steps
from pipeline.lock import RunInProgress, exclusive_run
from pledgewatch import settings
from storage import analytics
from storage.crawl import source_states
from storage.db import DatabaseBusyError, db_path, migrate, transaction
from storage.runs import finish_run, mark_crashed, start_run

STAGES = ("store", "score", "publish")
# Faults that clear by themselves: worth a whole second run, ten minutes later.
# Anything else (a broken sources file or catalog, a bug) fails the run at once:
# the same input would fail the same way after the wait.
TRANSIENT = (DatabaseBusyError, httpx.TransportError, ConnectionError, TimeoutError)
INTERRUPTS: tuple[type[BaseException], ...] = (KeyboardInterrupt,)
LOG = logging.getLogger("pledgewatch.run")


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


@dataclass(frozen=True)
class RunOptions:
    """`stop_after="store"` is the crawl alone (`pledgewatch crawl`, kind
    `crawl`, no catalog): it still takes the lock and writes its `runs` row."""

    sources_file: str = str(settings.DATA / "sources.toml")
    catalog_file: str | None = str(settings.DATA / "pledges.toml")
    db: str | None = None
    models_dir: str | None = None
    base_url: str | None = None
    allow_local: bool = False
    refetch: bool = False
    min_gap_s: float | None = None
    publish: bool = True
    wait_s: float = 0.0
    retries: int | None = None
    stop_after: str = "publish"
    kind: str = "nightly"


class Result(Protocol):
    def result(self) -> list[Candidate]: ...


@dataclass(frozen=True)
class _Done:
    value: list[Candidate]

    def result(self) -> list[Candidate]:
        return self.value


def _score_now(scorer: PledgeScorer, documents: list[Document]) -> Result:
    return _Done(steps.score(scorer, steps.tokenize(documents)))


@dataclass(frozen=True)
class Steps:
    """What each stage calls. The defaults are the plain functions of
    `pipeline.steps`; the Prefect flow passes its tasks instead. `submit_score`
    returns something with `.result()`, so a task runner can score a few
    batches ahead (`in_flight`) while the run stores finished ones."""

    prepare: Callable[..., Any] = steps.prepare
    fetch_and_extract: Callable[..., CrawlOutput] = steps.fetch_and_extract
    store_chunk: Callable[..., dict[str, int]] = steps.store_chunk
    load_scorer: Callable[..., PledgeScorer] = steps.load_scorer
    pending_ids: Callable[..., list[str]] = steps.pending_ids
    submit_score: Callable[[PledgeScorer, list[Document]], Result] = _score_now
    store_candidates: Callable[..., int] = steps.store_candidates
    publish_snapshot: Callable[..., analytics.Published] = analytics.publish
    in_flight: int = 1
    wrap: Callable[[Any], Any] = lambda value: value  # the flow's `quote`: big inputs are not walked
    logger: logging.Logger | logging.LoggerAdapter = LOG
    flow_run_id: Callable[[], str | None] = lambda: None
    interrupts: tuple[type[BaseException], ...] = INTERRUPTS


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def run(options: RunOptions, using: Steps | None = None) -> RunSummary:
    """One run; if another run holds the database, waits up to `wait_s` and then
    returns status `skipped` without touching anything. A transient fault runs
    it again after a delay, up to `retries` times ($PLEDGEWATCH_FLOW_RETRIES,
    default 1): steps are idempotent, so a retry only does what is left."""
    using = using or Steps()
    database = db_path(options.db)
    left = settings.flow_retries() if options.retries is None else options.retries
    while True:
        run_id = uuid.uuid4().hex[:12]
        try:
            with exclusive_run(database, run_id, options.wait_s):
                return _run(run_id, database, options, using)
        except RunInProgress as busy:
            using.logger.warning(str(busy))
            progress.event("run_skipped", run_id=run_id, reason=str(busy))
            _record_skip(database, run_id, options.kind, str(busy))
            return RunSummary(run_id=run_id, status="skipped", message=str(busy))
        except TRANSIENT as exc:
            if left <= 0:
                raise
            left -= 1
            delay = settings.flow_retry_delay_s()
            using.logger.warning("run %s failed with a transient fault (%s: %s); running again in %.0f s",
                                 run_id, type(exc).__name__, exc, delay)
            time.sleep(delay)


def begin_run(database: Path | str, run_id: str, kind: str = "nightly", flow_run_id: str | None = None) -> list[str]:
    """Records the run's start; call only while holding the run lock. Migrates
    first, so that the run is recorded even if the sources or the catalog are
    broken. Returns the ids of runs found left 'running' by a dead process."""
    migrate(database)
    with transaction(database) as con:
        crashed = mark_crashed(con, run_id)
        start_run(con, run_id, kind, flow_run_id)
    return crashed


def _run(run_id: str, database: Path, options: RunOptions, using: Steps) -> RunSummary:
    crashed = begin_run(database, run_id, options.kind, using.flow_run_id())
    if crashed:
        using.logger.warning("runs %s were left 'running' by a process that died: marked crashed",
                             ", ".join(crashed))
    summary = RunSummary(run_id=run_id, status="running")
    stage = steps.StageCounts()
    wrap = using.wrap
    try:
        sources = load_sources(options.sources_file, options.base_url)
        catalog, state = using.prepare(database, options.catalog_file, wrap(sources))
        progress.event("run_started", run_id=run_id, db=str(database), sources=len(sources))
        policy = CrawlPolicy(allow_local=options.allow_local)
        if options.min_gap_s is not None:
            policy = CrawlPolicy(allow_local=options.allow_local, min_gap_s=options.min_gap_s)
        with _timed(stage, "crawl"), progress.stage("crawl", unit="fetches") as shown:
            output = using.fetch_and_extract(wrap(sources), policy, wrap(state), run_id, options.refetch)
            shown.advance(len(output.fetches))
        with _timed(stage, "store"):
            fetched = CrawlOutput(fetches=output.fetches, suspended=output.suspended)
            crawled = steps.crawl_counts(output, {})
            parts = steps.crawl_chunks(output)
            del output  # from here each part is the only reference to its articles
            while parts:
                crawled.counts.update(using.store_chunk(database, wrap(parts.pop(0))))
        stage.counts.update(crawled.counts)
        stage.errors.update(crawled.errors)
        with transaction(database) as con:
            summary.source_health = steps.source_health(fetched, source_states(con))
        using.logger.info("crawl: %s", dict(stage.counts))

        if catalog is not None and STAGES.index(options.stop_after) >= STAGES.index("score"):
            scorer = using.load_scorer(database, wrap(catalog), settings.models_dir(options.models_dir))
            summary.model_version = scorer.model_version
            with _timed(stage, "score"):
                _score_pending(database, scorer, run_id, stage, using)
        summary.counts, summary.errors = stage.as_dicts()
        summary.status = "completed"
        with transaction(database) as con:
            finish_run(con, run_id, "completed", summary.counts, summary.errors, summary.source_health)
    except using.interrupts as exc:
        _finish(database, summary, stage, "interrupted",
                f"stopped by {_signal_name(exc)}: every batch committed before it is kept, the one in progress "
                "was rolled back; the next run carries on from there")
        progress.notice(f"run {run_id} {summary.message}")
        raise
    except BaseException as exc:
        _finish(database, summary, stage, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if options.publish and options.stop_after == "publish":
        _publish(database, summary, stage, using)
    progress.event("run_finished", run_id=run_id, status=summary.status, counts=summary.counts,
                   errors=summary.errors)
    return summary


def _score_pending(database: Path, scorer: PledgeScorer, run_id: str, stage: steps.StageCounts,
                   using: Steps) -> None:
    """Keeps `in_flight` batches tokenizing and scoring while the run stores
    finished ones, oldest first."""
    version = scorer.model_version
    pending = using.pending_ids(database, version)
    waiting: deque[tuple[list[str], Result]] = deque()
    with progress.stage("tokenize+score", total=len(pending)) as shown:

        def store_oldest() -> None:
            ids, scored = waiting.popleft()
            candidates = scored.result()
            stage.counts["tokenized"] += len(ids)
            stage.counts["scored"] += len(ids)
            stage.counts["candidates"] += using.store_candidates(database, using.wrap(candidates), ids, version,
                                                                 run_id)
            shown.advance(len(ids))

        for part in steps.batches(pending, steps.STORE_CHUNK):
            for batch in steps.batches(steps.load_documents(database, part), settings.batch_size(steps.BATCH_SIZE)):
                waiting.append(([d.id for d in batch], using.submit_score(scorer, list(batch))))
                if len(waiting) >= using.in_flight:
                    store_oldest()
        while waiting:
            store_oldest()


def _publish(database: Path, summary: RunSummary, stage: steps.StageCounts, using: Steps) -> None:
    """After the run row is final, so the snapshot shows this run as completed.
    A failure marks the run failed: analysts would otherwise read stale data
    without anyone knowing."""
    steps_total = len(analytics.SNAPSHOT_TABLES) + len(analytics.EXPORTS)
    try:
        with _timed(stage, "publish"), progress.stage("snapshot", total=steps_total, unit="tables") as shown:
            published = using.publish_snapshot(database, on_step=lambda _name: shown.advance())
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


def _record_skip(database: Path, run_id: str, kind: str, reason: str) -> None:
    """Best effort: the operator sees the skipped run in `pledgewatch runs`,
    unless the database itself is busy (then the log line is all there is)."""
    if not database.exists():
        return
    try:
        with transaction(database) as con:
            start_run(con, run_id, kind)
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
