"""Decisions, undo, the queue and the export, on a real DuckDB file."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from pledgewatch.cli import main
from review import commands
from storage import decisions as decision_store
from storage import pledge_pages as page_store
from storage import queue as queue_store
from storage.db import reader, transaction


def _pending(db, moderator="hanako", **filters):
    with reader(db) as con:
        return queue_store.queue_items(con, queue_store.QueueFilter(**filters), moderator, 100)


def test_a_decision_is_appended_with_what_it_replaced_and_the_model_version(review_db):
    item = _pending(review_db)[0]
    with transaction(review_db) as con:
        outcome = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "approve", note=" 良い ")
    decision = outcome.decision
    assert outcome.status == "ok" and decision is not None
    assert (decision.action, decision.moderator, decision.note, decision.previous_action) == \
        ("approve", "hanako", "良い", None)
    assert (decision.model_version, decision.score) == (item.model_version, item.score)
    assert all((i.article_id, i.pledge_id) != (item.article_id, item.pledge_id) for i in _pending(review_db))


def test_the_second_moderator_is_told_who_decided_and_nothing_is_overwritten(review_db):
    item = _pending(review_db)[0]
    with transaction(review_db) as con:
        decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "approve")
        late = decision_store.decide(con, "taro", item.article_id, item.pledge_id, "reject")
        rows = con.execute("SELECT moderator, action FROM decisions").fetchall()
        state = decision_store.link_state(con, item.article_id, item.pledge_id)
    assert late.status == "conflict" and late.conflict is not None
    assert (late.conflict.kind, late.conflict.moderator, late.conflict.action) == ("decided", "hanako", "approve")
    assert rows == [("hanako", "approve")]
    assert state is not None and state.action == "approve"


def test_undo_appends_a_row_and_returns_the_item_to_the_queue(review_db):
    item = _pending(review_db)[0]
    with transaction(review_db) as con:
        first = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "reject").decision
        undone = decision_store.undo(con, "hanako")
        again = decision_store.undo(con, "hanako")
        rows = con.execute("SELECT id, action, undoes, previous_action FROM decisions ORDER BY id").fetchall()
    assert undone.status == "ok"
    assert rows == [(first.id, "reject", None, None), (undone.decision.id, "undo", first.id, "reject")]
    assert again.status == "invalid"
    assert (item.article_id, item.pledge_id) in {(i.article_id, i.pledge_id) for i in _pending(review_db)}


def test_only_admins_undo_others_and_nobody_undoes_a_superseded_decision(review_db):
    item = _pending(review_db)[0]
    with transaction(review_db) as con:
        first = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "approve").decision
        refused = decision_store.undo(con, "taro", decision_id=first.id)
        by_admin = decision_store.undo(con, "admin", decision_id=first.id, is_admin=True)
        twice = decision_store.undo(con, "admin", decision_id=first.id, is_admin=True)
        second = decision_store.decide(con, "taro", item.article_id, item.pledge_id, "reject").decision
        sneaky = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "approve", seen=second.id)
        third = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "approve", seen=second.id,
                                  override=True)
        stale = decision_store.undo(con, "taro", decision_id=second.id)
    assert refused.status == "forbidden"
    assert by_admin.status == "ok" and by_admin.decision.moderator == "admin"
    assert twice.status == "conflict" and twice.conflict.kind == "undone"
    assert sneaky.status == "conflict" and (sneaky.conflict.moderator, sneaky.conflict.decision_id) == ("taro",
                                                                                                      second.id)
    assert third.status == "ok" and third.decision.previous_action == "reject"
    assert third.decision.overrides == second.id
    assert stale.status == "conflict" and stale.conflict.kind == "superseded"
    assert stale.conflict.moderator == "hanako"


def test_relink_moves_the_activity_to_the_chosen_pledge(review_db):
    item = next(i for i in _pending(review_db) if i.pledge_id != "takaichi-fiscal")
    with transaction(review_db) as con:
        same = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "relink",
                                     relinked_to=item.pledge_id)
        unknown = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "relink", relinked_to="nope")
        done = decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "relink",
                                 relinked_to="takaichi-fiscal")
        activities = con.execute("SELECT article_id, pledge_id FROM v_activities").fetchall()
    assert same.status == unknown.status == "invalid"
    assert done.status == "ok" and done.decision.relinked_to == "takaichi-fiscal"
    assert activities == [(item.article_id, "takaichi-fiscal")]


def test_skip_sets_an_item_aside_for_that_moderator_only(review_db):
    item = _pending(review_db)[0]
    with transaction(review_db) as con:
        decision_store.decide(con, "hanako", item.article_id, item.pledge_id, "skip")
        counts = queue_store.queue_counts(con, queue_store.QueueFilter(), "hanako")
    key = (item.article_id, item.pledge_id)
    assert key not in {(i.article_id, i.pledge_id) for i in _pending(review_db)}
    assert key in {(i.article_id, i.pledge_id) for i in _pending(review_db, show_skipped=True)}
    assert key in {(i.article_id, i.pledge_id) for i in _pending(review_db, moderator="taro")}
    assert counts.skipped == 1 and counts.left == counts.total - 1


def test_queue_orders_by_score_or_uncertainty_and_filters(review_db):
    by_score = [i.score for i in _pending(review_db)]
    by_doubt = [abs(i.score - 0.5) for i in _pending(review_db, sort="uncertain")]
    assert by_score == sorted(by_score, reverse=True)
    assert by_doubt == sorted(by_doubt)
    tokyo = _pending(review_db, outlet="東京新聞")
    assert tokyo and {i.outlet for i in tokyo} == {"東京新聞"}
    ishiba = _pending(review_db, politician="ishiba-shigeru")
    assert ishiba and {i.politician_id for i in ishiba} == {"ishiba-shigeru"}
    day = tokyo[0].published.date()
    assert {i.published.date() for i in _pending(review_db, published_from=day, published_to=day)} == {day}
    assert _pending(review_db, published_from=date(2100, 1, 1)) == []


def test_pledge_search_folds_width_and_puts_the_same_politician_first(review_db):
    with reader(review_db) as con:
        wide = queue_store.search_pledges(con, "ＧＤＰ")
        near = queue_store.search_pledges(con, "", near="takaichi-fiscal")
        hostile = queue_store.search_pledges(con, "' OR 1=1 --")
    assert [p.id for p in wide] == ["takaichi-defense"]
    assert near[0].politician_id == "takaichi-sanae" and "takaichi-fiscal" not in {p.id for p in near}
    assert hostile == []


def _approve_two(db):
    items = _pending(db)[:2]
    with transaction(db) as con:
        decision_store.decide(con, "hanako", items[0].article_id, items[0].pledge_id, "approve")
        target = "takaichi-fiscal" if items[1].pledge_id != "takaichi-fiscal" else "ishiba-regional"
        decision_store.decide(con, "taro", items[1].article_id, items[1].pledge_id, "relink", relinked_to=target)
    return items


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_activities_in_the_shape_a_tracking_site_needs(review_db, tmp_path, capsys, fmt):
    _approve_two(review_db)
    out = tmp_path / f"activities.{fmt}"
    assert main(["--db", str(review_db), "export", "activities", "--format", fmt, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    records = ([json.loads(line) for line in text.splitlines()] if fmt == "jsonl"
               else list(csv.DictReader(io.StringIO(text))))
    assert len(records) == 2
    for record in records:
        assert list(record) == list(page_store.EXPORT_FIELDS)
        assert record["politician"] and record["pledge"] and record["article_title"] and record["url"]
        assert record["published"].endswith("+09:00") and record["decided_at"].endswith("+09:00")
        assert 0 < len(record["summary"]) <= 200
    assert {r["moderator"] for r in records} == {"hanako", "taro"}
    assert "2 approved activities" in capsys.readouterr().err


def test_moderators_add_asks_twice_and_stores_only_an_argon2_hash(review_db, monkeypatch, capsys):
    answers = iter(["a long enough secret", "a long enough secret", "first attempt 123", "second attempt 456"])
    monkeypatch.setattr(commands, "_terminal", lambda: True)
    monkeypatch.setattr(commands.getpass, "getpass", lambda prompt="": next(answers))
    assert main(["--db", str(review_db), "moderators", "add", "yuki", "--admin"]) == 0
    assert main(["--db", str(review_db), "moderators", "add", "ken"]) == 2
    assert "differ" in capsys.readouterr().err
    with reader(review_db) as con:
        rows = con.execute("SELECT name, is_admin, password_hash FROM moderators").fetchall()
    assert [(n, a) for n, a, _ in rows] == [("yuki", True)]
    assert rows[0][2].startswith("$argon2id$") and "a long enough secret" not in rows[0][2]


def test_moderators_add_refuses_without_a_terminal_and_weak_passwords(review_db, monkeypatch, capsys):
    monkeypatch.setattr(commands, "_terminal", lambda: False)
    assert main(["--db", str(review_db), "moderators", "add", "ken"]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--db", str(review_db), "moderators", "add", "ken", "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    assert main(["--db", str(review_db), "moderators", "add", "ken", "--password-stdin"]) == 0
    assert main(["--db", str(review_db), "moderators", "add", "bad name!"]) == 2
    assert main(["--db", str(review_db), "moderators", "disable", "ken"]) == 0
    capsys.readouterr()
    assert main(["--db", str(review_db), "moderators", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ken" in listing and "disabled" in listing
