"""Scale-out for real: the nightly flow with prefect-dask's task runner on a
local Dask cluster of two worker processes stores exactly what the default
thread runner stores, and the tokenize and score steps ran in the workers."""

from __future__ import annotations

import pytest

from flows.nightly import nightly
from pledgewatch.settings import DATA, DEMO_SITE
from storage.db import reader

STORED = {
    "candidates": "SELECT a.url, c.pledge_id, c.model_version, c.score, c.evidence::VARCHAR FROM candidates c "
                  "JOIN articles a ON a.id = c.article_id ORDER BY ALL",
    "scored": "SELECT a.url, s.model_version, s.candidates FROM scored_articles s "
              "JOIN articles a ON a.id = s.article_id ORDER BY ALL",
    "articles": "SELECT url, title, body, published, dup_of IS NOT NULL FROM articles ORDER BY url",
}


def stored(db) -> dict[str, list[tuple]]:
    with reader(db) as con:
        return {name: con.execute(sql).fetchall() for name, sql in STORED.items()}


def worker_state(dask_worker) -> dict[str, bool]:
    """Runs inside each worker: did tokenizing and scoring happen here?"""
    import sys

    tokenize = sys.modules.get("classifiers.tokenize")
    return {"tokenizer_built": bool(tokenize and tokenize._TOKENIZER is not None),
            "scorer_loaded": "classifiers.scoring" in sys.modules}


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, \
            Client(local) as client:
        yield local, client


def test_dask_runner_stores_what_the_default_runner_stores(prefect_harness, demo_server, tmp_path, cluster,
                                                           monkeypatch):
    from prefect_dask import DaskTaskRunner

    local, client = cluster
    monkeypatch.setenv("PLEDGEWATCH_BATCH_SIZE", "20")  # several batches, so both workers get some
    options = {"sources_file": str(DEMO_SITE / "sources.toml"), "catalog_file": str(DATA / "pledges.toml"),
               "base_url": demo_server.base_url, "allow_local": True, "publish": False}
    on_dask = nightly.with_options(retries=0, task_runner=DaskTaskRunner(address=local.scheduler_address))(
        db=str(tmp_path / "dask.duckdb"), **options)
    on_threads = nightly.with_options(retries=0)(db=str(tmp_path / "threads.duckdb"), **options)

    assert on_dask.status == on_threads.status == "completed"
    assert on_dask.counts["scored"] == on_threads.counts["scored"] > 20
    dask_rows, thread_rows = stored(tmp_path / "dask.duckdb"), stored(tmp_path / "threads.duckdb")
    assert dask_rows["candidates"], "the demo site must produce suggestions"
    assert dask_rows == thread_rows

    workers = client.run(worker_state)
    assert len(workers) == 2
    assert all(state["tokenizer_built"] and state["scorer_loaded"] for state in workers.values()), workers
