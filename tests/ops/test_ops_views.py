"""The analyst views on a real, moderated database, and their documentation:
every view and column documented, every example query runnable."""

from __future__ import annotations

import re
from pathlib import Path

from storage.db import reader

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"


def doc_sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### ", text, flags=re.M)[1:]
    return {part.split("\n", 1)[0].strip(): part for part in parts}


def test_every_view_and_column_is_documented(moderated_db):
    sections = doc_sections()
    with reader(moderated_db) as con:
        views = {name: [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [name]).fetchall()]
            for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(views) == set(sections)
    for name, columns in views.items():
        documented = re.findall(r"^\| (\w+) \|", sections[name], flags=re.M)
        assert documented[1:] == columns, name  # first match is the header row


def test_documented_examples_run(moderated_db):
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    with reader(moderated_db) as con:
        for block in blocks:
            if "read_parquet" in block:
                continue  # run against an export in test_ops_exports
            rows = con.execute(block).fetchall()
            # The moderated database has something to show for each, except failing sources: it has none.
            assert rows or "consecutive_failures > 0" in block, block


def test_activities_follow_decisions(moderated_db):
    with reader(moderated_db) as con:
        activities = con.execute("SELECT count(*), count(DISTINCT pledge_id) FROM v_activities").fetchone()
        relinked = con.execute("SELECT relinked_to FROM decisions WHERE action = 'relink'").fetchone()[0]
        undone = con.execute("SELECT article_id, pledge_id FROM decisions WHERE action = 'undo'").fetchone()
        queue_has_undone = con.execute("SELECT count(*) FROM v_review_queue WHERE article_id = ? AND pledge_id = ?",
                                       list(undone)).fetchone()[0]
        relink_counted = con.execute("SELECT count(*) FROM v_activities WHERE pledge_id = ?", [relinked]).fetchone()[0]
    assert activities[0] == 5  # four approvals and one re-link; the rejection and the undone approval do not count
    assert relink_counted >= 2  # the re-link target also had an approval of its own
    assert queue_has_undone == 1  # an undone decision puts the suggestion back in the queue


def test_politician_coverage_adds_up(moderated_db):
    with reader(moderated_db) as con:
        by_view = dict(con.execute(
            "SELECT politician_id, sum(articles_approved) FROM v_politician_coverage GROUP BY 1").fetchall())
        by_activities = dict(con.execute(
            "SELECT politician_id, count(DISTINCT article_id) FROM v_activities GROUP BY 1").fetchall())
        suggested = con.execute("SELECT sum(articles_suggested) FROM v_politician_coverage").fetchone()[0]
        expected = con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT p.politician_id, c.article_id, "
            "date_trunc('week', timezone('Asia/Tokyo', coalesce(a.published, a.fetched_at))), a.outlet "
            "FROM candidates c JOIN pledges p ON p.id = c.pledge_id JOIN articles a ON a.id = c.article_id "
            "WHERE a.dup_of IS NULL)").fetchone()[0]
    assert {k: v for k, v in by_view.items() if v} == by_activities
    assert suggested == expected > 0


def test_model_performance_counts_standing_decisions(moderated_db):
    with reader(moderated_db) as con:
        row = con.execute("SELECT sum(suggested), sum(decided), sum(approved), sum(rejected), sum(relinked) "
                          "FROM v_model_performance").fetchone()
        candidates = con.execute("SELECT count(*) FROM candidates").fetchone()[0]
        precision = con.execute("SELECT sum(approved) / sum(decided) FROM v_model_performance").fetchone()[0]
    assert row == (candidates, 6, 4, 1, 1)
    assert abs(precision - 4 / 6) < 1e-9


def test_source_health_daily_and_runs(moderated_db):
    with reader(moderated_db) as con:
        fetches = con.execute("SELECT count(*) FROM fetches WHERE source_id IS NOT NULL").fetchone()[0]
        daily = con.execute("SELECT sum(fetches), sum(errors), sum(skipped), sum(articles) FROM v_source_health_daily"
                            ).fetchone()
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        run = con.execute("SELECT status, articles_inserted, errors, source_health->>'$[0].status' FROM v_runs"
                          ).fetchone()
    assert daily[0] == fetches and daily[3] == articles
    assert daily[1] >= 1 and daily[2] == 1  # the demo site's 404 page and its robots-disallowed page
    assert run[0] == "completed" and run[1] == articles and run[2] >= 2 and run[3] in ("ok", "degraded")
