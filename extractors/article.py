"""Page → article: the one entry point the crawler and the demo site use.

The page is parsed once. An outlet rule (matched by exact host) is tried
first; when it finds no body the generic extractor takes over and the
rule string records the fallback ("asahi@1→generic"), so broken rules show
up in the extraction stats instead of silently losing articles.
"""

from __future__ import annotations

import re
from codecs import BOM_UTF8
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from .content import body_paragraphs, choose_container, walk_blocks
from .dates import parse_datetime, parse_time_of_day, states_utc
from .encoding import decode_document
from .errors import ExtractionError
from .metadata import PageMetadata, date_text_candidates, read_metadata
from .model import ExtractedArticle
from .rules import OutletRule, rules_for
from .text import clean_block, squash
from .title import choose_title
from .urls import canonicalize_url, is_http_url, resolve_url, same_site

_FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S)
_MIN_DOM_BODY = 200
_MIN_BODY = 50
_MISLABELLED_JST = timedelta(hours=9)


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    use_rules: bool = True,
    aliases: tuple[str, ...] = (),
) -> ExtractedArticle:
    """Extract title, body, time and canonical URL from the page alone (what its
    feed said is added once, when the crawl makes the record: `crawling.articles`).
    Bytes are decoded here (`decode_document`), the crawler's path; a str is
    taken as already decoded.

    A canonical URL or og:url is accepted only on the page's own registrable
    domain or on one of `aliases` (the source's declared other domains): a page
    claiming another site's URL would make that site's real article count as known."""
    source: str | bytes = html
    if isinstance(html, bytes):
        raw = html
        html, codec = decode_document(raw, content_type)
        if codec != "utf-8" or raw.startswith(BOM_UTF8) or "\ufffd" in html:
            # Lexbor reads bytes as UTF-8; only clean UTF-8 skips the re-encoding of the text.
            source = html
    if not isinstance(html, str):
        raise ExtractionError(f"not HTML: expected str or bytes, got {type(html).__name__}")
    if "<" not in html:
        raise ExtractionError("not HTML: no markup in the document")
    feed_root = _FEED_ROOT.match(html[:2000])
    if feed_root:
        raise ExtractionError(f"not HTML: document is a feed (<{feed_root.group(1)}>)")
    tree = LexborHTMLParser(source)
    if tree.body is None:
        raise ExtractionError("not HTML: no <body>")
    meta = read_metadata(tree)
    rules = rules_for(url) if use_rules else []
    paragraphs, rule_used = _rule_body(tree, rules)
    if rule_used is not None:
        rule_id = rule_used.id
    else:
        paragraphs = _generic_body(tree, meta)
        rule_id = f"{rules[0].id}→generic" if rules else "generic"
    rule = rule_used or (rules[0] if rules else None)
    site_names = tuple(n for n in (rule.outlet if rule else None, meta.site_name) if n)
    title = choose_title(meta.titles, meta.html_title, meta.h1s, site_names, rule.suffix_pattern if rule else None)
    if paragraphs and title and squash(paragraphs[0]) == squash(title):
        paragraphs = paragraphs[1:]
    article = ExtractedArticle(
        url=_canonical_url(meta, url, aliases),
        title=title,
        body="\n\n".join(paragraphs),
        published=_published(tree, meta, rule),
        lang=meta.lang,
        outlet=(rule.outlet if rule else None) or meta.site_name or _host(url),
        rule=rule_id,
    )
    if not article.title and not article.body:
        raise ExtractionError("no title and no body found in the page")
    return article


def _rule_body(tree: LexborHTMLParser, rules: list[OutletRule]) -> tuple[list[str], OutletRule | None]:
    for rule in rules:
        for selector in rule.body:
            containers = tree.css(selector)
            if not containers:
                continue
            blocks = []
            for container in containers:
                for excluded in rule.exclude:
                    for node in container.css(excluded):
                        node.decompose()
                blocks.extend(walk_blocks(container)[0])
            paragraphs = body_paragraphs(blocks, None)
            if paragraphs:
                return paragraphs, rule
    return [], None


def _generic_body(tree: LexborHTMLParser, meta: PageMetadata) -> list[str]:
    assert tree.body is not None  # extract_article refuses a page without one
    blocks, weights = walk_blocks(tree.body)
    paragraphs = body_paragraphs(blocks, *choose_container(blocks, weights))
    if meta.ld_body and sum(map(len, paragraphs)) < min(_MIN_DOM_BODY, len(meta.ld_body)):
        # Script-rendered pages: the DOM holds a teaser, JSON-LD the whole text.
        paragraphs = [p for p in clean_block(meta.ld_body).split("\n") if p]
    if sum(map(len, paragraphs)) < _MIN_BODY and meta.description:
        # Paywalled pages keep only a lead in the DOM; the page's own summary says more.
        paragraphs = [meta.description]
    return paragraphs


def _published(tree: LexborHTMLParser, meta: PageMetadata, rule: OutletRule | None) -> datetime | None:
    """Rule's own sources first; then published metadata, <time>, modified metadata, visible text.

    Modified metadata ranks above visible text: text dates are often those of
    neighbouring articles, and an unchanged article carries modified = published.
    A machine-readable time exactly nine hours from the visible dateline is
    Japanese wall time mislabelled as UTC ("…Z", "+00:00"): the dateline decides.
    """
    sources: list[list[str]] = []
    if rule is not None:
        sources.append(_rule_date_values(tree, meta, rule))
    sources += [meta.published, meta.time_elements, meta.modified]
    label, machine = next(((value, parsed) for values in sources for value in values
                           if (parsed := parse_datetime(value)) is not None), ("", None))
    if machine is None:
        visible = date_text_candidates(tree, meta)
        return next((parsed for value in visible if (parsed := parse_datetime(value)) is not None), None)
    if not states_utc(label):
        # Only a UTC label can be the slip; the visible texts are not read (most of a page's date cost).
        return machine
    visible = date_text_candidates(tree, meta)
    dateline = next((parsed for value in visible if (parsed := parse_time_of_day(value)) is not None), None)
    if dateline is not None and abs(machine - dateline) == _MISLABELLED_JST:
        return dateline
    return machine


def _rule_date_values(tree: LexborHTMLParser, meta: PageMetadata, rule: OutletRule) -> list[str]:
    values: list[str] = []
    for source in rule.date_source:
        if source == "jsonld":
            values.extend(meta.ld_published)
        elif source == "meta":
            values.extend(meta.meta_published)
        elif source == "time":
            values.extend(meta.time_elements)
        elif source.startswith("meta:"):
            node = tree.css_first(f'meta[property="{source[5:]}"], meta[name="{source[5:]}"]')
            if node is not None:
                values.append(node.attributes.get("content") or "")
        elif source.startswith("css:"):
            node = tree.css_first(source[4:])
            if node is not None:
                attrs = node.attributes
                values.append(attrs.get("datetime") or attrs.get("content") or node.text())
    return values


def _canonical_url(meta: PageMetadata, url: str | None, aliases: tuple[str, ...]) -> str | None:
    for candidate in (meta.canonical, meta.og_url):
        resolved = resolve_url(candidate, url)
        if resolved and (url is None or same_site(resolved, url, aliases)):
            return resolved
    return canonicalize_url(url) if url and is_http_url(url) else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
