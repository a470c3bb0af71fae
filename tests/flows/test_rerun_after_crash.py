"""A run that dies after storing articles but before scoring them is finished
by the next run, with no duplicates: steps called directly, no Prefect."""

from __future__ import annotations

import pytest

from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from pipeline import steps
from pledgewatch.settings import DATA, DEMO_SITE
from storage.db import reader


def score_pending(db_file, catalog):
    scorer = steps.load_scorer(db_file, catalog, "models")
    documents = steps.pending_documents(db_file, scorer.model_version)
    written = 0
    for batch in steps.batches(documents, 20):
        candidates = steps.score(scorer, steps.tokenize(batch))
        written += steps.store_candidates(db_file, candidates, [d.id for d in batch], scorer.model_version, "r")
    return len(documents), written


def test_crash_between_store_and_score_is_finished_by_the_rerun(demo_server, db_file):
    sources = load_sources(DEMO_SITE / "sources.toml", demo_server.base_url)
    policy = CrawlPolicy(allow_local=True, min_gap_s=0.0, backoff_base_s=0.01)
    catalog, state = steps.prepare(db_file, DATA / "pledges.toml", sources)
    output = steps.fetch_and_extract(sources, policy, state, "crashed")
    steps.store_crawl(db_file, output)

    scorer = steps.load_scorer(db_file, catalog, "models")
    first_batch = steps.pending_documents(db_file, scorer.model_version)[:10]
    steps.store_candidates(db_file, steps.score(scorer, steps.tokenize(first_batch)), [d.id for d in first_batch],
                           scorer.model_version, "crashed")
    with pytest.raises(RuntimeError), steps.transaction(db_file) as con:
        con.execute("DELETE FROM scored_articles")
        raise RuntimeError("killed mid-batch")

    catalog, state = steps.prepare(db_file, DATA / "pledges.toml", sources)
    rerun = steps.fetch_and_extract(sources, policy, state, "rerun")
    assert steps.store_crawl(db_file, rerun)["inserted"] == 0
    scored, _ = score_pending(db_file, catalog)
    assert scored == len(demo_server.site.articles) - 1 - len(first_batch)
    assert score_pending(db_file, catalog) == (0, 0)
    with reader(db_file) as con:
        assert con.execute("SELECT count(*) FROM scored_articles").fetchone()[0] == len(demo_server.site.articles) - 1
        assert con.execute("SELECT count(*) - count(DISTINCT (article_id, pledge_id, model_version)) "
                           "FROM candidates").fetchone()[0] == 0
