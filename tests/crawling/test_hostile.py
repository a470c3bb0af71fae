"""A hostile site on loopback: pages and feeds built to break the crawler. Each
scenario runs in one crawl next to a well-behaved source, which must be stored
whatever the hostile one does, while the hostile URL is recorded as a failure."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from conftest import article, rss

from crawling.crawl import crawl
from crawling.model import Source
from crawling.policy import CrawlPolicy
from storage.crawl import load_crawl_state, save_crawl, save_sources
from storage.db import migrate, reader, transaction

POLICY = CrawlPolicy(allow_local=True, min_gap_s=0.0, backoff_base_s=0.01, max_retries=0, total_timeout_s=3.0,
                     read_timeout_s=2.0, connect_timeout_s=1.0)
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}


def crawl_sources(server, db, feeds: dict[str, str], policy: CrawlPolicy = POLICY):
    """One crawl over one source per feed path; returns {path: (outcome, kind, message)} and the run id."""
    sources = [Source(id=sid, outlet="テスト新聞", kind="rss", url=server.base + path, is_local=True)
               for sid, path in feeds.items()]
    migrate(db)
    with transaction(db) as con:
        save_sources(con, sources)
        state = load_crawl_state(con)
    run_id = uuid.uuid4().hex[:8]
    output = asyncio.run(crawl(sources, policy, state, run_id))
    with transaction(db) as con:
        save_crawl(con, output)
    with reader(db) as con:
        rows = con.execute("SELECT url, outcome, error_kind, error_message FROM fetches WHERE run_id = ?",
                           [run_id]).fetchall()
    return {url.removeprefix(server.base): (outcome, kind, message) for url, outcome, kind, message in rows}


def titles(db) -> set[str]:
    with reader(db) as con:
        return {row[0] for row in con.execute("SELECT title FROM articles").fetchall()}


@pytest.fixture
def hostile(fault_server):
    """A good source next to the hostile one; its article must be stored every time."""
    fault_server.page("/good/a.html", "無事に保存される記事")
    fault_server.feed("/feed/good.xml", ["/good/a.html"])
    return fault_server


def deep_page(depth: int) -> bytes:
    return article("深い入れ子の記事").replace(b"<p>", b"<div>" * depth + b"<p>", 1).replace(
        b"</p>", b"</p>" + b"</div>" * depth, 1)


@pytest.mark.parametrize("name, route", [
    ("deep", lambda s, n: (200, HTML, deep_page(5000))),
    ("rot13", lambda s, n: (200, {"Content-Type": "text/html"},
                            article("ROT13の記事").replace(b'charset="utf-8"', b'charset="rot13"'))),
    ("base64", lambda s, n: (200, {"Content-Type": "text/html; charset=base64"}, article("BASE64の記事"))),
])
def test_one_hostile_page_is_a_recorded_failure_not_a_lost_crawl(hostile, db_file, name, route):
    hostile.route(f"/bad/{name}.html", route)
    hostile.page("/bad/fine.html", "同じフィードの普通の記事")
    hostile.feed("/feed/bad.xml", [f"/bad/{name}.html", "/bad/fine.html"])
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "bad": "/feed/bad.xml"})
    assert {"無事に保存される記事", "同じフィードの普通の記事"} <= titles(db_file)
    assert outcomes[f"/bad/{name}.html"][0] in {"ok", "error"}


def test_feed_declaring_a_non_text_encoding(hostile, db_file):
    body = rss(hostile.base, ["/good/a.html"]).replace(b'encoding="utf-8"', b'encoding="base64"')
    hostile.route("/feed/b64.xml", lambda s, n: (200, XML, body))
    hostile.route("/feed/rot.xml", lambda s, n: (200, {"Content-Type": "application/rss+xml; charset=rot13"},
                                                 rss(s.base, ["/good/a.html"])))
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "b64": "/feed/b64.xml",
                                                "rot": "/feed/rot.xml"})
    assert "無事に保存される記事" in titles(db_file)
    assert outcomes["/feed/b64.xml"][0] == "ok" and outcomes["/feed/rot.xml"][0] == "ok"


@pytest.mark.parametrize("link", [
    "/bad/control\x7f\x01char.html",
    "/bad/" + "x" * 70_000 + ".html",
    "http://" + "a" * 64 + ".example/page.html",
    "http://" + "b" * 300 + "/page.html",
])
def test_unusable_link_is_a_recorded_failure_of_that_url(hostile, db_file, link):
    def feed(s, n):
        target = link if link.startswith("http") else s.base + link
        items = (f"<item><title>壊れたリンク</title><link>{target}</link></item>"
                 f"<item><title>普通</title><link>{s.base}/bad/fine.html</link></item>")
        return 200, XML, f'<?xml version="1.0"?><rss><channel><title>t</title>{items}</channel></rss>'.encode()

    hostile.route("/feed/links.xml", feed)
    hostile.page("/bad/fine.html", "リンクの後の記事")
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "links": "/feed/links.xml"})
    assert {"無事に保存される記事", "リンクの後の記事"} <= titles(db_file)
    failed = [v for k, v in outcomes.items() if k not in ("/feed/good.xml", "/good/a.html", "/feed/links.xml",
                                                          "/bad/fine.html")]
    assert len(failed) == 1 and failed[0][0] == "error" and failed[0][1] and failed[0][2]


def items_feed(count: int, base: str) -> bytes:
    items = "".join(f"<item><link>{base}/many/{i}.html</link></item>" for i in range(count))
    return f'<?xml version="1.0"?><rss><channel><title>多すぎる</title>{items}</channel></rss>'.encode()


UNTERMINATED = {
    "doctype": b"<rss>" + b"<!DOCTYPE[" * 40_000,
    "cdata": b"<rss><channel><item>" + b"<![CDATA[" * 40_000,
    "comment": b"<rss><channel>" + b"<!--" * 100_000,
    "quote": b"<rss><channel>" + b'<a "' * 100_000,
    "tags": b"<rss><channel>" + b"<a" * 200_000,
    "attrs": b"<rss><channel><item " + b"x" * 300_000,
    "nesting": b"<rss><channel>" + b"<item>" * 60_000 + b"</x>" * 60_000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(UNTERMINATED))
def test_unterminated_markup_is_parsed_in_linear_time(hostile, db_file, name):
    """Each of these took minutes with the old regular expressions (91 s for the
    DOCTYPE one) while every other source's fetches waited."""
    hostile.route(f"/feed/{name}.xml", lambda s, n: (200, XML, UNTERMINATED[name]))
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "bad": f"/feed/{name}.xml"})
    assert "無事に保存される記事" in titles(db_file)
    assert outcomes[f"/feed/{name}.xml"][0] in {"ok", "error"}


def test_doctype_hidden_inside_a_doctype_does_not_turn_entities_back_on(hostile, db_file):
    entities = '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    body = (f'<?xml version="1.0"?><!DOC<!DOCTYPE a>TYPE rss [{entities}]>'
            f"<rss><channel><title>&b;</title><item><title>&b;&b;</title>"
            f"<link>{hostile.base}/good/a.html</link></item></channel></rss>").encode()
    hostile.route("/feed/nested.xml", lambda s, n: (200, XML, body))
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "nested": "/feed/nested.xml"})
    assert outcomes["/feed/nested.xml"][:2] == ("error", "feed")
    assert "無事に保存される記事" in titles(db_file)


def test_a_feed_has_a_default_item_cap(hostile, db_file):
    hostile.route("/feed/many.xml", lambda s, n: (200, XML, items_feed(20_000, s.base)))
    hostile.route("/robots.txt", lambda s, n: (200, {"Content-Type": "text/plain"},
                                                b"User-agent: *\nDisallow: /many/\n"))
    outcomes = crawl_sources(hostile, db_file, {"many": "/feed/many.xml"})
    pages = [url for url in outcomes if url.startswith("/many/")]
    assert 0 < len(pages) <= 5_000


def test_a_parse_over_the_time_limit_is_that_feed_failure(hostile, db_file):
    hostile.route("/feed/many.xml", lambda s, n: (200, XML, items_feed(50_000, s.base)))
    policy = CrawlPolicy(**{**vars(POLICY), "parse_timeout_s": 0.001})
    outcomes = crawl_sources(hostile, db_file, {"good": "/feed/good.xml", "many": "/feed/many.xml"}, policy)
    assert outcomes["/feed/many.xml"][:2] == ("error", "parse_timeout")


def claiming(base: str, tag: str) -> bytes:
    return article("よそのURLを名乗る記事").replace(b"</head>", tag.encode() + b"</head>", 1)


@pytest.mark.parametrize("tag", [
    '<link rel="canonical" href="https://www.asahi.com/articles/ASU0000000.html">',
    '<meta property="og:url" content="https://www.asahi.com/articles/ASU0000000.html">',
    '<link rel="canonical" href="//www.asahi.com/articles/ASU0000000.html">',
])
def test_a_page_cannot_claim_another_sites_url(hostile, db_file, tag):
    hostile.route("/p/claim.html", lambda s, n: (200, HTML, claiming(s.base, tag)))
    hostile.feed("/feed/claim.xml", ["/p/claim.html"])
    crawl_sources(hostile, db_file, {"claim": "/feed/claim.xml"})
    with reader(db_file) as con:
        urls = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
    assert urls == {hostile.base + "/p/claim.html"}


def test_a_canonical_url_on_the_pages_own_site_or_a_declared_alias_is_kept(hostile, db_file):
    hostile.route("/p/own.html", lambda s, n: (200, HTML, claiming(
        s.base, f'<link rel="canonical" href="{s.base}/articles/own.html?utm_source=x">')))
    hostile.route("/p/alias.html", lambda s, n: (200, HTML, claiming(
        s.base, '<link rel="canonical" href="https://www.example.co.jp/articles/alias.html">')))
    hostile.feed("/feed/own.xml", ["/p/own.html", "/p/alias.html"])
    source = Source(id="own", outlet="テスト新聞", kind="rss", url=hostile.base + "/feed/own.xml", is_local=True,
                    aliases=("example.co.jp",))
    migrate(db_file)
    output = asyncio.run(crawl([source], POLICY, load_state(db_file), "alias"))
    assert {a.url for a in output.articles} == {hostile.base + "/articles/own.html",
                                                 "https://www.example.co.jp/articles/alias.html"}


def load_state(db):
    with reader(db) as con:
        return load_crawl_state(con)


@pytest.mark.parametrize("address", ["100.64.0.1", "100.127.255.254", "192.0.0.8", "198.18.0.1", "240.0.0.1",
                                     "2001:db8::1", "2002:7f00:1::", "64:ff9b::a00:1", "::ffff:100.64.0.1"])
def test_special_purpose_ranges_are_not_public(address):
    from crawling.addresses import is_public

    assert not is_public(address)


@pytest.mark.parametrize("target", ["http://100.64.0.1/latest/meta-data/", "http://[64:ff9b::7f00:1]/"])
def test_redirect_into_carrier_grade_nat_or_nat64_is_refused(hostile, db_file, target):
    hostile.route("/p/cgnat.html", lambda s, n: (302, {"Location": target}, b""))
    hostile.feed("/feed/cgnat.xml", ["/p/cgnat.html"])
    outcomes = crawl_sources(hostile, db_file, {"cgnat": "/feed/cgnat.xml"})
    assert outcomes["/p/cgnat.html"][:2] == ("error", "blocked_address")


def test_a_local_source_reaches_its_own_port_only(hostile, db_file):
    other = type(hostile)()  # a second fault server, on another port of 127.0.0.1
    other.page("/admin.html", "別のポートの管理画面")
    other.thread.start()
    try:
        hostile.feed("/feed/ports.xml", [other.base + "/admin.html", "/good/a.html"])
        outcomes = crawl_sources(hostile, db_file, {"ports": "/feed/ports.xml"})
    finally:
        other.httpd.shutdown()
        other.httpd.server_close()
    assert other.requests["/admin.html"] == 0 and other.requests["/robots.txt"] == 0
    assert outcomes[other.base.removeprefix(hostile.base) + "/admin.html"][:2] == ("error", "blocked_address")
    assert "無事に保存される記事" in titles(db_file)


def test_dns_rebinding_reaches_nothing(hostile):
    """A hostile name server answers a public address for the check and
    127.0.0.1 for every lookup after: the crawler connects only to an address
    it has just checked, so the loopback service is never reached (and the
    public address never connected to, as it was never answered last)."""
    from crawling.fetcher import Fetcher

    answers: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        answers.append(host)
        return ["93.184.215.14"] if len(answers) == 1 else ["127.0.0.1"]

    async def fetch():
        async with Fetcher(POLICY, resolver=rebinding) as fetcher:
            return await fetcher.fetch(f"http://localhost:{hostile.httpd.server_address[1]}/good/a.html")

    result = asyncio.run(fetch())
    assert result.outcome in {"error", "skipped"}
    assert hostile.requests["/good/a.html"] == 0 and hostile.requests["/robots.txt"] == 0
