"""Whitespace and markup clean-up shared by page and feed extraction.

Text is kept as written (no NFKC): the tokenizer and duplicate detection
normalise their own copies (`nfkc`), and moderators see the original characters.
"""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\ufeff]+")
_ANY_SPACE = re.compile(r"\s+")
_SPACES_BUT_IDEOGRAPHIC = re.compile(r"[^\S\u3000]+")
# A tag ends at the next ">" and cannot span a "<": thousands of unclosed "<a" in a
# feed title would otherwise make each match scan to the end of the text.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|dd|dt)\b[^<>]*>", re.I
)
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


def clean_line(text: str) -> str:
    """Collapse runs of spaces; U+3000 inside text is kept, it separates parts of headlines."""
    return _SPACES.sub(" ", text).strip(" \t\n\r\u3000")


def clean_block(text: str) -> str:
    """Clean each line of a block and drop empty ones; line breaks from <br> survive."""
    if "\n" not in text:
        return clean_line(text)
    lines = (clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def squash(text: str) -> str:
    """Whitespace-insensitive form used to compare candidate strings."""
    return _ANY_SPACE.sub("", text)


def strip_markup(text: str) -> str:
    """Turn an HTML snippet (feed titles, JSON-LD fields) into one line of plain text."""
    if "<" in text:
        # Inline tags join words (Japanese has no spaces); block tags separate them.
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return clean_line(_SPACES_BUT_IDEOGRAPHIC.sub(" ", text))


_WIDE = re.compile("[\uff01-\uff5e\u3000]+")
_WIDE_TO_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def nfkc(text: str) -> str:
    """NFKC, fast for Japanese news: its usual compatibility characters are
    full-width ASCII (ＧＤＰ, ２％, ！) and the ideographic space, which map one
    to one; `unicodedata.normalize` on a paragraph holding any of them costs
    ~95 ns a character, this ~35. Anything else takes the full normalisation."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _WIDE.sub(lambda m: m.group().translate(_WIDE_TO_ASCII), text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
