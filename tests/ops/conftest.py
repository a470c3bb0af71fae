"""A real database for the operations tests: the demo site crawled, scored and
partly moderated through the same steps the nightly flow runs (no Prefect), so
views, exports and the report are checked against data shaped like production's."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from pipeline import steps
from pledgewatch.settings import DATA, DEMO_SITE
from storage.db import transaction
from storage.runs import finish_run, start_run
from storage.stages import stage_columns

MODERATOR = "ops-test"


def decide(con, article_id: str, pledge_id: str, action: str, *, relinked_to: str | None = None,
           undoes: int | None = None, days_ago: int = 0, stage: str | None = None) -> int:
    """Appends a decision the way the review app records it: with the model
    version, score and suggested stage of the suggestion the moderator saw, and
    the stage kept (`stage`: the moderator's correction, else the suggestion)."""
    row = con.execute("SELECT model_version, score FROM candidates WHERE article_id = ? AND pledge_id = ?",
                      [article_id, pledge_id]).fetchone()
    columns = stage_columns(con, article_id, pledge_id, action, stage, None)
    return con.execute(
        "INSERT INTO decisions (article_id, pledge_id, action, relinked_to, moderator, decided_at, model_version, "
        "score, undoes, suggested_stage, suggested_direction, stage, direction) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [article_id, pledge_id, action, relinked_to, MODERATOR, datetime.now(UTC) - timedelta(days=days_ago),
         row[0] if row else None, row[1] if row else None, undoes, columns["suggested_stage"],
         columns["suggested_direction"], columns.get("stage"), columns.get("direction")],
    ).fetchone()[0]


@pytest.fixture(scope="session")
def moderated_db(tmp_path_factory) -> Path:
    """Built once per session; copy it (`db_copy`) before writing to it."""
    from demosite.server import DemoServer

    db = tmp_path_factory.mktemp("ops-db") / "pledgewatch.duckdb"
    with DemoServer() as server:
        sources = load_sources(DEMO_SITE / "sources.toml", server.base_url)
        catalog, state = steps.prepare(db, DATA / "pledges.toml", sources)
        with transaction(db) as con:
            start_run(con, "ops-run-1", "nightly")
        output = steps.fetch_and_extract(sources, CrawlPolicy(allow_local=True, min_gap_s=0.0, backoff_base_s=0.01),
                                         state, "ops-run-1")
        stored = steps.store_crawl(db, output)
    scorer = steps.load_scorer(db, catalog, DATA.parent / "models")
    documents = steps.pending_documents(db, scorer.model_version)
    stage = steps.crawl_counts(output, stored)
    for batch in steps.batches(documents):
        candidates = steps.score(scorer, steps.tokenize(batch))
        stage.counts["candidates"] += steps.store_candidates(db, candidates, [d.id for d in batch],
                                                             scorer.model_version, "ops-run-1")
    stage.counts["tokenized"] = stage.counts["scored"] = len(documents)
    with transaction(db) as con:
        finish_run(con, "ops-run-1", "completed", *stage.as_dicts(), steps.source_health(output))
        best = con.execute("SELECT article_id, pledge_id FROM candidates ORDER BY score DESC, article_id, pledge_id "
                           "LIMIT 8").fetchall()
        for number, (article, pledge) in enumerate(best[:4]):
            decide(con, article, pledge, "approve", days_ago=7 * number, stage="決定" if number == 0 else None)
        decide(con, *best[4], "reject")
        decide(con, *best[5], "relink", relinked_to=best[0][1])
        undone = decide(con, *best[6], "approve")
        decide(con, *best[6], "undo", undoes=undone)
    return db


@pytest.fixture
def db_copy(moderated_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "pledgewatch.duckdb"
    shutil.copy(moderated_db, target)
    return target
