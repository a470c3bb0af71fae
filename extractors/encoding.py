"""Byte → text decoding for Japanese pages and feeds.

Order: BOM (unambiguous), HTTP Content-Type charset, <meta charset> /
http-equiv, XML declaration, then detection. A declared charset is only
trusted if the bytes decode strictly with it, because wrong headers are
common (servers defaulting to ISO-8859-1 or UTF-8 for Shift_JIS pages).
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
_HEAD_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# Each label maps to the codecs tried in order: Shift_JIS pages use the
# Windows superset (①, ㈱, NEC/IBM extensions), EUC-JP pages sometimes JIS X 0213.
_JAPANESE_CODECS = {
    "shift_jis": ("cp932",),
    "euc_jp": ("euc_jis_2004", "euc_jp"),
    "iso2022_jp": ("iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"),
    "cp932": ("cp932",),
}
_ALIASES = {
    "sjis": "shift_jis",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "ms_kanji": "shift_jis",
    "csshiftjis": "shift_jis",
    "windows-31j": "cp932",
    "ms932": "cp932",
    "x-ms-cp932": "cp932",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "eucjp": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "csiso2022jp": "iso2022_jp",
}
# Labels that servers send by default; detection wins over them when it finds Japanese.
_WEAK_LABELS = {"latin_1", "iso8859_1", "cp1252", "ascii"}
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANA_PUNCT = re.compile(r"[\u3000-\u303f\u30a0-\u30ff\uff01-\uff5e]")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_SUSPECT = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff\u0080-\u00ff\ufffd]")
_LEGACY_CODECS = ("cp932", "euc_jis_2004", "euc_jp")


def decode_document(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page or feed bytes; returns (text, name of the codec that produced it)."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), name
    if _is_iso2022(data):
        # 7-bit ISO-2022-JP also "decodes" as ASCII/UTF-8, so the escapes must win.
        text, codec, strict = _detect(data)
        if strict:
            return text, codec
    for label in _declared_labels(data, content_type):
        for codec in _codecs_for(label):
            if codec.replace("-", "_") in _WEAK_LABELS and not data.isascii():
                return _weak_or_detected(data, codec)
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    return detect_and_decode(data)


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """Pick the Japanese codec that decodes strictly and yields the most plausible Japanese."""
    text, codec, _ = _detect(data)
    return text, codec


def _weak_or_detected(data: bytes, weak_codec: str) -> tuple[str, str]:
    text, codec, strict = _detect(data)
    if strict and (codec == "utf-8" or japanese_score(text) > 0):
        return text, codec
    return data.decode(weak_codec, errors="replace"), weak_codec


def _is_iso2022(data: bytes) -> bool:
    return b"\x1b" in data and (b"\x1b$B" in data or b"\x1b$@" in data) and data.isascii()


def _detect(data: bytes) -> tuple[str, str, bool]:
    if _is_iso2022(data):
        for codec in _JAPANESE_CODECS["iso2022_jp"]:
            try:
                return data.decode(codec), codec, True
            except UnicodeDecodeError:
                continue
    if data.isascii():
        return data.decode("ascii"), "ascii", True
    try:
        return data.decode("utf-8"), "utf-8", True
    except UnicodeDecodeError:
        pass
    # Broken bytes: score every codec (lenient ones too, with replacement characters), so a
    # UTF-8 page with one bad byte never loses to a legacy codec's strict but garbled decode.
    damaged = data.decode("utf-8", errors="replace")
    best: tuple[float, str, str, bool] = (japanese_score(damaged), damaged, "utf-8", False)
    for codec in _LEGACY_CODECS:
        try:
            text, strict = data.decode(codec), True
        except UnicodeDecodeError:
            text, strict = data.decode(codec, errors="replace"), False
        score = japanese_score(text)
        if score > best[0]:
            best = (score, text, codec, strict)
    return best[1], best[2], best[3]


def japanese_score(text: str) -> float:
    """Plausibility of a decode: real prose is hiragana-rich, mis-decodes give kanji soup."""
    good = 2 * len(_HIRAGANA.findall(text)) + len(_KANA_PUNCT.findall(text))
    kanji = len(_KANJI.findall(text))
    bad = len(_SUSPECT.findall(text))
    return good + 0.5 * kanji - 2 * bad


def _declared_labels(data: bytes, content_type: str | None) -> list[str]:
    labels = []
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header:
            labels.append(header.group(1))
    head = data[:_HEAD_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        declared = pattern.search(head)
        if declared:
            labels.append(declared.group(1).decode("ascii", "replace"))
    return labels


def _codecs_for(label: str) -> tuple[str, ...]:
    key = label.strip().lower()
    try:
        info = codecs.lookup(_ALIASES.get(key, key))
    except LookupError:
        return ()
    # rot13, base64, zlib… are codecs too, but not text encodings: bytes.decode refuses them.
    if not getattr(info, "_is_text_encoding", True):
        return ()
    name = info.name
    if name in ("utf-16", "utf-32"):
        return ()
    return _JAPANESE_CODECS.get(name.replace("-", "_"), (name,))
