"""Headline choice and removal of site suffixes (「 - 産経ニュース」, 「：朝日新聞デジタル」).

Pages state their headline several times (JSON-LD, og:title, <title>,
<h1>), each with its own decoration. The visible <h1> is the one readers
see, so a metadata title that agrees with an <h1> wins; otherwise
JSON-LD's headline, then cleaned og:title / <title>.
"""

from __future__ import annotations

import re
from collections import Counter

from .text import clean_line, squash

# Separators before trailing segments that may name the site.
_SEPARATOR = re.compile(r"\s*[|｜]\s*|\s+[-–—]\s+|\s*：\s*|\s+:\s+|\s+／\s+|\s+[－―]\s+|\s*≪|\s+«\s+")
_SUFFIX = re.compile(rf"(?:{_SEPARATOR.pattern})(?P<suffix>[^|｜：]{{1,60}})$")
_MAX_SUFFIX_SEGMENTS = 3
_SITE_WORDS = re.compile(
    r"(新聞|ニュース|news|デジタル|digital|web|ウェブ|オンライン|online|通信|放送|テレビ|tv"
    r"|\.com|\.jp|\.net|日本版|編集部|magazine|マガジン|公式|ブログ|blog|times|post|プレス|press"
    r"|journal|ジャーナル|経済|日報|タイムス|ch$|\.)",
    re.I,
)
_PREFIX = re.compile(r"^(?P<prefix>[^|｜]{1,40}?)\s*[|｜]\s*")
_MAX_SUFFIX_CHARS = 40
_H1_AGREEMENT = 0.6


def clean_title(title: str, site_names: tuple[str, ...] = (), suffix: re.Pattern | None = None) -> str:
    """Strip trailing site decorations; `suffix` is an outlet rule's own pattern.

    Cuts at the earliest separator after which every segment is short and
    one of them names a site ("見出し | 政治 | 例示新聞", "見出し：地域ニュース : 読売新聞").
    """
    title = clean_line(title)
    if suffix is not None:
        title = clean_line(suffix.sub("", title)) or title
    known = tuple(squash(name).lower() for name in site_names if name)
    separators = list(_SEPARATOR.finditer(title))[-_MAX_SUFFIX_SEGMENTS:]
    for i, sep in enumerate(separators):
        head = clean_line(title[: sep.start()])
        if not head:
            continue
        ends = [s.start() for s in separators[i + 1 :]] + [len(title)]
        starts = [sep.end()] + [s.end() for s in separators[i + 1 :]]
        tails = [clean_line(title[a:b]) for a, b in zip(starts, ends, strict=True)]
        if all(len(t) <= _MAX_SUFFIX_CHARS for t in tails) and any(_looks_like_site(t, known) for t in tails):
            title = head
            break
    m = _PREFIX.match(title)
    if m and title[m.end() :] and _looks_like_site(clean_line(m.group("prefix")), known):
        title = clean_line(title[m.end() :])
    return title


def _looks_like_site(tail: str, known: tuple[str, ...]) -> bool:
    squashed = squash(tail).lower()
    if any(name and (name in squashed or squashed in name) for name in known):
        return True
    return len(tail) <= _MAX_SUFFIX_CHARS and bool(_SITE_WORDS.search(tail))


def shared_suffix_names(titles: list[str]) -> tuple[str, ...]:
    """A trailing segment repeated across a page's title sources is decoration, whatever it says."""
    tails: Counter[str] = Counter()
    for title in titles:
        m = _SUFFIX.search(clean_line(title))
        if m:
            tails[clean_line(m.group("suffix"))] += 1
    return tuple(tail for tail, count in tails.items() if count > 1)


def choose_title(
    metadata_titles: list[str],
    html_title: str | None,
    h1s: list[str],
    site_names: tuple[str, ...],
    suffix: re.Pattern | None = None,
) -> str:
    """Pick the headline; metadata titles come best source first (JSON-LD, og:, twitter:, meta)."""
    raw = [t for t in [*metadata_titles, html_title or ""] if t]
    names = site_names + shared_suffix_names(raw)
    # An older layout's og:title is often the site's name alone: that is no headline.
    known = {squash(name).lower() for name in names}
    raw = [t for t in raw if squash(t).lower() not in known]
    cleaned = [t for t in (clean_title(t, names, suffix) for t in raw) if t]
    by_squash = {squash(t): t for t in reversed(cleaned)}
    raw_squashed = {squash(t) for t in raw}
    for h1 in h1s:
        match = by_squash.get(squash(h1))
        if match:
            return match
        if squash(h1) in raw_squashed:
            return h1
    if not cleaned:
        return next((h for h in h1s if len(h) > 1), "")
    reference = cleaned[0]
    best_h1 = max(h1s, key=lambda h: _overlap(h, reference), default="")
    if best_h1 and _overlap(best_h1, reference) >= _H1_AGREEMENT:
        return best_h1
    return reference


def _overlap(a: str, b: str) -> float:
    """F1 of the two strings' character multisets: tolerant of reordered or shortened headlines."""
    ca, cb = Counter(squash(a)), Counter(squash(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    return 2 * common / (sum(ca.values()) + sum(cb.values()))
