"""Dates and titles on layouts nobody wrote rules for (issue 12, items 8-11).

Each page here is a small one written for the pattern it shows, not a copy of
any outlet's page: the patterns were seen on real pages outside the repository."""

from __future__ import annotations

from datetime import datetime

from extractors.article import extract_article
from extractors.dates import parse_datetime
from pledgewatch.jst import JST

PROSE = ("<p>市議会は１９日、新しい子育て支援策を盛り込んだ補正予算案を可決した。"
         "保育料の軽減や学童保育の拡充などが柱で、市長は「子育て世代の負担を少しでも減らしたい」と述べた。</p>"
         "<p>一方、財源の確保については議員から懸念の声も上がり、市は来年度以降の見通しを示す考えだ。</p>")


def page(head: str, header: str, *, body: str = PROSE) -> str:
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">{head}</head><body>'
            f'<nav><a href="/">トップ</a><a href="/local">地域</a></nav>'
            f"<article>{header}<div class=\"article-text\">{body}</div></article>"
            f"<footer>© 例示タイムズ</footer></body></html>")


def ld(**fields: str) -> str:
    items = ", ".join(f'"{k}": "{v}"' for k, v in fields.items())
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", {items}}}</script>'


def test_basic_iso_8601_is_parsed():
    """Item 8: the compact form ISO 8601 also allows."""
    assert parse_datetime("20180619T055000+0900") == datetime(2018, 6, 19, 5, 50, tzinfo=JST)
    assert parse_datetime("20180618T205000Z") == datetime(2018, 6, 19, 5, 50, tzinfo=JST)
    assert parse_datetime("20180619T0550") == datetime(2018, 6, 19, 5, 50, tzinfo=JST)


def test_basic_iso_8601_in_json_ld_beats_a_worse_candidate():
    """Item 8: JSON-LD in the basic format used to be skipped, so the date-only
    <time> of the page's update notice won."""
    html = page(ld(headline="補正予算案を可決", datePublished="20180619T055000+0900"),
                '<h1>補正予算案を可決</h1><p class="note">更新 <time datetime="2018-06-20">6月20日</time></p>')
    assert extract_article(html, "https://example-times.jp/a/1").published == datetime(2018, 6, 19, 5, 50,
                                                                                       tzinfo=JST)


def test_utc_label_on_japanese_wall_time_loses_to_the_visible_dateline():
    """Item 9: machine-readable 14:30Z (23:30 JST) against a visible 14:30 JST:
    exactly nine hours apart, the label is the mistake and the dateline decides."""
    for stamp in ("2026-03-05T14:30:00Z", "2026-03-05T14:30:00+00:00"):
        html = page(ld(headline="補正予算案を可決", datePublished=stamp),
                    '<h1>補正予算案を可決</h1><div class="post-date">2026年3月5日 14時30分</div>')
        assert extract_article(html, "https://example-times.jp/a/2").published == datetime(2026, 3, 5, 14, 30,
                                                                                           tzinfo=JST)


def test_machine_time_that_agrees_or_differs_otherwise_is_kept():
    """Item 9: only the nine-hour slip of a UTC label is corrected (a +09:00 label
    says JST itself); a date-only dateline never overrides a time."""
    cases = [("2026-03-05T05:30:00Z", "2026年3月5日 14時30分", datetime(2026, 3, 5, 14, 30, tzinfo=JST)),
             ("2026-03-05T08:00:00+09:00", "2026年3月5日 10時00分", datetime(2026, 3, 5, 8, 0, tzinfo=JST)),
             ("2026-03-05T05:30:00+09:00", "2026年3月5日 14時30分", datetime(2026, 3, 5, 5, 30, tzinfo=JST)),
             ("2026-03-05T00:00:00Z", "2026年3月5日", datetime(2026, 3, 5, 9, 0, tzinfo=JST))]
    for stamp, visible, expected in cases:
        html = page(ld(headline="補正予算案を可決", datePublished=stamp),
                    f'<h1>補正予算案を可決</h1><div class="post-date">{visible}</div>')
        assert extract_article(html, "https://example-times.jp/a/3").published == expected


def test_byline_inside_the_headline_element_stays_out_of_the_title():
    """Item 10: the <h1> also holds 「編集委員 …」, as a child element or after a <br>."""
    headers = ['<h1>子育て支援へ補正予算<span class="name">編集委員　山田太郎</span></h1>',
               "<h1>子育て支援へ補正予算<br>編集委員 山田太郎</h1>",
               "<h1>子育て支援へ補正予算　論説委員　山田太郎</h1>",
               "<h1>子育て支援へ補正予算<small>山田太郎記者</small></h1>"]
    for header in headers:
        for head in ('<meta property="og:title" content="子育て支援へ補正予算｜例示タイムズ">',
                     "<title>子育て支援へ補正予算 - 例示タイムズ</title>"):
            article = extract_article(page(head, header), "https://example-times.jp/a/4")
            assert article.title == "子育て支援へ補正予算", (header, head)


def test_headline_that_mentions_a_reporter_is_kept_whole():
    article = extract_article(page("<title>首相が記者会見 - 例示タイムズ</title>", "<h1>首相が記者会見</h1>"),
                              "https://example-times.jp/a/5")
    assert article.title == "首相が記者会見"


def test_outlet_rule_on_an_older_layout_falls_back_per_field():
    """Item 11: an asahi.com page in a layout older than the rule: the rule finds
    no body, no title of its own and no date; each field falls back to the generic
    path instead of returning the site name and no date."""
    head = ('<meta property="og:title" content="朝日新聞デジタル">'
            '<meta property="og:site_name" content="朝日新聞デジタル">'
            "<title>朝日新聞デジタル：子育て支援へ補正予算</title>")
    header = ('<div class="ArticleTitle"><h1>子育て支援へ補正予算</h1>'
              '<p class="Update">2015年6月19日5時50分</p></div>')
    article = extract_article(page(head, header), "https://www.asahi.com/articles/ASH6M000000.html")
    assert article.rule == "asahi@1→generic"
    assert article.title == "子育て支援へ補正予算"
    assert article.published == datetime(2015, 6, 19, 5, 50, tzinfo=JST)
