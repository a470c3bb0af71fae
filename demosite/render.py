"""Pages and feeds of the demo news site, rendered from our own article texts.

Each outlet gets a different layout, date style and feed format, with the
clutter of real news pages (navigation, share buttons, related-article lists,
captions, paywall notices), so the generic extractor is exercised as on the web.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from demosite.site import DemoArticle, DemoSite, Outlet

SECTION_NAMES = {"politics": "政治", "economy": "経済", "national": "社会", "local": "地域", "international": "国際"}


def display_date(when: datetime, style: str) -> str:
    if style == "kanji_ampm":
        half = "午前" if when.hour < 12 else "午後"
        hour = when.hour if when.hour <= 12 else when.hour - 12
        return f"{when.year}年{when.month}月{when.day}日 {half}{hour}時{when.minute}分"
    if style == "kanji_24h":
        return f"{when.year}年{when.month}月{when.day}日 {when.hour}時{when.minute:02d}分"
    if style == "slash":
        return when.strftime("%Y/%m/%d %H:%M")
    return f"{when.month}月{when.day}日 {when:%H:%M}"


def _nav(outlet: Outlet) -> str:
    items = "".join(f'<li><a href="/{outlet.slug}/{key}/">{name}</a></li>'
                    for key, name in SECTION_NAMES.items())
    return f'<nav class="global-nav"><ul><li><a href="/{outlet.slug}/">トップ</a></li>{items}</ul></nav>'


def _related(site: DemoSite, article: DemoArticle) -> str:
    others = [a for a in site.articles_of(article.outlet) if a.id != article.id][:4]
    links = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in others)
    return f'<aside class="related"><h2>関連記事</h2><ul>{links}</ul></aside>'


def _share() -> str:
    return ('<div class="share-buttons"><a href="#">X（旧ツイッター）でシェア</a>'
            '<a href="#">Facebookでシェア</a><a href="#">LINEで送る</a><button>記事を保存</button></div>')


def _footer(outlet: Outlet) -> str:
    return (f'<footer class="site-footer"><p>Copyright © {escape(outlet.name)}（pledgewatch デモサイト）'
            '本サイトの記事はすべてpledgewatchチームによる創作です。</p>'
            '<ul><li><a href="/about">会社案内</a></li><li><a href="/privacy">個人情報</a></li></ul></footer>')


def render_article(site: DemoSite, article: DemoArticle, base_url: str) -> str:
    outlet = site.outlet(article.outlet)
    paragraphs = article.paragraphs
    when = display_date(article.published, outlet.date_style)
    canonical = f"{base_url}{article.path}"
    section = SECTION_NAMES.get(article.section, "政治")
    head = (
        f'<meta charset="{outlet.encoding}">'
        f"<title>{escape(article.title)}｜{escape(outlet.name)}</title>"
        f'<link rel="canonical" href="{canonical}">'
        f'<meta property="og:title" content="{escape(article.title)}">'
        f'<meta property="og:site_name" content="{escape(outlet.name)}">'
        f'<meta property="og:url" content="{canonical}">'
        f'<meta name="description" content="{escape(paragraphs[0][:80])}">'
    )
    if outlet.layout == "jsonld":
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": article.published.isoformat(), "mainEntityOfPage": canonical,
            "publisher": {"@type": "Organization", "name": outlet.name},
        }
        head += f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        body_html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:2])
        rest = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[2:])
        main = (
            f'<main><div class="breadcrumb"><a href="/{outlet.slug}/">トップ</a> &gt; {section}</div>'
            f'<article class="news"><h1 class="headline">{escape(article.title)}</h1>'
            f'<div class="meta"><span class="date">{when}</span></div>{_share()}'
            f'<div class="article-body">{body_html}'
            f'<figure><img src="/img/{article.id}.jpg" alt="">'
            "<figcaption>記者会見する関係者（資料写真）</figcaption></figure>"
            f"{rest}</div>"
            '<div class="paywall-notice">この記事は有料会員限定です。続きは会員登録でお読みいただけます。</div>'
            f"</article>{_related(site, article)}</main>"
        )
    elif outlet.layout == "modern":
        paras = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        main = (
            f'<main class="l-main"><article><header>'
            f'<p class="section-label">{section}</p>'
            f'<h1>{escape(article.title)}</h1>'
            f'<time datetime="{article.published.isoformat()}">{when}</time></header>{_share()}'
            f'<section class="article-text">{paras}</section>'
            '<div class="ad">広告</div></article>'
            f"{_related(site, article)}"
            '<aside class="ranking"><h2>アクセスランキング</h2><ol><li><a href="#">人気記事1</a></li>'
            '<li><a href="#">人気記事2</a></li></ol></aside></main>'
        )
    else:
        paras = "".join(f'<p class="txt">{escape(p)}</p>' for p in paragraphs)
        main = (
            f'<div id="wrapper"><div id="main"><div class="headline-area">'
            f'<h1 class="title">{escape(article.title)}</h1>'
            f'<p class="update">{when}</p></div>{_share()}'
            f'<div class="main-text">{paras}</div>'
            f'</div><div id="side">{_related(site, article)}</div></div>'
        )
    return (
        f'<!DOCTYPE html><html lang="ja"><head>{head}</head><body>'
        f'<header class="site-header"><a class="logo" href="/{outlet.slug}/">{escape(outlet.name)}</a>'
        f"{_nav(outlet)}</header>"
        f"{main}{_footer(outlet)}</body></html>"
    )


def feed_entries(site: DemoSite, outlet: Outlet) -> list[tuple[str, str, datetime, str]]:
    """(path, title, published, summary) for every page the outlet's feed lists,
    including the deliberately broken ones."""
    entries: list[tuple[str, str, datetime, str]] = []
    redirected = {f.article: f.path for f in site.faults if f.kind == "redirect" and f.outlet == outlet.slug}
    for article in site.articles_of(outlet.slug):
        path = redirected.get(article.id) or article.path
        entries.append((path, article.title, article.published, article.paragraphs[0][:100]))
    for fault in site.faults:
        if fault.outlet == outlet.slug and fault.kind in ("robots", "not_found"):
            entries.append((fault.path or "", fault.title or "", fault.published or datetime.now(), ""))
    return sorted(entries, key=lambda e: e[2], reverse=True)


def _rfc822(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S %z")


def render_feed(site: DemoSite, outlet: Outlet, base_url: str) -> str:
    entries = feed_entries(site, outlet)
    name = xml_escape(outlet.name)
    home = f"{base_url}/{outlet.slug}/"
    declaration = f'<?xml version="1.0" encoding="{outlet.encoding}"?>\n'
    if outlet.feed == "rss2":
        items = "".join(
            f"<item><title>{xml_escape(t)}</title><link>{base_url}{p}</link><guid>{base_url}{p}</guid>"
            f"<pubDate>{_rfc822(w)}</pubDate><description>{xml_escape(s)}</description></item>"
            for p, t, w, s in entries
        )
        return (f'{declaration}<rss version="2.0"><channel><title>{name}</title><link>{home}</link>'
                f"<description>{name} 政治ニュース</description><language>ja</language>{items}</channel></rss>")
    if outlet.feed == "atom":
        items = "".join(
            f'<entry><title>{xml_escape(t)}</title><link rel="alternate" href="{p}"/>'
            f"<id>tag:demo,2026:{xml_escape(p)}</id><updated>{w.isoformat()}</updated>"
            f"<published>{w.isoformat()}</published><summary>{xml_escape(s)}</summary></entry>"
            for p, t, w, s in entries
        )
        updated = entries[0][2].isoformat() if entries else "2026-01-01T00:00:00+09:00"
        return (f'{declaration}<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base_url}/">'
                f"<title>{name}</title><id>tag:demo,2026:{outlet.slug}</id><updated>{updated}</updated>"
                f'<link rel="self" href="{home}atom.xml"/>{items}</feed>')
    if outlet.feed == "rdf":
        seq = "".join(f'<rdf:li rdf:resource="{base_url}{p}"/>' for p, _, _, _ in entries)
        items = "".join(
            f'<item rdf:about="{base_url}{p}"><title>{xml_escape(t)}</title><link>{base_url}{p}</link>'
            f"<description>{xml_escape(s)}</description><dc:date>{w.isoformat()}</dc:date></item>"
            for p, t, w, s in entries
        )
        return (f'{declaration}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'<channel rdf:about="{home}index.rdf"><title>{name}</title><link>{home}</link>'
                f"<description>{name}</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>"
                f"{items}</rdf:RDF>")
    urls = "".join(
        f"<url><loc>{base_url}{p}</loc><news:news><news:publication><news:name>{name}</news:name>"
        f"<news:language>ja</news:language></news:publication>"
        f"<news:publication_date>{w.isoformat()}</news:publication_date>"
        f"<news:title>{xml_escape(t)}</news:title></news:news></url>"
        for p, t, w, _ in entries
    )
    return (f'{declaration}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


FEED_PATHS = {"rss2": "rss.xml", "atom": "atom.xml", "rdf": "index.rdf", "sitemap": "sitemap-news.xml"}
