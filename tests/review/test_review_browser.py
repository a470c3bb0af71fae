"""The review app in a real browser (Debian's Chromium, headless, driven by
Playwright): keyboard-only moderation, results checked in DuckDB."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import Page, expect
from review_live import PASSWORD, LiveServer, signed_in
from review_seed import HOSTILE_TITLE, add_hostile_article

from pledgewatch.cli import main
from review import commands

CURRENT = "#queue-list > .item.current"


def _sign_in_with_keyboard(page: Page, base_url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/queue")
    expect(page).to_have_url(re.compile(r"/login"))
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/queue$"))


def _current(page: Page) -> tuple[str, str, str]:
    item = page.locator(CURRENT)
    expect(item).to_have_attribute("data-state", "pending")
    return item.get_attribute("id"), item.get_attribute("data-article"), item.get_attribute("data-pledge")


def _link(server: LiveServer, article_id: str, pledge_id: str) -> list[tuple]:
    return server.query("SELECT moderator, action, relinked_to, previous_action, model_version, undoes "
                        "FROM decisions WHERE article_id = ? AND pledge_id = ? ORDER BY id", [article_id, pledge_id])


def test_approve_relink_undo_and_bulk_with_the_keyboard(server, page):
    _sign_in_with_keyboard(page, server.base_url, "hanako")
    left = int(page.locator("#counts").get_attribute("data-left"))

    first_id, article, pledge = _current(page)
    page.keyboard.press("a")
    expect(page.locator(f"#{first_id}")).to_have_attribute("data-state", "approve")
    expect(page.locator("#flash")).to_contain_text("承認しました")
    expect(page.locator("#counts")).to_have_attribute("data-left", str(left - 1))
    assert _link(server, article, pledge) == [("hanako", "approve", None, None, "cold-start-test", None)]

    second_id, article, pledge = _current(page)
    assert second_id != first_id
    page.keyboard.press("l")
    expect(page.locator("#relink-dialog")).to_be_visible()
    expect(page.locator("#relink-q")).to_be_focused()
    page.keyboard.type("最低賃金")
    expect(page.locator("#relink-results .option").first).to_contain_text("最低賃金")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{second_id}")).to_have_attribute("data-state", "relink")
    expect(page.locator("#relink-dialog")).to_be_hidden()
    assert _link(server, article, pledge) == [("hanako", "relink", "ishiba-minimum-wage", None, "cold-start-test",
                                               None)]

    page.keyboard.press("u")
    expect(page.locator(f"#{second_id}")).to_have_attribute("data-state", "pending")
    expect(page.locator(f"#{first_id}")).to_have_attribute("data-state", "approve")  # the earlier decision stays
    expect(page.locator(f"#{second_id}")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#flash")).to_contain_text("取り消しました")
    rows = _link(server, article, pledge)
    assert [r[1] for r in rows] == ["relink", "undo"] and rows[1][3] == "relink"
    assert server.query("SELECT count(*) FROM v_link_state WHERE article_id = ? AND pledge_id = ?",
                        [article, pledge]) == [(0,)]

    picked = []
    for _ in range(2):
        _, article, pledge = _current(page)
        picked.append((article, pledge))
        page.keyboard.press("x")
        page.keyboard.press("j")
    expect(page.locator("#picked")).to_have_text("2 件選択")
    page.keyboard.press("Shift+A")
    expect(page.locator("#flash")).to_contain_text("2件を承認しました")
    for article, pledge in picked:
        assert _link(server, article, pledge)[-1][:2] == ("hanako", "approve")
    expect(page.locator("#counts")).to_have_attribute("data-left", str(left - 3))

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    item_id, *_ = _current(page)
    page.keyboard.press("l")
    page.keyboard.type("防衛")
    page.keyboard.press("Escape")
    expect(page.locator("#relink-dialog")).to_be_hidden()
    expect(page.locator(f"#{item_id}")).to_be_focused()


def test_a_moderator_corrects_the_stage_by_keyboard_and_the_log_keeps_both(server, page):
    _sign_in_with_keyboard(page, server.base_url, "hanako")
    item_id, article, pledge = _current(page)
    picker = page.locator(f"#{item_id} .stage-pick")
    suggested = picker.get_attribute("data-suggested-stage")
    expect(page.locator(f"#{item_id} .stage-key[aria-pressed=true]")).to_have_text(re.compile(suggested))
    stages = ["表明", "検討", "決定", "予算・法案", "成立", "実施"]
    corrected = "成立" if suggested != "成立" else "実施"
    page.keyboard.press(str(stages.index(corrected) + 1))
    page.keyboard.press("-")
    expect(page.locator(f"#{item_id} .stage-key[aria-pressed=true]")).to_have_text(re.compile(corrected))
    expect(page.locator(f"#{item_id} .direction-key[aria-pressed=true]")).to_have_text(re.compile("後退"))
    page.keyboard.press("a")
    expect(page.locator(f"#{item_id}")).to_have_attribute("data-state", "approve")
    assert server.query(
        "SELECT action, suggested_stage, stage, direction FROM decisions WHERE article_id = ? AND pledge_id = ?",
        [article, pledge]) == [("approve", suggested, corrected, "後退")]
    assert server.query("SELECT stage, direction, stage_source FROM v_activity_stages WHERE article_id = ? "
                        "AND pledge_id = ?", [article, pledge]) == [(corrected, "後退", "moderator")]


def test_the_second_moderator_sees_who_decided_first(server, page):
    _sign_in_with_keyboard(page, server.base_url, "hanako")
    item_id, article, pledge = _current(page)
    with signed_in(server.base_url, "taro") as (taro, token):
        taro.post("/decide", data={"article_id": article, "pledge_id": pledge, "action": "reject"},
                  headers={"HX-Request": "true", "X-CSRF-Token": token})
    page.keyboard.press("a")
    stub = page.locator(f"#{item_id}")
    expect(stub).to_have_attribute("data-state", "conflict")
    expect(stub).to_contain_text("既に taro さんが却下しています")
    expect(page.locator("#flash")).to_contain_text("Already decided by taro")
    assert [r[:2] for r in _link(server, article, pledge)] == [("taro", "reject")]


def test_a_new_moderator_clears_the_demo_queue_with_the_keyboard_alone(review_db, page, monkeypatch):
    answers = iter(["green tea at nine", "green tea at nine"])
    monkeypatch.setattr(commands, "_terminal", lambda: True)
    monkeypatch.setattr(commands.getpass, "getpass", lambda prompt="": next(answers))
    assert main(["--db", str(review_db), "moderators", "add", "newbie"]) == 0
    with LiveServer(review_db) as server:
        total = server.query("SELECT count(*) FROM v_review_queue")[0][0]
        assert total > 25, "more than one page, so the queue must fetch the next one by itself"
        _sign_in_with_keyboard(page, server.base_url, "newbie", "green tea at nine")
        for _ in range(total):
            item = page.locator(CURRENT)
            expect(item).to_have_attribute("data-state", "pending")
            score = float(item.locator(".score").inner_text())
            page.keyboard.press("a" if score >= 0.5 else "r")
        expect(page.locator("#queue-list .empty")).to_be_visible()
        expect(page.locator("#counts")).to_have_attribute("data-left", "0")
        assert server.query("SELECT count(*) FROM v_review_queue") == [(0,)]
        decided = server.query("SELECT action, count(*) FROM decisions WHERE moderator = 'newbie' GROUP BY ALL "
                               "ORDER BY ALL")
        assert sum(n for _, n in decided) == total and {a for a, _ in decided} == {"approve", "reject"}


def test_hostile_articles_stay_text_in_the_browser(server, page):
    add_hostile_article(server.db.path)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _sign_in_with_keyboard(page, server.base_url, "hanako")
    item = page.locator(CURRENT)
    expect(item.locator("h2")).to_contain_text(HOSTILE_TITLE)
    assert item.locator("h2 a").count() == 0, "a javascript: URL must not become a link"
    assert page.locator("#queue-list img, #queue-list script").count() == 0
    item.hover()
    page.keyboard.press("k")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def test_a_busy_database_keeps_the_moderators_input(server, page, monkeypatch):
    """Another process keeps the file locked past every retry: the moderator is told,
    the item and the note stay on the page, and the same key works once it is free."""
    monkeypatch.setenv("PLEDGEWATCH_DB_LOCK_TIMEOUT", "0.3")
    _sign_in_with_keyboard(page, server.base_url, "hanako")
    item_id, article, pledge = _current(page)
    page.keyboard.press("n")
    page.keyboard.type("夜間処理中に書いたメモ")
    page.keyboard.press("Enter")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); sys.stdin.readline()", str(server.db.path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        page.keyboard.press("a")
        expect(page.locator("#flash")).to_contain_text("データベースが夜間処理で使用中です")
        item = page.locator(f"#{item_id}")
        expect(item).to_have_attribute("data-state", "pending")
        expect(item).to_have_class(re.compile(r"\bcurrent\b"))
        expect(item.locator("input[name=note]")).to_have_value("夜間処理中に書いたメモ")
    finally:
        holder.communicate("\n", timeout=10)
    page.keyboard.press("a")
    expect(page.locator(f"#{item_id}")).to_have_attribute("data-state", "approve")
    assert server.query("SELECT moderator, action, note FROM decisions WHERE article_id = ? AND pledge_id = ?",
                        [article, pledge]) == [("hanako", "approve", "夜間処理中に書いたメモ")]
