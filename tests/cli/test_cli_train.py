"""`pledgewatch train` on a real database of moderated demo suggestions."""

import shutil

import pytest

from classifiers.evaluation import read_gold_jsonl
from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from pipeline import steps
from pledgewatch.cli import main
from pledgewatch.settings import DATA, DEMO_SITE, ROOT
from storage.db import reader, transaction


@pytest.fixture
def scored_demo(demo_server, db_file, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    sources = load_sources(DEMO_SITE / "sources.toml", demo_server.base_url)
    catalog, state = steps.prepare(db_file, DATA / "pledges.toml", sources)
    steps.store_crawl(db_file, steps.fetch_and_extract(sources, CrawlPolicy(allow_local=True, min_gap_s=0), state, "r"))
    scorer = steps.load_scorer(db_file, catalog, models)
    documents = steps.pending_documents(db_file, scorer.model_version)
    candidates = steps.score(scorer, steps.tokenize(documents))
    steps.store_candidates(db_file, candidates, [d.id for d in documents], scorer.model_version, "r")
    return models


def decide_like_the_labels(db_file, limit=None):
    """A moderator who agrees with data/demo_site/labels.jsonl."""
    labels = read_gold_jsonl(DEMO_SITE / "labels.jsonl")
    with transaction(db_file) as con:
        rows = con.execute(
            "SELECT c.article_id, c.pledge_id, regexp_extract(a.url, '([a-z]+-[0-9]+)\\.html', 1) "
            "FROM candidates c JOIN articles a ON a.id = c.article_id ORDER BY 1, 2").fetchall()[:limit]
        for article_id, pledge_id, demo_id in rows:
            action = "approve" if pledge_id in labels.get(demo_id, set()) else "reject"
            con.execute("INSERT INTO decisions (article_id, pledge_id, action, moderator, decided_at) "
                        "VALUES (?, ?, ?, 'tester', now())", [article_id, pledge_id, action])
    return len(rows)


@pytest.mark.timeout(900)  # trains several models; a shared 2-core machine needs the room
def test_train_compares_on_new_decisions_and_records_both_versions(scored_demo, db_file, capsys):
    assert decide_like_the_labels(db_file) >= 20
    assert main(["--db", str(db_file), "train", "--models", str(scored_demo)]) == 0
    out = capsys.readouterr().out
    assert "held back, new" in out and ("promoted:" in out or "refused:" in out)
    with reader(db_file) as con:
        rows = con.execute("SELECT version, kind, promoted, reason, data_hash, label_counts, metrics "
                           "FROM model_versions ORDER BY recorded_at").fetchall()
    trained = [r for r in rows if r[3]]
    assert len(trained) == 1 and trained[0][4] and trained[0][5] and '"held_back"' in trained[0][6]
    assert sum(1 for r in rows if r[2]) == 1
    promoted_file = (scored_demo / "promoted.json").read_text()
    assert (trained[0][0] in promoted_file) == trained[0][2]


def test_train_refuses_without_enough_new_decisions_with_status_3(scored_demo, db_file, capsys):
    decide_like_the_labels(db_file, limit=3)
    before = sorted(p.name for p in scored_demo.iterdir())
    assert main(["--db", str(db_file), "train", "--models", str(scored_demo)]) == 3
    assert "refused: 3 decisions made since" in capsys.readouterr().out
    assert sorted(p.name for p in scored_demo.iterdir()) == before
