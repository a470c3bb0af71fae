"""Article body extraction by structure and text density, without outlet knowledge.

One walk over the DOM turns it into text blocks (paragraph-like runs of
text, each remembering its block-level ancestors). Blocks that look like
prose vote for their parent and grandparent; the best-voted element and
its strong siblings form the article container, and the blocks inside it
that are not boilerplate become the body. Boilerplate is recognised by
tag (nav, aside, figcaption…), by class/id words (related, share, ranking,
caption…), by link density and by the wording of paywall and
「関連記事」 notices, never by site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .text import clean_block

SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "video", "audio", "picture", "img", "button", "select", "textarea", "input",
        "label", "nav", "aside", "footer", "header", "figcaption", "head", "title",
        "meta", "link", "map", "dialog", "h1",
    }
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h2", "h3",
        "h4", "h5", "h6", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td",
        "th", "figure", "address", "center", "form", "fieldset", "details", "summary", "body",
        "hr", "caption",
    }
)  # fmt: skip
_RUBY_ANNOTATIONS = frozenset({"rt", "rp"})
# Line breaks in the HTML source are layout, not text: only <br> and blocks break lines.
_SOURCE_WHITESPACE = str.maketrans("\n\r\t", "   ")
# Formatting tags are not classified: furniture lives in containers, and skipping the
# attribute lookup on every <a>/<span> is most of the walk's speed.
_INLINE_TAGS = frozenset(
    {"a", "span", "b", "strong", "em", "i", "u", "s", "small", "big", "font", "sup", "sub",
     "time", "abbr", "cite", "q", "code", "mark", "rb", "wbr", "bdi", "bdo", "del", "ins", "kbd",
     "var", "dfn", "tt", "nobr"}
)  # fmt: skip
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Owners whose votes go to their parent; text sitting directly in a wrapper votes for it.
PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "pre", "td", "th"}) | HEADINGS

# Class/id words (split on space, "-" and "_") that mark page furniture.
_NEGATIVE_WORDS = frozenset(
    {
        "related", "relation", "recommend", "recommended", "recommendation", "ranking", "rank",
        "popular", "pickup", "breadcrumb", "breadcrumbs", "comment", "comments", "sidebar",
        "widget", "newsletter", "caption", "captions", "figcaption", "credit", "share", "sharing",
        "sns", "social", "banner", "advertisement", "advert", "sponsor", "sponsored", "promo",
        "paywall", "subscribe", "subscription", "signup", "login", "footer", "navigation",
        "navbar", "nav", "gnav", "menu", "pagination", "pager", "tags", "tagcloud",
        "modal", "popup", "toolbar", "byline", "author", "profile", "kanren", "osusume",
        "backnumber", "bookmark", "follow", "trending",
        "pubdate", "postdate", "dateline", "timestamp", "tooltip",
    }
)  # fmt: skip
# Whole class tokens too short or ambiguous to match as part of a compound word.
_NEGATIVE_TOKENS = frozenset({"ad", "ads", "pr", "adsbygoogle", "header", "head", "date", "info", "hidden", "tag"})
_POSITIVE_WORDS = frozenset(
    {"article", "body", "content", "contents", "entry", "main", "post", "story", "text", "honbun",
     "detail", "news"}
)  # fmt: skip


def _tag_ids(names: frozenset[str]) -> dict[str, int]:
    """Lexbor's numeric ids of standard tags; comparing ints keeps the walk fast."""
    doc = LexborHTMLParser("")
    return {name: doc.create_node(name).tag_id for name in names}


_ALL_TAGS = SKIP_TAGS | BLOCK_TAGS | _INLINE_TAGS | _RUBY_ANNOTATIONS | {"br", "ruby", "a"}
_IDS = _tag_ids(_ALL_TAGS)


def _first_child_tag(html: str) -> int:
    """Lexbor's id for a node kind, read off a tiny document."""
    paragraph = LexborHTMLParser(html).css_first("p")
    assert paragraph is not None and paragraph.first_child is not None
    return paragraph.first_child.tag_id


_TEXT = _first_child_tag("<p>x</p>")
_COMMENT = _first_child_tag("<p><!--x--></p>")
_BR, _RUBY, _A = _IDS["br"], _IDS["ruby"], _IDS["a"]
_SKIP_IDS = frozenset({_IDS[n] for n in SKIP_TAGS} | {_COMMENT})
_BLOCK_IDS = {_IDS[n]: n for n in BLOCK_TAGS}
_INLINE_IDS = frozenset(_IDS[n] for n in _INLINE_TAGS)
_RUBY_ANNOTATION_IDS = frozenset(_IDS[n] for n in _RUBY_ANNOTATIONS)
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_PROTECTED_TAGS = frozenset({"body", "main", "article"})

_PUNCTUATION = re.compile(r"[、。，．,.!?！？]")
_BOILERPLATE = re.compile(
    r"^(?:【?関連記事|【?関連ニュース|関連リンク|あわせて読みたい|合わせて読みたい|おすすめ記事"
    r"|この記事を読んだ人|こちらもおすすめ|続きを読む|(?:有料)?会員限定"
    r"|無断転載|Copyright|©|\(c\)|（c）|\[?PR\]?$|広告$|シェア|ツイート|印刷$)",
    re.I,
)
_PAYWALL = re.compile(
    r"(有料会員|会員登録|ログインして|ログインする|購読する|無料で読める|登録すると|読み放題"
    r"|会員になると|有料記事|会員限定|会員向け|会員の方)"
)
_CLASS_FACTOR = {-1: 0.5, 1: 1.25}
_DATELINE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}|\d{1,2}:\d{2}")
_DATELINE_MAX = 40
# Blocks after which only author boxes, paywall offers and furniture follow.
_END_MARKERS = re.compile(
    r"^(?:この記事を書いた人|この記事の(?:筆者|著者)|(?:筆者|著者|執筆者)(?:紹介|プロフィール)"
    r"|この記事は(?:有料|会員限定|有料会員限定)|この続きは|続きを読むには|残り\d+文字)"
)
# A body does not end with a short label ("社会の新着", "関連キーワード"): those are list headings.
_TRAILING_LABEL_MAX = 20
_SENTENCE_MARKS = re.compile(r"[。！？!?」、.]")
_MIN_VOTE_CHARS = 25
_SHORT_NOTICE = 80
# Japanese papers link place and topic names inside prose, so <p> tolerates dense links.
_MAX_LINK_DENSITY_P = 0.8


@dataclass
class Block:
    """A run of text owned by one block-level element."""

    text: str
    link_chars: int
    tag: str
    ancestors: tuple[int, ...]  # mem_ids of enclosing block elements, outermost first

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


@dataclass
class _Walk:
    blocks: list[Block]
    parts: list[str]
    link_chars: int
    stack: list[int]
    tags: list[str]
    weights: dict[int, int]


def classify(node: LexborNode) -> int | None:
    """None for furniture (navigation, sharing, related links, captions, ads…), else -1/0/+1.

    <body>, <main> and <article> are never furniture: their classes often carry page state.
    """
    attrs = node.attributes
    cls = attrs.get("class") or ""
    ident = attrs.get("id") or ""
    if not cls and not ident:
        hidden = attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true"
        return None if hidden else 0
    raw = f"{cls} {ident}".lower()
    words = set(_WORD_SPLIT.split(raw))
    negative = bool(_NEGATIVE_WORDS.intersection(words) or _NEGATIVE_TOKENS.intersection(raw.split()))
    if negative and node.tag not in _PROTECTED_TAGS:
        return None
    if negative:
        return -1
    return 1 if _POSITIVE_WORDS.intersection(words) else 0


def walk_blocks(root: LexborNode) -> tuple[list[Block], dict[int, int]]:
    """Flatten `root` into text blocks in document order, skipping furniture subtrees.

    Also returns the class/id bonus of every block element that has one.
    """
    state = _Walk(blocks=[], parts=[], link_chars=0, stack=[], tags=[], weights={})
    state.stack.append(root.mem_id)
    state.tags.append(root.tag or "")
    _walk_children(root, state, in_link=False)
    _flush(state)
    return state.blocks, state.weights


def _flush(state: _Walk) -> None:
    if not state.parts:
        return
    raw = "".join(state.parts)
    state.parts = []
    if raw.isspace():
        state.link_chars = 0
        return
    text = clean_block(raw)
    if text:
        state.blocks.append(Block(text, state.link_chars, state.tags[-1], tuple(state.stack)))
    state.link_chars = 0


@dataclass(slots=True)
class _Frame:
    """One element being walked: the explicit stack replaces recursion, so a page
    nested thousands of elements deep cannot exhaust Python's call stack."""

    children: Iterator[LexborNode]
    in_link: bool
    ruby_text: bool
    block: bool
    previous_br: bool = False


def _walk_children(root: LexborNode, state: _Walk, in_link: bool, ruby_text: bool = False) -> None:
    frames = [_Frame(root.iter(include_text=True), in_link, ruby_text, block=False)]
    while frames:
        frame = frames[-1]
        child = next(frame.children, None)
        if child is None:
            frames.pop()
            if frame.block:
                _flush(state)
                state.stack.pop()
                state.tags.pop()
            continue
        tid = child.tag_id
        if tid == _TEXT:
            text = child.text_content
            if text:
                text = text.translate(_SOURCE_WHITESPACE)
                state.parts.append(text)
                if not text.isspace():
                    frame.previous_br = False
                    if frame.in_link:
                        state.link_chars += len(text.strip())
            continue
        if tid == _BR:
            if frame.previous_br:
                _flush(state)
            else:
                state.parts.append("\n")
            frame.previous_br = True
            continue
        frame.previous_br = False
        if tid in _RUBY_ANNOTATION_IDS:
            if frame.ruby_text:
                frames.append(_Frame(child.iter(include_text=True), frame.in_link, True, block=False))
            continue
        if tid in _SKIP_IDS:
            continue
        weight = 0 if tid in _INLINE_IDS else classify(child)
        if weight is None:
            continue
        if tid in _BLOCK_IDS:
            _flush(state)
            if weight:
                state.weights[child.mem_id] = weight
            state.stack.append(child.mem_id)
            state.tags.append(_BLOCK_IDS[tid])
            frames.append(_Frame(child.iter(include_text=True), frame.in_link, frame.ruby_text, block=True))
        elif tid == _RUBY:
            # <rp> asks non-ruby readers to show "漢字（よみ）"; without it, drop readings.
            frames.append(_Frame(child.iter(include_text=True), frame.in_link, child.css_first("rp") is not None,
                                 block=False))
        else:
            frames.append(_Frame(child.iter(include_text=True), frame.in_link or tid == _A, frame.ruby_text,
                                 block=False))


def _vote(block: Block) -> float:
    text = block.text
    return 1 + len(_PUNCTUATION.findall(text)) + min(len(text) / 40, 3)


def choose_container(blocks: list[Block], weights: dict[int, int]) -> tuple[set[int], int | None]:
    """Pick the element (and its strong siblings) that holds the article's prose.

    Returns the chosen elements and, when siblings were merged, their parent: short
    blocks under that parent lying between chosen siblings (subheads, one-line
    paragraphs that were too short to vote) belong to the article too.
    """
    scores: dict[int, float] = {}
    parents: dict[int, int | None] = {}
    depths: dict[int, int] = {}
    for block in blocks:
        if len(block.text) < _MIN_VOTE_CHARS or block.link_density > 0.35:
            continue
        vote = _vote(block) * (1 - block.link_density)
        chain = block.ancestors if block.tag not in PARAGRAPH_TAGS else block.ancestors[:-1]
        for level, element in enumerate(reversed(chain[-3:])):
            scores[element] = scores.get(element, 0.0) + vote / (1 + level)
        for i in range(max(len(chain) - 3, 0), len(chain)):
            parents[chain[i]] = chain[i - 1] if i else None
            depths[chain[i]] = i
    if not scores:
        return set(), None
    for element, weight in weights.items():
        if element in scores:
            scores[element] *= _CLASS_FACTOR[weight]
    top = max(scores, key=lambda e: (scores[e], depths[e]))
    threshold = max(10.0, scores[top] * 0.2)
    chosen = {top}
    parent = parents.get(top)
    if parent is not None:
        chosen.update(e for e, s in scores.items() if e != top and s >= threshold and parents.get(e) == parent)
    return chosen, parent if len(chosen) > 1 else None


def body_paragraphs(blocks: list[Block], containers: set[int] | None, span_parent: int | None = None) -> list[str]:
    """Keep the prose blocks under the container(s); drop link lists and notices."""
    paragraphs: list[str] = []
    inside = [containers is None or bool(containers.intersection(b.ancestors)) for b in blocks]
    if span_parent is not None and any(inside):
        first, last = inside.index(True), len(inside) - 1 - inside[::-1].index(True)
        for i in range(first, last):
            inside[i] = inside[i] or span_parent in blocks[i].ancestors
    for block, keep in zip(blocks, inside, strict=True):
        if not keep:
            continue
        text = block.text
        if _END_MARKERS.match(text):
            break
        if len(text) <= _DATELINE_MAX and "。" not in text and _DATELINE.search(text):
            continue
        if block.link_density > (_MAX_LINK_DENSITY_P if block.tag == "p" else 0.5):
            continue
        if _BOILERPLATE.match(text) or (len(text) < _SHORT_NOTICE and _PAYWALL.search(text)):
            continue
        paragraphs.extend(part for part in text.split("\n\n") if part)
    while paragraphs and _is_label(paragraphs[-1]):
        paragraphs.pop()
    return paragraphs


def _is_label(text: str) -> bool:
    return len(text) <= _TRAILING_LABEL_MAX and not _SENTENCE_MARKS.search(text)
