"""Re-linking without script (issue 14, item 5): the queue's 付け替え is a link
to a page whose search is a plain GET form and whose matches are radio buttons
in the same POST to /decide the dialog sends. Over real HTTP (the forms parsed
and sent as a browser without script sends them) and in Debian's Chromium with
JavaScript off; with it on, the same link opens the dialog."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, expect
from review_live import PASSWORD, LiveServer, signed_in

VIEW = {"politician": "ishiba-shigeru"}


class _Forms(HTMLParser):
    """Each form's method, action and the fields a browser would send: hidden
    and text inputs, radios (with whether checked), and a select's first option."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action", ""),
                               "fields": {}, "radios": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") == "radio":
                self.forms[-1]["radios"].append((a["name"], a.get("value", "")))
            else:
                self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.forms[-1]["fields"].setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms(page: str) -> dict[tuple[str, str], dict]:
    parser = _Forms()
    parser.feed(page)
    return {(f["method"], f["action"]): f for f in parser.forms}


def _target(server: LiveServer) -> tuple[str, str, str]:
    """A synthetic pledge of someone other than 石破: (id, title, owner's name)."""
    return server.query("SELECT p.id, p.title, pol.name FROM pledges p JOIN politicians pol "
                        "ON pol.id = p.politician_id WHERE p.id LIKE 'syn-%' AND pol.kind = 'person' "
                        "ORDER BY p.id LIMIT 1")[0]


def test_a_moderator_without_script_searches_chooses_and_relinks(big_server):
    pledge_id, title, owner = _target(big_server)
    with signed_in(big_server.base_url, "hanako") as (client, _):
        queue = client.get("/queue", params=VIEW).text
        link = html.unescape(re.search(r'<a class="relink-open" href="([^"]+)"', queue).group(1))
        item = parse_qs(urlsplit(link).query)
        article, pledge = item["article_id"][0], item["pledge_id"][0]
        assert urlsplit(link).path == "/relink" and item["view"] == ["politician=ishiba-shigeru"]

        first = client.get(link)
        assert first.status_code == 200
        search = forms(first.text)[("get", "/relink")]["fields"]
        assert {k: search[k] for k in ("article_id", "pledge_id", "view")} == {
            "article_id": article, "pledge_id": pledge, "view": "politician=ishiba-shigeru"}
        offered = [v for _, v in forms(first.text)[("post", "/decide")]["radios"]]
        assert offered and pledge not in offered and offered[0].startswith("ishiba-"), "his other pledges first"

        wide = client.get("/relink", params={**search, "q": owner[0]}).text
        assert len(forms(wide)[("post", "/decide")]["radios"]) == 20 and "絞り込んでください" in wide

        narrow = client.get("/relink", params={**search, "q": f"{owner} {title}"}).text
        choose = forms(narrow)[("post", "/decide")]
        assert ("relinked_to", pledge_id) in choose["radios"] and "絞り込んでください" not in narrow
        sent = {**choose["fields"], "relinked_to": pledge_id, "note": "スクリプトなしで付け替え"}
        assert sent["csrf_token"] and sent["action"] == "relink" and sent["view"] == "politician=ishiba-shigeru"
        done = client.post("/decide", data=sent)
        gone = client.get("/relink", params=search)

    assert done.status_code == 303 and done.headers["location"] == "/queue?politician=ishiba-shigeru"
    assert big_server.query("SELECT moderator, action, relinked_to, note FROM decisions WHERE article_id = ? "
                            "AND pledge_id = ?", [article, pledge]) == [
        ("hanako", "relink", pledge_id, "スクリプトなしで付け替え")]
    assert big_server.query("SELECT count(*) FROM v_activities WHERE article_id = ? AND pledge_id = ?",
                            [article, pledge_id]) == [(1,)]
    assert gone.status_code == 404 and "もう確認待ちではありません" in gone.text


def _sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.locator("input[name=name]").fill("hanako")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    expect(page).to_have_url(re.compile(r"/queue$"))


def test_in_chromium_with_javascript_off_the_link_leads_to_the_page(big_server, browser: Browser):
    pledge_id, title, owner = _target(big_server)
    context = browser.new_context(java_script_enabled=False, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, big_server.base_url)
        item = page.locator("#queue-list > .item").first
        article, pledge = item.get_attribute("data-article"), item.get_attribute("data-pledge")
        item.locator("a.relink-open").click()
        expect(page).to_have_url(re.compile(r"/relink\?"))
        page.locator("#relink-page-q").fill(f"{owner} {title}")
        page.locator("#relink-page-q").press("Enter")
        expect(page.locator(f'input[name=relinked_to][value="{pledge_id}"]')).to_be_visible()
        page.locator(f'input[name=relinked_to][value="{pledge_id}"]').check()
        page.locator("select[name=stage]").select_option("決定")
        page.get_by_role("button", name="付け替える").click()
        expect(page).to_have_url(re.compile(r"/queue$"))
    finally:
        context.close()
    assert big_server.query("SELECT action, relinked_to, stage FROM decisions WHERE article_id = ? AND pledge_id = ?",
                            [article, pledge]) == [("relink", pledge_id, "決定")]


def test_with_javascript_the_same_link_opens_the_dialog(server, page):
    _sign_in(page, server.base_url)
    page.locator("#queue-list > .item").first.locator("a.relink-open").click()
    expect(page.locator("#relink-dialog")).to_be_visible()
    expect(page.locator("#relink-q")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/queue$"))
