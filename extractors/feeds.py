"""Feeds and sitemaps → article stubs (URL, title, published, summary).

Handles RSS 2.0, RSS 1.0/RDF, Atom, news sitemaps and sitemap indexes.
Real feeds are sloppy: wrong encoding declarations, HTML entities that
XML does not define, unescaped ampersands, relative links, HTML inside
titles. The stdlib parser reads well-formed input; anything it rejects
goes through a small forgiving tag reader instead of being dropped.
Neither expands DTD entities: DOCTYPEs are removed before parsing, so
entity-expansion ("billion laughs") and external-entity tricks have
nothing to work with.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.entities import name2codepoint
from urllib.parse import urljoin

from .dates import parse_datetime
from .encoding import decode_document
from .errors import FeedError
from .model import FeedItem, ParsedFeed
from .text import strip_markup
from .urls import is_http_url

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DOCTYPE = re.compile(r"<!DOCTYPE(?:[^\[>]*\[.*?\]\s*>|[^>]*>)", re.I | re.S)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_KINDS = {
    "rss": "rss",
    "RDF": "rdf",
    "rdf": "rdf",
    "feed": "atom",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
}
_MAX_SUMMARY = 2000


def parse_feed(data: bytes, base_url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse feed or sitemap bytes; relative links are resolved against `base_url`."""
    if not data or not data.strip():
        raise FeedError("not XML: empty document")
    text, _ = decode_document(data, content_type)
    text = _prepare(text)
    if not text.lstrip().startswith("<"):
        raise FeedError(f"not XML: document starts with {text.lstrip()[:20]!r}")
    root = _parse_xml(text)
    kind = _KINDS.get(_local(root.tag))
    if kind is None:
        raise FeedError(f"unknown root element <{_local(root.tag)}>")
    base = _base(root, base_url)
    if kind in ("sitemap", "sitemapindex"):
        return ParsedFeed(kind=kind, title=None, items=_sitemap_items(root, base))
    channel = _child(root, "channel")
    title_node = _child(channel if channel is not None else root, "title")
    title = _text(title_node) or None
    entries = "entry" if kind == "atom" else "item"
    parents = [root] if channel is None or kind == "rdf" else [channel, root]
    items = []
    for parent in parents:
        for node in parent:
            if _local(node.tag) == entries:
                item = _entry(node, base, atom=kind == "atom")
                if item is not None:
                    items.append(item)
    return ParsedFeed(kind=kind, title=title, items=items)


def _prepare(text: str) -> str:
    """Remove what the XML parser must never see or cannot take from a str."""
    text = text.lstrip("\ufeff")
    text = _XML_DECL.sub("", text, count=1)  # the bytes are already decoded
    text = _DOCTYPE.sub("", text)
    return _ILLEGAL_XML_CHARS.sub("", text)


def _parse_xml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        pass
    repaired = _BARE_AMPERSAND.sub("&amp;", _NAMED_ENTITY.sub(_entity_to_ref, text))
    try:
        return ET.fromstring(repaired)
    except ET.ParseError:
        root = _forgiving_parse(repaired)
    if root is None:
        raise FeedError("not XML: no elements found")
    return root


def _entity_to_ref(match: re.Match) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    code = name2codepoint.get(name)
    return f"&#{code};" if code else f"&amp;{name};"


_TOKEN = re.compile(
    r"<!\[CDATA\[(?P<cdata>.*?)\]\]>|<!--.*?-->|<\?.*?\?>|<!.*?>"
    r"|<(?P<close>/)?(?P<tag>[A-Za-z_][\w:.\-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?P<empty>/)?>",
    re.S,
)
_ATTR = re.compile(r"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")


def _forgiving_parse(text: str) -> ET.Element | None:
    """Build a tree from tag soup: unclosed tags are closed by their parent's end tag."""
    root = ET.Element("#document")
    stack = [root]
    position = 0
    for match in _TOKEN.finditer(text):
        _append_text(stack[-1], _unescape(text[position : match.start()]))
        position = match.end()
        if match.group("cdata") is not None:
            _append_text(stack[-1], match.group("cdata"))
            continue
        tag = match.group("tag")
        if tag is None:
            continue
        if match.group("close"):
            names = [node.tag for node in stack]
            if tag in names[1:]:
                del stack[len(names) - names[::-1].index(tag) - 1 :]
            continue
        attrs = {k: _unescape(v1 or v2 or v3) for k, v1, v2, v3 in _ATTR.findall(match.group("attrs"))}
        node = ET.SubElement(stack[-1], tag, attrs)
        if not match.group("empty"):
            stack.append(node)
    _append_text(stack[-1], _unescape(text[position:]))
    return next(iter(root), None)


def _append_text(node: ET.Element, text: str) -> None:
    if not text:
        return
    children = list(node)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return re.sub(r"&#(\d+);|&#x([0-9A-Fa-f]+);|&(amp|lt|gt|quot|apos);", _reference, text)


def _reference(match: re.Match) -> str:
    decimal, hexa, named = match.groups()
    try:
        if decimal:
            return chr(int(decimal))
        if hexa:
            return chr(int(hexa, 16))
    except (ValueError, OverflowError):
        return ""
    return {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}[named]


def _local(tag: str) -> str:
    """Namespace-free element name, for both '{uri}name' (expat) and 'prefix:name' (tag soup)."""
    if tag.startswith("{"):
        return tag.rsplit("}", 1)[-1]
    return tag.rsplit(":", 1)[-1]


def _child(node: ET.Element | None, name: str) -> ET.Element | None:
    """Direct child first; a descendant when a broken feed left an element unclosed above it."""
    if node is None:
        return None
    for child in node:
        if _local(child.tag) == name:
            return child
    for descendant in node.iter():
        if descendant is not node and _local(descendant.tag) == name:
            return descendant
    return None


def _children(node: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in node if _local(child.tag) == name]


def _attr(node: ET.Element, name: str) -> str | None:
    for key, value in node.attrib.items():
        if _local(key) == name:
            return value
    return None


def _text(node: ET.Element | None) -> str:
    """Element text as plain text: HTML inside titles (escaped or not) is stripped, entities decoded."""
    if node is None:
        return ""
    return strip_markup("".join(node.itertext()))


def _base(root: ET.Element, base_url: str) -> str:
    declared = _attr(root, "base")
    return urljoin(base_url, declared) if declared else base_url


def _resolve(url: str | None, base: str) -> str | None:
    if not url or not url.strip():
        return None
    absolute = urljoin(base, url.strip())
    return absolute if is_http_url(absolute) else None


def _entry(node: ET.Element, base: str, atom: bool) -> FeedItem | None:
    url = _entry_url(node, base, atom)
    if url is None:
        return None
    title = _text(_child(node, "title")) or None
    published = None
    for name in ("pubDate", "published", "date", "issued", "created", "updated", "modified"):
        value = _text(_child(node, name))
        published = parse_datetime(value) if value else None
        if published is not None:
            break
    summary = None
    for name in ("description", "summary", "encoded", "content"):
        summary = _text(_child(node, name))[:_MAX_SUMMARY] or None
        if summary:
            break
    return FeedItem(url=url, title=title, published=published, summary=summary)


def _entry_url(node: ET.Element, base: str, atom: bool) -> str | None:
    if atom:
        links = _children(node, "link")
        preferred = [n for n in links if (_attr(n, "rel") or "alternate") == "alternate"]
        for link in preferred or links:
            url = _resolve(_attr(link, "href"), base)
            if url:
                return url
        return _resolve(_text(_child(node, "id")), base)
    for candidate in (
        _text(_child(node, "link")),
        _attr(node, "about"),
        _text(_child(node, "guid")),
    ):
        url = _resolve(candidate, base)
        if url:
            return url
    return None


def _sitemap_items(root: ET.Element, base: str) -> list[FeedItem]:
    items = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        url = _resolve(_text(_child(node, "loc")), base)
        if url is None:
            continue
        news = _child(node, "news")
        title = (_text(_child(news, "title")) or None) if news is not None else None
        published = None
        for source in (_child(news, "publication_date"), _child(node, "lastmod")):
            value = _text(source)
            published = parse_datetime(value) if value else None
            if published is not None:
                break
        items.append(FeedItem(url=url, title=title, published=published, summary=None))
    return items
