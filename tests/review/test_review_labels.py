"""Labels are Japanese only by default; English glosses are a setting
(issue 13, item 12). Every page a moderator or admin opens is checked, with
the text they read (attributes included: aria-label, title, placeholder)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
from review_live import LiveServer, signed_in

# Words that are not English labels: the product name, keys on the keyboard,
# the command named in the login hint, and the demo data's own words.
ALLOWED = {"pledgewatch", "moderators", "add", "Enter", "Esc", "GDP", "TOKYO", "cold-start-test"}
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
_VOID = {"br", "input", "img", "meta", "link", "hr", "wbr", "source"}


class _Visible(HTMLParser):
    """Text a user reads on controls and labels: element text (not scripts,
    styles, <kbd> keys, or status messages, .flash, which the app words from
    review/messages.py in both languages) and the attributes screen readers
    and tooltips show."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in _VOID and self._skipping:
            return
        if self._skipping or tag in ("script", "style", "kbd", "code") or "flash" in (values.get("class") or ""):
            self._skipping.append(tag)
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.words += re.findall(r"[A-Za-z][A-Za-z'-]{2,}", value)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.words += re.findall(r"[A-Za-z][A-Za-z'-]{2,}", data)


def english_words(html: str, names: set[str]) -> set[str]:
    parser = _Visible()
    parser.feed(html)
    return {w for w in parser.words if w not in ALLOWED and w not in names}


def _pages(server: LiveServer) -> dict[str, str]:
    pages = {}
    with signed_in(server.base_url, "hanako") as (client, token):
        pages["/queue"] = client.get("/queue").text
        article, pledge = re.search(r'data-article="([^"]+)" data-pledge="([^"]+)"', pages["/queue"]).groups()
        pages["/pledges/search"] = client.get("/pledges/search", params={"q": "該当しない語句"}).text
        pages["/relink"] = client.get("/relink", params={"article_id": article, "pledge_id": pledge, "q": "防衛"}).text
        pages["decided"] = client.post("/decide", headers={"HX-Request": "true", "X-CSRF-Token": token},
                                       data={"article_id": article, "pledge_id": pledge, "action": "approve"}).text
        pages["/pledges/"] = client.get(f"/pledges/{pledge}").text
        pages["/progress"] = client.get("/progress").text
        pages["404"] = client.get("/pledges/no-such-pledge").text
    with signed_in(server.base_url, "admin") as (client, _):
        pages["/audit"] = client.get("/audit").text
        pages["/admin/moderators"] = client.get("/admin/moderators").text
    pages["/login"] = httpx.get(server.base_url + "/login").text
    return pages


def test_every_page_is_japanese_only_by_default(server):
    names = {"hanako", "taro", "admin"}
    pages = _pages(server)
    found = {url: english_words(html, names) for url, html in pages.items()}
    assert {url: words for url, words in found.items() if words} == {}
    assert english_words('<p>承認 <small>approve</small></p>', set()) == {"approve"}  # the check sees glosses
    assert 'lang="en"' not in "".join(pages.values())


def test_english_glosses_are_a_setting(review_db, accounts):
    with LiveServer(review_db, english=True) as server, signed_in(server.base_url, "hanako") as (client, _):
        html = client.get("/queue").text
        article, pledge = re.search(r'data-article="([^"]+)" data-pledge="([^"]+)"', html).groups()
        progress = client.get("/progress", params={"stage": "none"}).text
        relink = client.get("/relink", params={"article_id": article, "pledge_id": pledge}).text
    assert '<small lang="en">Furthest stage</small>' in progress and "まだ段階なし (none yet)</option>" in progress
    assert '<small lang="en">Target pledge</small>' in relink
    assert '<small lang="en">Politician</small>' in html
    assert "すべて (all)</option>" in html and 'aria-label="絞り込み (filters)"' in html
