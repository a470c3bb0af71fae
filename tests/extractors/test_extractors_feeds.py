from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from extractor_fixtures import FIXTURES, fixture_feeds

from extractors.errors import FeedError
from extractors.feeds import parse_feed
from pledgewatch.jst import JST

FEEDS = fixture_feeds()
RSS1 = "{http://purl.org/rss/1.0/}"


def _oracle_titles(path, declared: str) -> list[str]:
    """Item titles as a strict reference decode + stdlib parse sees them (no copy of the data)."""
    codec = {"shift_jis": "cp932", "euc-jp": "euc_jp"}.get(declared.lower(), declared)
    text = path.read_bytes().decode(codec)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    root = ET.fromstring(text)
    titles = (item.find(f"{RSS1}title") for item in root.iter(f"{RSS1}item"))
    return [" ".join("".join(t.itertext()).split()) for t in titles if t is not None]


@pytest.mark.parametrize("entry", FEEDS, ids=[e["feed"] for e in FEEDS])
def test_fixture_feeds_give_correct_japanese(entry):
    path = FIXTURES / entry["feed"]
    feed = parse_feed(path.read_bytes(), "http://example.com/")
    assert feed.kind == "rdf"
    assert feed.items
    titles = [item.title for item in feed.items]
    assert titles == _oracle_titles(path, entry["declared_encoding"])
    text = " ".join([feed.title or "", *(t or "" for t in titles)])
    assert "\ufffd" not in text
    assert re.search(r"[\u3041-\u309f\u30a0-\u30ff\u4e00-\u9fff]", text)
    assert not re.search(r"[\uff61-\uff9f]{3,}", text), "half-width kana runs mean mojibake"
    for item in feed.items:
        assert item.url.startswith("http")
        assert item.published is None or item.published.tzinfo is not None


def test_rss2_tolerates_common_mistakes():
    data = """<?xml version="1.0" encoding="Shift_JIS"?>
<rss version="2.0"><channel><title>速報 &amp; 政治</title>
<item><title>&lt;b&gt;首相&lt;/b&gt;が会見&nbsp;で表明 & 説明</title>
<link>/articles/1</link><pubDate>Sat, 03 Jan 2026 09:05:00 +0900</pubDate>
<description><![CDATA[<p>本文の<em>要約</em>です。</p>]]></description></item>
<item><title>日付のない記事</title><link>https://news.example.jp/a/2</link></item>
</channel></rss>""".encode()  # declared Shift_JIS, really UTF-8, with &nbsp; and a bare &
    feed = parse_feed(data, "https://news.example.jp/rss/index.xml")
    assert feed.kind == "rss"
    assert feed.title == "速報 & 政治"
    first, second = feed.items
    assert first.url == "https://news.example.jp/articles/1"
    assert first.title == "首相が会見 で表明 & 説明"
    assert first.published == datetime(2026, 1, 3, 9, 5, tzinfo=JST)
    assert first.summary == "本文の要約です。"
    assert second.published is None and second.summary is None


def test_rss2_in_shift_jis():
    data = (
        '<?xml version="1.0" encoding="Shift_JIS"?><rss><channel><title>ニュース</title>'
        "<item><title>①災害情報</title><link>http://ex.jp/1</link></item></channel></rss>"
    ).encode("cp932")
    feed = parse_feed(data, "http://ex.jp/")
    assert feed.items[0].title == "①災害情報"


def test_atom():
    data = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ex.jp/news/">
<title type="html">Atom &lt;i&gt;feed&lt;/i&gt;</title>
<entry><title>\xe8\xa8\x98\xe4\xba\x8b</title><link rel="enclosure" href="/img.jpg"/>
<link rel="alternate" href="a/3"/><published>2026-01-03T00:05:00Z</published>
<summary>s</summary></entry></feed>"""
    feed = parse_feed(data, "https://ignored.example/")
    assert feed.kind == "atom" and feed.title == "Atom feed"
    (item,) = feed.items
    assert item.url == "https://ex.jp/news/a/3"
    assert item.title == "記事"
    assert item.published == datetime(2026, 1, 3, 9, 5, tzinfo=JST)


def test_news_sitemap_and_index():
    sitemap = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ex.jp/a/1</loc><news:news><news:publication><news:name>Ex</news:name>
<news:language>ja</news:language></news:publication>
<news:publication_date>2026-01-03T09:05:00+09:00</news:publication_date>
<news:title>見出し</news:title></news:news></url>
<url><loc>https://ex.jp/a/2</loc><lastmod>2026-01-02</lastmod></url></urlset>""".encode()
    feed = parse_feed(sitemap, "https://ex.jp/sitemap.xml")
    assert feed.kind == "sitemap"
    assert [(i.url, i.title) for i in feed.items] == [
        ("https://ex.jp/a/1", "見出し"),
        ("https://ex.jp/a/2", None),
    ]
    assert feed.items[1].published == datetime(2026, 1, 2, tzinfo=JST)
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>s2.xml</loc></sitemap></sitemapindex>"
    )
    feed = parse_feed(index, "https://ex.jp/maps/index.xml")
    assert feed.kind == "sitemapindex"
    assert [i.url for i in feed.items] == ["https://ex.jp/s1.xml", "https://ex.jp/maps/s2.xml"]
    assert all(i.title is None for i in feed.items)


def test_entity_expansion_is_never_performed():
    lol = "&lol;" * 10
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol"><!ENTITY lol2 "{lol}">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><title>&lol2;&ext;</title>"
        "<item><title>x</title><link>http://a.example/</link></item></channel></rss>"
    ).encode()
    feed = parse_feed(data, "http://a.example/")
    assert "lollol" not in (feed.title or "")
    assert "root:" not in (feed.title or "")
    assert feed.items[0].url == "http://a.example/"


def test_malformed_xml_is_recovered():
    data = (
        b"<rss><channel><title>T</title><item><title>A</title><link>http://x.example/1</link>"
        b"<description>unclosed <b>bold</description></item>"
        b"<item><title>B</title><link>http://x.example/2</link></channel>"
    )
    feed = parse_feed(data, "http://x.example/")
    assert [i.url for i in feed.items] == ["http://x.example/1", "http://x.example/2"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not XML"),
        (b"just text", "not XML"),
        (b'{"json": true}', "not XML"),
        (b"<html><body>page</body></html>", "unknown root element <html>"),
    ],
)
def test_unusable_input_raises(data, message):
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_feed(data, "http://x.example/")
