"""The real nightly flow under a Prefect test server, against the demo site on
loopback, into a real DuckDB file."""

from __future__ import annotations

import pytest

from flows.nightly import nightly
from pledgewatch.settings import DATA, DEMO_SITE
from storage.db import reader

EXPECTED_LINKS = [  # (demo article, pledge): clear activities the cold-start scorer must suggest
    ("asahi-014", "noda-separate-surnames"),
    ("tokyo-011", "koike-nursery"),
    ("tokyo-003", "koike-painless-birth"),
    ("nikkei-008", "yokoyama-school-lunch"),
    ("mainichi-008", "tamaki-renewable-levy"),
    ("asahi-001", "ishiba-disaster-agency"),
]


def run(server, db_file):
    return nightly(sources_file=str(DEMO_SITE / "sources.toml"), catalog_file=str(DATA / "pledges.toml"),
                   db=str(db_file), base_url=server.base_url, allow_local=True)


def demo_id(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".html")


@pytest.mark.slow
def test_nightly_flow_end_to_end_then_incremental(prefect_harness, demo_server, db_file):
    first = run(demo_server, db_file)
    site = demo_server.site
    assert first.status == "completed"
    counts = first.counts
    assert counts["inserted"] == len(site.articles)
    assert counts["duplicates"] == 1
    assert counts["tokenized"] == counts["scored"] == len(site.articles) - 1
    assert counts["candidates"] > 0
    assert first.errors == {"http_404": 1, "retried_http_500": 1, "skipped_robots": 1}

    with reader(db_file) as con:
        run_row = con.execute("SELECT status, counts::VARCHAR FROM runs WHERE id = ?", [first.run_id]).fetchone()
        candidates = con.execute(
            "SELECT a.url, c.pledge_id, c.score, c.evidence->>'sentence' FROM candidates c "
            "JOIN articles a ON a.id = c.article_id").fetchall()
        duplicate = con.execute("SELECT url, dup_of FROM articles WHERE dup_of IS NOT NULL").fetchall()
        queue = con.execute("SELECT count(*) FROM v_review_queue").fetchone()[0]
    assert run_row[0] == "completed" and '"inserted":90' in run_row[1].replace(" ", "")
    scores = {(demo_id(url), pledge): (score, sentence) for url, pledge, score, sentence in candidates}
    for link in EXPECTED_LINKS:
        score, sentence = scores[link]
        assert score >= 0.5, link
        assert sentence, link
    assert [demo_id(url) for url, _ in duplicate] == ["mainichi-014"]
    assert all(demo_id(url) != "mainichi-014" for url, *_ in candidates)
    assert queue == len(candidates)

    second = run(demo_server, db_file)
    assert second.status == "completed"
    assert second.counts.get("inserted", 0) == 0 and second.counts.get("candidates", 0) == 0
    assert second.counts.get("feeds_not_modified", 0) == len(site.outlets)
    with reader(db_file) as con:
        outcomes = {r[0] for r in con.execute("SELECT DISTINCT outcome FROM fetches WHERE run_id = ?",
                                              [second.run_id]).fetchall()}
        dupes = con.execute(
            "SELECT (SELECT count(*) - count(DISTINCT url) FROM articles) + "
            "(SELECT count(*) - count(DISTINCT (article_id, pledge_id, model_version)) FROM candidates)"
        ).fetchone()[0]
    assert outcomes <= {"not_modified", "known"}
    assert dupes == 0
