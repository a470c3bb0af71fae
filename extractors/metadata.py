"""Page metadata from JSON-LD, OpenGraph, <meta>, <link>, <time> and <h1>.

Everything a page states about itself in machine-readable form is read
once into `PageMetadata`; choosing between the candidates is left to
`title.py` and `article.py`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .text import clean_line, strip_markup

ARTICLE_TYPES = frozenset(
    {
        "newsarticle", "article", "reportagenews", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "socialmediaposting",
        "liveblogposting", "scholarlyarticle", "techarticle", "report",
    }
)  # fmt: skip
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publish_date", "published_at", "published-date",
    "parsely-pub-date", "sailthru.date", "cxenseparse:recs:publishtime", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "date", "release_date", "original-publish-date",
)  # fmt: skip
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "lastupdate", "dcterms.modified",
)  # fmt: skip
_BYLINE_ROLE = (r"(?:特別|客員|シニア|専門)?"
                r"(?:編集委員|論説委員|解説委員|論説主幹|主筆|特派員|支局長|総局長|編集長|記者)")
_BYLINE_PART = re.compile(
    rf"^[\s\u3000]*(?:{_BYLINE_ROLE}[\s\u3000]+\S{{2,12}}|\S{{2,12}}?[\s\u3000]*(?:記者|特派員|編集委員|論説委員))[\s\u3000]*$"
)
_TRAILING_BYLINE = re.compile(rf"[\s\u3000]+{_BYLINE_ROLE}[\s\u3000]+\S{{2,12}}$")
_DATE_CLASS_SELECTOR = '[class*="date"], [id*="date"], [class*="time"], [class*="publish"], [class*="posted"]'


@dataclass
class PageMetadata:
    titles: list[str] = field(default_factory=list)  # metadata titles, best source first
    html_title: str | None = None
    h1s: list[str] = field(default_factory=list)
    site_name: str | None = None
    published: list[str] = field(default_factory=list)  # raw date strings, best source first
    ld_published: list[str] = field(default_factory=list)  # JSON-LD's own, for rules that name it
    meta_published: list[str] = field(default_factory=list)  # <meta> published times
    modified: list[str] = field(default_factory=list)
    time_elements: list[str] = field(default_factory=list)
    canonical: str | None = None
    og_url: str | None = None
    lang: str | None = None
    ld_body: str | None = None
    ld_headline: str | None = None
    description: str | None = None


def read_metadata(tree: LexborHTMLParser) -> PageMetadata:
    meta = PageMetadata()
    named: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = attrs.get("content")
        if value is None:
            value = attrs.get("value")
        if key and value and value.strip():
            named.setdefault(key.strip().lower(), value.strip())
    for article in _json_ld_articles(tree):
        headline = article.get("headline") or article.get("name")
        if isinstance(headline, str) and headline.strip() and meta.ld_headline is None:
            meta.ld_headline = strip_markup(headline)
        for key, target in (("datePublished", meta.published), ("dateCreated", meta.published),
                            ("dateModified", meta.modified)):  # fmt: skip
            value = article.get(key)
            if isinstance(value, str) and value.strip():
                target.append(value)
        body = article.get("articleBody")
        if isinstance(body, str) and body.strip() and meta.ld_body is None:
            meta.ld_body = body
    if meta.ld_headline:
        meta.titles.append(meta.ld_headline)
    for key in ("og:title", "twitter:title", "title", "dc.title"):
        if key in named:
            meta.titles.append(strip_markup(named[key]))
    meta.ld_published = list(meta.published)
    meta.meta_published = [named[k] for k in PUBLISHED_META if k in named]
    meta.published.extend(meta.meta_published)
    meta.modified.extend(named[k] for k in MODIFIED_META if k in named)
    for key in ("description", "og:description", "twitter:description"):
        if key in named:
            meta.description = strip_markup(named[key])
            break
    meta.site_name = clean_line(named.get("og:site_name", "")) or None
    meta.og_url = named.get("og:url")
    title_node = tree.css_first("title")
    if title_node is not None:
        meta.html_title = clean_line(title_node.text()) or None
    meta.h1s = [t for t in (_headline_text(h) for h in tree.css("h1")) if t]
    link = tree.css_first('link[rel~="canonical"]')
    if link is not None:
        meta.canonical = link.attributes.get("href")
    meta.lang = _language(tree, named)
    meta.time_elements = _time_values(tree)
    return meta


def date_text_candidates(tree: LexborHTMLParser, meta: PageMetadata) -> list[str]:
    """Visible date texts, last resort for pages without machine-readable times.

    Elements whose class/id says date/time come first, then the text around the
    headline (the dateline usually sits next to the <h1>, related items do not).
    """
    texts = []
    for node in tree.css(_DATE_CLASS_SELECTOR):
        text = node.text(deep=True, separator=" ")
        if text and len(text) < 120:
            texts.append(clean_line(text))
    h1 = tree.css_first("h1")
    parent = h1.parent if h1 is not None else None
    for _ in range(2):
        if parent is None:
            break
        text = parent.text(deep=True, separator=" ")
        if len(text) < 2000:
            texts.append(clean_line(text))
        parent = parent.parent
    return texts


def _headline_text(node: LexborNode) -> str:
    """The headline without a byline the same element holds (「編集委員　山田太郎」,
    「山田太郎記者」), whether in its own child, after a <br> or after a space."""
    parts = _visible_text(node, separator="\x00").split("\x00")
    kept = parts[:1] + [part for part in parts[1:] if not _BYLINE_PART.match(part)]
    return _TRAILING_BYLINE.sub("", clean_line("".join(kept)))


def _visible_text(node: LexborNode, separator: str = "") -> str:
    """Text without ruby readings (<rt>/<rp>), which would otherwise be glued into the words."""
    if node.css_first("rt, rp") is not None:
        node = node.clone()
        node.strip_tags(["rt", "rp"])
    return clean_line(node.text(deep=True, separator=separator))


def _language(tree: LexborHTMLParser, named: dict[str, str]) -> str | None:
    html = tree.css_first("html")
    attrs = html.attributes if html is not None else {}
    lang = attrs.get("lang") or attrs.get("xml:lang") or named.get("og:locale")
    lang = (lang or named.get("content-language") or "").strip()
    return re.split(r"[-_]", lang)[0].lower() or None if lang else None


def _time_values(tree: LexborHTMLParser) -> list[str]:
    """<time datetime> values: marked publication times first, then those inside the article."""
    marked, in_article, others = [], [], []
    seen: set[int] = set()
    for node in tree.css("article time[datetime], main time[datetime]"):
        seen.add(node.mem_id)
        in_article.append(node)
    for node in tree.css("time[datetime]"):
        attrs = node.attributes
        if "pubdate" in attrs or (attrs.get("itemprop") or "").lower() == "datepublished":
            marked.append(node)
        elif node.mem_id not in seen:
            others.append(node)
    values = []
    for node in (*marked, *in_article, *others):
        value = (node.attributes.get("datetime") or "").strip()
        if value:
            values.append(value)
    return values


def _json_ld_articles(tree: LexborHTMLParser) -> list[dict]:
    """Article-typed JSON-LD objects, including those nested in @graph or lists; best first."""
    found: list[tuple[int, dict]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        if not raw or not raw.strip():
            continue
        try:
            data = json.loads(raw, strict=False)
        except RecursionError:
            continue  # nested deeper than any real JSON-LD: a hostile page
        except ValueError:
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except (ValueError, RecursionError):
                continue
        _collect(data, found, 0)
    found.sort(key=lambda pair: pair[0])
    return [obj for _, obj in found]


def _collect(data: object, found: list[tuple[int, dict]], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _collect(item, found, depth + 1)
        return
    if not isinstance(data, dict):
        return
    types = data.get("@type")
    names = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
    if names & ARTICLE_TYPES:
        rank = 0 if names & {"newsarticle", "reportagenews"} else 1
        found.append((rank, data))
    elif "webpage" in names and isinstance(data.get("datePublished"), str):
        found.append((2, {"datePublished": data["datePublished"]}))
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
        if key in data:
            _collect(data[key], found, depth + 1)
