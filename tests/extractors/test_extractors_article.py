from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawling.articles import to_record
from crawling.model import Source
from extractors.article import extract_article
from extractors.errors import ExtractionError
from extractors.model import FeedItem
from pledgewatch.jst import JST

PROSE = [
    "政府は３日、物価高対策として新たな給付金の支給を閣議決定した。対象は住民税非課税世帯で、一世帯あたり三万円を支給する。",
    "首相は記者会見で「生活に困っている方々に速やかに届けたい」と述べ、年度内の支給開始を目指す考えを示した。",
    "野党は「選挙目当てのばらまきだ」と批判しており、国会審議では財源の確保策が焦点となる見通しだ。",
]


def page(head: str = "", article: str = "", *, around: str = "", lang: str = "ja") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>
<header class="site-header"><a href="/">サイト名</a><nav><ul><li><a href="/politics">政治</a></li>
<li><a href="/economy">経済</a></li></ul></nav></header>
<main><article><h1>給付金の支給を閣議決定</h1>
<div class="share-buttons"><a href="#">ツイート</a><a href="#">シェア</a></div>
<div class="article-body">{paragraphs}{article}</div></article>
{around}
<aside class="ranking"><h2>アクセスランキング</h2><ol>
<li><a href="/1">別の記事のとても長い見出しがここに入ります</a></li></ol></aside>
</main><footer>Copyright © Example News</footer></body></html>"""


def test_generic_extraction_drops_furniture():
    html = page(
        "<title>給付金の支給を閣議決定 - 例示新聞デジタル</title>",
        article="""<figure><img src="a.jpg"><figcaption>会見する首相＝３日、首相官邸</figcaption></figure>
<p class="caption">記者会見する首相（３日）</p>
<div class="related-articles"><h3>関連記事</h3><ul><li><a href="/x">関連する別の記事の見出し</a></li></ul></div>
<p>この記事は有料記事です。残り1200文字</p><p>有料会員になると続きが読めます。</p>""",
    )
    article = extract_article(html, "https://news.example.jp/articles/1")
    assert article.body == "\n\n".join(PROSE)
    assert article.title == "給付金の支給を閣議決定"
    assert article.rule == "generic"
    assert article.lang == "ja"


def test_json_ld_graph_metadata():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "例示新聞"},
            {
                "@type": ["NewsArticle"],
                "headline": "給付金の支給を閣議決定",
                "datePublished": "2026-01-03T09:05:00+09:00",
                "dateModified": "2026-01-04T10:00:00+09:00",
            },
        ],
    }
    html = page(
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        '<meta property="og:title" content="給付金の支給を閣議決定｜例示新聞">'
        '<meta property="og:site_name" content="例示新聞">'
    )
    article = extract_article(html, "https://news.example.jp/articles/1")
    assert article.published == datetime(2026, 1, 3, 9, 5, tzinfo=JST)
    assert article.outlet == "例示新聞"


@pytest.mark.parametrize(
    "title",
    [
        "給付金の支給を閣議決定 - 産経ニュース",
        "給付金の支給を閣議決定：朝日新聞デジタル",
        "給付金の支給を閣議決定｜例示タイムス",
        "給付金の支給を閣議決定 | 例示新聞 | 政治",
        "給付金の支給を閣議決定 : 地域ニュース : 読売新聞",
    ],
)
def test_title_suffixes_are_removed(title):
    html = page(f"<title>{title}</title>").replace("<h1>給付金の支給を閣議決定</h1>", "")
    assert extract_article(html).title == "給付金の支給を閣議決定"


def test_title_keeps_headline_separators():
    headline = "首相「対策急ぐ」　野党は反発"
    html = page(f"<title>{headline} - 例示新聞</title>").replace(
        "<h1>給付金の支給を閣議決定</h1>", f"<h1>{headline}</h1>"
    )
    assert extract_article(html).title == headline


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<time datetime="2026-01-03T09:05:00+09:00">1月3日</time>', datetime(2026, 1, 3, 9, 5)),
        ('<p class="date">２０２６年１月３日　午後９時５分</p>', datetime(2026, 1, 3, 21, 5)),
        ('<span class="publish">令和8年1月3日</span>', datetime(2026, 1, 3)),
        ('<meta name="pubdate" content="2026-01-03T00:05:00Z">', datetime(2026, 1, 3, 9, 5)),
    ],
)
def test_published_sources(fragment, expected):
    html = page(fragment) if fragment.startswith("<meta") else page(around=fragment)
    published = extract_article(html).published
    assert published == expected.replace(tzinfo=JST)
    assert published.utcoffset().total_seconds() == 9 * 3600


def test_canonical_url_from_page_resolved_and_cleaned():
    html = page('<link rel="canonical" href="/articles/1?utm_source=x#top">')
    assert extract_article(html, "https://News.Example.jp/a?b=1").url == ("https://news.example.jp/articles/1")
    bad = page('<link rel="canonical" href="javascript:void(0)">'
               '<meta property="og:url" content="https://news.example.jp/og/1">')  # fmt: skip
    assert extract_article(bad, "https://news.example.jp/x").url == "https://news.example.jp/og/1"
    assert extract_article(page(), "https://news.example.jp:443/x?fbclid=1").url == ("https://news.example.jp/x")
    assert extract_article(page()).url is None


def test_shift_jis_bytes_with_wrong_header():
    html = page('<meta charset="Shift_JIS">').replace('<meta charset="utf-8">', "")
    html = html.replace("©", "(c)")
    article = extract_article(html.encode("cp932"), content_type="text/html; charset=utf-8")
    assert article.body.startswith(PROSE[0])


def test_to_json():
    ld = '{"@type": "Article", "headline": "見出し", "datePublished": "2026-01-03T00:05:00Z"}'
    html = page(f'<script type="application/ld+json">{ld}</script>')
    data = extract_article(html, "https://news.example.jp/1").to_json()
    assert data["published"] == "2026-01-03T09:05:00+09:00"
    assert set(data) == {"title", "body", "published", "lang", "outlet", "url", "rule"}
    assert data["outlet"] == "news.example.jp"


def test_the_feed_fills_only_what_the_page_lacks_when_the_record_is_made():
    item = FeedItem(
        url="https://news.example.jp/1",
        title="フィードの見出し",
        published=datetime(2026, 1, 3, 9, 5, tzinfo=JST),
        summary="要約",
    )
    article = extract_article(page().encode("utf-8"), "https://news.example.jp/1?utm_source=x")
    record = to_record(article, requested_url="https://news.example.jp/1", item=item,
                       source=Source(id="s", outlet="例新聞", kind="rss", url="https://news.example.jp/rss"),
                       run_id="r", fetched_at=datetime.now(JST))
    assert article.published is None and record.published == item.published
    assert record.title == article.title == "給付金の支給を閣議決定"
    assert record.body.startswith(PROSE[0]) and record.url == article.url == "https://news.example.jp/1"


def test_json_ld_article_body_when_dom_is_empty():
    ld = json.dumps({"@type": "NewsArticle", "headline": "見出し", "articleBody": "\n".join(PROSE)},
                    ensure_ascii=False)  # fmt: skip
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body><div id="app"></div></body></html>'
    )
    article = extract_article(html)
    assert article.body == "\n\n".join(PROSE)
    assert article.title == "見出し"


def test_br_separated_text_in_divs():
    text = "<br><br>".join(PROSE)
    html = f"<html><body><div class='menu'><a href='/'>トップ</a></div><div>{text}</div></body></html>"
    assert extract_article(html).body == "\n\n".join(PROSE)


def test_ruby_readings():
    html = page(article="<p>首相は<ruby>尹錫悦<rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>大統領と"
                "<ruby>会談<rt>かいだん</rt></ruby>した。会談では安全保障協力について意見を交わした。</p>")  # fmt: skip
    body = extract_article(html).body
    assert "尹錫悦（ユンソンニョル）大統領と会談した。" in body
    assert "かいだん" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("plain text, not markup", "not HTML"),
        ('<?xml version="1.0"?><rss><channel></channel></rss>', "not HTML: document is a feed"),
        ("<html><head></head><body><div></div></body></html>", "no title and no body"),
    ],
)
def test_unusable_pages_raise(data, message):
    with pytest.raises(ExtractionError, match=message):
        extract_article(data)


def test_short_blocks_between_prose_divs_are_kept():
    blocks = [f"<div class='txt'>{PROSE[0]}</div>", "<div class='txt'>■与党の反応</div>",
              f"<div class='txt'>{PROSE[1]}</div>", "<div class='txt'>（共同）</div>",
              f"<div class='txt'>{PROSE[2]}</div>"]  # fmt: skip
    html = (
        "<html><body><div id='content'>" + "".join(blocks)
        + "<div class='promo'><p>会員登録で全文が読めます</p></div><h3>新着</h3></div></body></html>"
    )  # fmt: skip
    body = extract_article(html).body.split("\n\n")
    assert body == [PROSE[0], "■与党の反応", PROSE[1], "（共同）", PROSE[2]]


def test_dateline_next_to_the_headline():
    html = page().replace(
        "<h1>給付金の支給を閣議決定</h1>", "<h1>給付金の支給を閣議決定</h1><p>2026年1月3日 9時05分 配信</p>"
    )
    assert extract_article(html).published == datetime(2026, 1, 3, 9, 5, tzinfo=JST)
