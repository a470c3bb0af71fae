"""Feeds and sitemaps → article stubs (URL, title, published, summary).

Handles RSS 2.0, RSS 1.0/RDF, Atom, news sitemaps and sitemap indexes.
Real feeds are sloppy: wrong encoding declarations, HTML entities that
XML does not define, unescaped ampersands, relative links, HTML inside
titles. The stdlib parser reads well-formed input; anything it rejects
goes through a small forgiving tag reader instead of being dropped.
Neither expands DTD entities: DOCTYPEs are removed before parsing, and a
feed that still holds one afterwards (a DOCTYPE hidden inside another) is
refused, so entity-expansion ("billion laughs") and external-entity tricks
have nothing to work with.

Every scan here is linear in the input: searches start past the previous
match and an unterminated construct ends the scan, because a feed of
40,000 unterminated `<!DOCTYPE[` made backtracking expressions run for
minutes. The forgiving reader reads a capped prefix and nests a capped
depth, and a feed yields at most `max_items` items.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import name2codepoint
from urllib.parse import urljoin

from .dates import parse_datetime
from .encoding import decode_document
from .errors import FeedError
from .model import FeedItem, ParsedFeed
from .text import strip_markup
from .urls import is_http_url

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DOCTYPE_START = re.compile(r"<!DOCTYPE", re.I)
_DOCTYPE_STOP = re.compile(r"[\[>]")
_SUBSET_END = re.compile(r"\][ \t\r\n]*+>")
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
MAX_ITEMS = 5000
_MAX_FORGIVING_CHARS = 2_000_000
_MAX_DEPTH = 64
_MAX_ATTRS_CHARS = 4096


def parse_feed(data: bytes, base_url: str, content_type: str | None = None,
               max_items: int = MAX_ITEMS) -> ParsedFeed:
    """Parse feed or sitemap bytes; relative links are resolved against `base_url`.

    Items beyond `max_items` are dropped: a million-item feed cost 93 s and 579 MB."""
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
        return ParsedFeed(kind=kind, title=None, items=_sitemap_items(root, base, max_items))
    channel = _child(root, "channel")
    title_node = _child(channel if channel is not None else root, "title")
    title = _text(title_node) or None
    entries = "entry" if kind == "atom" else "item"
    parents = [root] if channel is None or kind == "rdf" else [channel, root]
    items: list[FeedItem] = []
    for parent in parents:
        for node in parent:
            if len(items) >= max_items:
                break
            if _local(node.tag) == entries:
                item = _entry(node, base, atom=kind == "atom")
                if item is not None:
                    items.append(item)
    return ParsedFeed(kind=kind, title=title, items=items)


def _prepare(text: str) -> str:
    """Remove what the XML parser must never see or cannot take from a str."""
    text = text.lstrip("\ufeff")
    text = _XML_DECL.sub("", text, count=1)  # the bytes are already decoded
    text = _strip_doctypes(text)
    return _ILLEGAL_XML_CHARS.sub("", text)


def _strip_doctypes(text: str) -> str:
    """One linear pass removing every DOCTYPE; what survives it was hidden inside
    another one (`<!DOC<!DOCTYPE a>TYPE …`) and is refused, not stripped again."""
    if not _DOCTYPE_START.search(text):
        return text
    kept: list[str] = []
    position = 0
    while (start := _DOCTYPE_START.search(text, position)) is not None:
        kept.append(text[position : start.start()])
        stop = _DOCTYPE_STOP.search(text, start.end())
        if stop is None:
            raise FeedError("not XML: unterminated DOCTYPE")
        if stop.group() == ">":
            position = stop.end()
            continue
        end = _SUBSET_END.search(text, stop.end())
        if end is None:
            raise FeedError("not XML: unterminated DOCTYPE internal subset")
        position = end.end()
    kept.append(text[position:])
    stripped = "".join(kept)
    if _DOCTYPE_START.search(stripped):
        raise FeedError("refused: a DOCTYPE hidden inside another DOCTYPE")
    return stripped

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


_TAG_NAME = re.compile(r"[A-Za-z_][\w:.\-]*+")
_TAG_END_OR_QUOTE = re.compile(r"[>\"']")
_ATTR = re.compile(r"(?<![\w:.\-])([\w:.\-]++)\s*+=\s*+(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_SKIPPED = (("<!--", "-->"), ("<?", "?>"), ("<!", ">"))


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    cdata: str | None = None
    tag: str | None = None
    close: bool = False
    attrs: str = ""
    empty: bool = False


def _tokens(text: str) -> Iterator[_Token]:
    """Markup tokens in order. Every search starts after the previous token and an
    unterminated construct ends the scan (its terminator cannot appear later
    either), so the work is linear in the text, however it is broken."""
    search = 0
    while (start := text.find("<", search)) >= 0:
        if text.startswith("<![CDATA[", start):
            end = text.find("]]>", start + 9)
            if end < 0:
                return
            yield _Token(start, end + 3, cdata=text[start + 9 : end])
            search = end + 3
            continue
        skipped = next(((o, c) for o, c in _SKIPPED if text.startswith(o, start)), None)
        if skipped is not None:
            end = text.find(skipped[1], start + len(skipped[0]))
            if end < 0:
                return
            yield _Token(start, end + len(skipped[1]))
            search = end + len(skipped[1])
            continue
        close = text.startswith("</", start)
        name = _TAG_NAME.match(text, start + 1 + close)
        if name is None:
            search = start + 1  # a "<" in text
            continue
        position = name.end()
        while (mark := _TAG_END_OR_QUOTE.search(text, position)) is not None and mark.group() != ">":
            quote_end = text.find(mark.group(), mark.end())
            if quote_end < 0:
                return
            position = quote_end + 1
        if mark is None:
            return
        attrs = text[name.end() : mark.start()]
        empty = attrs.endswith("/")
        yield _Token(start, mark.end(), tag=name.group(), close=close, attrs=attrs, empty=empty)
        search = mark.end()


def _forgiving_parse(text: str) -> ET.Element | None:
    """Build a tree from tag soup: unclosed tags are closed by their parent's end tag.

    Reads at most `_MAX_FORGIVING_CHARS`; elements deeper than `_MAX_DEPTH` are
    attached flat, so closing a tag never scans a stack of thousands."""
    text = text[:_MAX_FORGIVING_CHARS]
    root = ET.Element("#document")
    stack = [root]
    position = 0
    for token in _tokens(text):
        _append_text(stack[-1], _unescape(text[position : token.start]))
        position = token.end
        if token.cdata is not None:
            _append_text(stack[-1], token.cdata)
            continue
        tag = token.tag
        if tag is None:
            continue
        if token.close:
            names = [node.tag for node in stack]
            if tag in names[1:]:
                del stack[len(names) - names[::-1].index(tag) - 1 :]
            continue
        attrs = {}
        if len(token.attrs) <= _MAX_ATTRS_CHARS:
            attrs = {k: _unescape(v1 or v2 or v3) for k, v1, v2, v3 in _ATTR.findall(token.attrs)}
        node = ET.SubElement(stack[-1], tag, attrs)
        if not token.empty and len(stack) < _MAX_DEPTH:
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


def _sitemap_items(root: ET.Element, base: str, max_items: int) -> list[FeedItem]:
    items: list[FeedItem] = []
    for node in root:
        if len(items) >= max_items:
            break
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
