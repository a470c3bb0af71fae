"""The politician and pledge filters and the re-link dialog searched as one
types, over a catalog of thousands (the big_server fixture): over real HTTP
without JS, and in Debian's Chromium with the keyboard."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect
from review_live import PASSWORD, LiveServer, signed_in

CURRENT = "#queue-list > .item.current"


def _shared_name(server: LiveServer) -> tuple[str, int]:
    """A full name that several synthetic politicians share (the catalog draws from real distributions)."""
    name, count = server.query("SELECT name, count(*) FROM politicians WHERE id LIKE 'syn-%' AND kind = 'person' "
                               "GROUP BY name HAVING count(*) > 1 ORDER BY count(*) DESC, name LIMIT 1")[0]
    return name, count


def _sign_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.locator("input[name=name]").fill("hanako")
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/queue$"))


def test_the_search_endpoints_fold_rank_and_stop_at_twenty(big_server):
    name, count = _shared_name(big_server)
    with signed_in(big_server.base_url, "hanako") as (client, _):
        kana = client.get("/search/politicians", params={"q": "イシバ"}).json()["matches"]
        shared = client.get("/search/politicians", params={"q": name}).json()["matches"]
        wide = client.get("/search/politicians", params={"q": name[0]}).json()["matches"]
        mine = client.get("/search/pledges", params={"q": "賃金", "politician": "ishiba-shigeru"}).json()["matches"]
        width = client.get("/search/pledges", params={"q": "ＧＤＰ"}).json()["matches"]
        relink = client.get("/pledges/search", params={"q": "防衛", "pledge_id": "takaichi-fiscal"}).text
    assert kana[0] == {"id": "ishiba-shigeru", "label": "石破茂", "detail": kana[0]["detail"]}
    assert "自由民主党" in kana[0]["detail"]
    assert len(shared) >= count and {m["label"] for m in shared[:count]} == {name}
    assert len({m["detail"] for m in shared[:count]}) > 1, "people who share a name are told apart by their office"
    assert len(wide) == 20
    assert mine[0]["id"] == "ishiba-minimum-wage" and len(mine) == 20
    assert "takaichi-defense" in {m["id"] for m in width}
    options = re.findall(r'name="relinked_to" value="([^"]+)"', relink)
    assert options[0] == "takaichi-defense" and len(options) == 20 and "takaichi-fiscal" not in options


def test_without_javascript_a_typed_name_filters_or_offers_a_choice(big_server):
    name, count = _shared_name(big_server)
    with signed_in(big_server.base_url, "hanako") as (client, _):
        one = client.get("/queue", params={"politician_q": "いしば", "politician": ""})
        several = client.get("/queue", params={"politician_q": name, "politician": ""})
        none = client.get("/queue", params={"politician_q": "該当者なしの名前", "politician": ""})
        kept = client.get("/queue", params={"politician_q": "石破茂", "politician": "ishiba-shigeru"})
        cleared = client.get("/queue", params={"politician_q": "", "politician": "ishiba-shigeru"})
    for page in (one, kept):
        pledges = set(re.findall(r'data-pledge="([^"]+)"', page.text))
        assert pledges and all(p.startswith("ishiba-") for p in pledges)
        assert 'name="politician" value="ishiba-shigeru"' in page.text
    offered = re.findall(r'<a href="/queue\?politician=(syn-\d+)">' + re.escape(name) + "</a>", several.text)
    assert len(offered) == count and "まだ絞り込んでいません" in several.text
    assert "一致する政治家はありません" in none.text
    everyone = len(re.findall(r'data-state="pending"', cleared.text))
    assert everyone == 25 and 'name="politician" value=""' in cleared.text
    assert "<option" not in one.text.split('name="outlet"')[0], "no list of every politician or pledge"


def test_typing_a_few_characters_and_choosing_with_the_keyboard(big_server, page: Page):
    pledge, title = big_server.query(
        "SELECT pledge_id, any_value(pledge_title) FROM review_queue WHERE politician_id = 'ishiba-shigeru' "
        "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1")[0]
    _sign_in(page, big_server.base_url)
    page.locator("#politician-q").focus()
    page.keyboard.type("いしば")
    expect(page.locator("#politician-suggestions")).to_be_visible()
    expect(page.locator("#politician-suggestions li").first).to_contain_text("石破茂")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#politician-q")).to_have_attribute("aria-activedescendant", "politician-suggestions-0")
    page.keyboard.press("Enter")
    expect(page.locator("#politician-suggestions")).to_be_hidden()
    expect(page.locator("#politician-q")).to_have_value("石破茂")
    page.locator("#pledge-q").focus()
    page.keyboard.type(title[:6])
    expect(page.locator("#pledge-suggestions li").first).to_contain_text(title)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # the list is closed: Enter applies the filters
    expect(page).to_have_url(re.compile(r"[?&]pledge=" + re.escape(pledge)))
    query = parse_qs(urlsplit(page.url).query)
    assert query["politician"] == ["ishiba-shigeru"] and query["politician_q"] == ["石破茂"]
    shown = page.locator("#queue-list > .item")
    expect(shown.first).to_be_visible()
    assert {shown.nth(i).get_attribute("data-pledge") for i in range(shown.count())} == {pledge}

    name, _ = _shared_name(big_server)
    item = page.locator(CURRENT)
    expect(item).to_have_attribute("data-state", "pending")
    item_id, article = item.get_attribute("id"), item.get_attribute("data-article")
    page.keyboard.press("l")
    expect(page.locator("#relink-q")).to_be_focused()
    page.keyboard.type(name)
    expect(page.locator("#relink-results .option").first).to_contain_text(name)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{item_id}")).to_have_attribute("data-state", "relink")
    (target,) = big_server.query("SELECT relinked_to FROM decisions WHERE article_id = ? AND pledge_id = ?",
                                 [article, pledge])[0]
    assert big_server.query("SELECT pol.name FROM pledges p JOIN politicians pol ON pol.id = p.politician_id "
                            "WHERE p.id = ?", [target]) == [(name,)]
