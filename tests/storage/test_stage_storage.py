"""Migration 009 on a real DuckDB file: the decision log keeps the suggested
and the kept stage, and v_pledge_progress follows the rule in docs/analysts.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from storage import decisions, stages
from storage.db import migrate, transaction

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "pw.duckdb"
    migrate(path)
    with transaction(path) as con:
        con.execute("INSERT INTO politicians (id, name, updated_at) VALUES ('p1', '山田太郎', now())")
        for pledge in ("law", "plan", "none"):
            con.execute("INSERT INTO pledges (id, politician_id, title, updated_at) VALUES (?, 'p1', ?, now())",
                        [pledge, f"公約 {pledge}"])
    return path


def suggest(con, article: str, pledge: str, stage: str, direction: str, days: int) -> None:
    """An article published `days` after T0 and its candidate with a stage suggestion."""
    con.execute("INSERT INTO articles (id, url, title, body, content_hash, published, fetched_at) "
                "VALUES (?, ?, ?, '本文。', ?, ?, now()) ON CONFLICT DO NOTHING",
                [article, f"https://example.jp/{article}", f"記事 {article}", article, T0 + timedelta(days=days)])
    evidence = {"sentence": "本文。", "stage": {"stage": stage, "stage_confidence": 0.8, "direction": direction,
                                              "direction_confidence": 0.9, "cue": "閣議決定した", "model": "test"}}
    con.execute("INSERT INTO candidates VALUES (?, ?, 'm1', 0.9, ?, NULL, now())",
                [article, pledge, json.dumps(evidence, ensure_ascii=False)])


def approve(con, article: str, pledge: str, stage: str | None = None, direction: str | None = None):
    columns = stages.stage_columns(con, article, pledge, "approve", stage, direction)
    outcome = decisions.decide(con, "hanako", article, pledge, "approve", stage_columns=columns)
    assert outcome.status == "ok"
    return outcome


def test_the_decision_records_what_was_suggested_and_what_was_kept(db):
    with transaction(db) as con:
        suggest(con, "a1", "law", "決定", "前進", 0)
        suggest(con, "a2", "law", "検討", "前進", 1)
        suggest(con, "a3", "plan", "表明", "前進", 2)
        approve(con, "a1", "law", "予算・法案", "後退")
        approve(con, "a2", "law", "成功", "?")  # not a stage: the suggestion is kept
        rejected = decisions.decide(con, "hanako", "a3", "plan", "reject",
                                     stage_columns=stages.stage_columns(con, "a3", "plan", "reject", "実施", None))
        assert rejected.status == "ok"
        rows = con.execute("SELECT article_id, suggested_stage, suggested_direction, stage, direction FROM decisions "
                           "ORDER BY id").fetchall()
    assert rows == [("a1", "決定", "前進", "予算・法案", "後退"), ("a2", "検討", "前進", "検討", "前進"),
                    ("a3", "表明", "前進", None, None)]


def test_progress_is_the_furthest_stage_until_a_later_setback_undoes_it(db):
    with transaction(db) as con:
        suggest(con, "b1", "law", "検討", "前進", 0)
        suggest(con, "b2", "law", "予算・法案", "前進", 10)
        suggest(con, "b3", "law", "決定", "前進", 20)
        suggest(con, "b4", "law", "予算・法案", "後退", 30)
        suggest(con, "c1", "plan", "決定", "前進", 0)
        suggest(con, "c2", "plan", "実施", "後退", 5)   # set back before the decision is reached again
        suggest(con, "c3", "plan", "決定", "停滞", 9)   # 停滞 still counts as reaching its stage
        assert decisions.decide(con, "hanako", "b1", "law", "approve").status == "ok"  # kept no stage
        for article, pledge in (("b2", "law"), ("b3", "law"), ("b4", "law"), ("c1", "plan"),
                                ("c2", "plan"), ("c3", "plan")):
            approve(con, article, pledge)
        progress = stages.pledge_progress(con)
        timeline = stages.staged_activities(con, "law")
    law, plan, none = progress["law"], progress["plan"], progress["none"]
    assert (law.furthest_stage, law.reached_by, law.reached_at) == ("予算・法案", "b2", T0 + timedelta(days=10))
    assert (law.undone, law.undone_by, law.suggested_progress) == (True, "b4", 40)
    assert (plan.furthest_stage, plan.reached_by, plan.undone, plan.suggested_progress) == ("決定", "c1", False, 40)
    assert (none.furthest_stage, none.undone, none.suggested_progress) == (None, False, 0)
    assert [(a.article_id, a.stage, a.direction, a.source) for a in timeline] == [
        ("b1", "検討", "前進", "suggested"), ("b2", "予算・法案", "前進", "moderator"),
        ("b3", "決定", "前進", "moderator"), ("b4", "予算・法案", "後退", "moderator")]


def test_a_decision_without_a_kept_stage_shows_the_latest_suggestion_that_has_one(db):
    """Migration 012 looks the suggestion up for the approved pairs only; what it
    finds is what 009 found: the newest candidate of the pair carrying a stage,
    for a re-link the candidate of the pair the moderator re-linked."""
    with transaction(db) as con:
        suggest(con, "d1", "law", "検討", "前進", 0)
        con.execute("INSERT INTO candidates VALUES ('d1', 'law', 'm2', 0.8, '{\"sentence\": \"本文。\"}', NULL, "
                    "now() + INTERVAL 1 HOUR)")  # a newer model that suggested no stage
        suggest(con, "d2", "law", "成立", "前進", 1)
        suggest(con, "d2", "plan", "表明", "前進", 1)
        for article, action, target in (("d1", "approve", None), ("d2", "relink", "plan")):
            con.execute("INSERT INTO decisions (article_id, pledge_id, action, relinked_to, moderator, decided_at) "
                        "VALUES (?, 'law', ?, ?, 'hanako', now())", [article, action, target])
        rows = con.execute("SELECT article_id, pledge_id, stage, direction, stage_source FROM v_activity_stages "
                           "ORDER BY article_id").fetchall()
    assert rows == [("d1", "law", "検討", "前進", "suggested"), ("d2", "plan", "成立", "前進", "suggested")]
