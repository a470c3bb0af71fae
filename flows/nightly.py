"""The nightly flow: `pipeline.run` with Prefect tasks for its steps.

Wiring only: the stage order, the run lock and the `runs` row live in
`pipeline.run`; here each task wraps a step from `pipeline.steps` and adds
retries, the tokenize cache and the UI's record. Tasks are
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

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.states import State
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from classifiers.documents import Document
from classifiers.scoring import Candidate, PledgeScorer
from flows import caching
from flows.runner import in_flight, task_runner
from pipeline import steps
from pipeline.run import RunOptions, RunSummary, Steps, run
from storage import analytics
from storage.db import DatabaseBusyError

# Network: a failed attempt is retried after ~30 s, then ~60 s (± half).
NETWORK_RETRIES: dict[str, Any] = {"retries": 2, "retry_delay_seconds": exponential_backoff(backoff_factor=30),
                   "retry_jitter_factor": 0.5}


def _database_busy(_task: Any, _task_run: Any, state: State) -> bool:
    """Only a lock held too long by another process (the review app, an
    analyst's `pledgewatch sql`) is worth retrying; it clears within seconds.
    A broken catalog or a full disk is not."""
    return isinstance(state.result(raise_on_failure=False), DatabaseBusyError)


DATABASE_RETRIES: dict[str, Any] = {"retries": 2, "retry_delay_seconds": [2, 10], "retry_jitter_factor": 0.5,
                    "retry_condition_fn": _database_busy}

prepare = task(name="prepare", cache_policy=NO_CACHE, **DATABASE_RETRIES)(steps.prepare)
fetch_and_extract = task(name="fetch-and-extract", cache_policy=NO_CACHE, **NETWORK_RETRIES)(steps.fetch_and_extract)
store_chunk = task(name="store-crawl", cache_policy=NO_CACHE, **DATABASE_RETRIES)(steps.store_chunk)
load_scorer = task(name="load-scorer", cache_policy=NO_CACHE)(steps.load_scorer)
pending_ids = task(name="pending-articles", cache_policy=NO_CACHE)(steps.pending_ids)
tokenize = task(name="tokenize-batch", **caching.task_options())(steps.tokenize)


def tokenize_and_score(scorer: PledgeScorer, documents: list[Document]) -> list[Candidate]:
    """Tokenizing runs as its own (cached) task inside this one, on the same worker."""
    return steps.score(scorer, tokenize(documents))


score_batch = task(name="score-batch", cache_policy=NO_CACHE)(tokenize_and_score)
store_candidates = task(name="store-candidates", cache_policy=NO_CACHE, **DATABASE_RETRIES)(steps.store_candidates)
publish_snapshot = task(name="publish-snapshot", cache_policy=NO_CACHE, **DATABASE_RETRIES)(analytics.publish)


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
    """`pipeline.run.run` with Prefect's tasks for its steps. Transient faults
    are retried by that run loop, not by Prefect's flow retries, which would
    retry any failure, a typo in a file included."""
    options = RunOptions(sources_file=sources_file, catalog_file=catalog_file, db=db, models_dir=models_dir,
                         base_url=base_url, allow_local=allow_local, refetch=refetch, min_gap_s=min_gap_s,
                         publish=publish, wait_s=wait_s, retries=retries)
    summary = run(options, Steps(
        prepare=prepare, fetch_and_extract=fetch_and_extract, store_chunk=store_chunk, load_scorer=load_scorer,
        pending_ids=pending_ids, submit_score=score_batch.submit, store_candidates=store_candidates,
        publish_snapshot=publish_snapshot, in_flight=in_flight(), wrap=quote, logger=get_run_logger(),
        flow_run_id=lambda: str(flow_run.get_id() or ""), interrupts=(KeyboardInterrupt, TerminationSignal)))
    if summary.status != "skipped":
        caching.prune()
    return summary
