"""Japanese text to matching terms, on fugashi's fast path.

Tokenizing is the largest CPU cost of the pipeline, so the tagger prints only the
columns we read (POS1-3, surface, lemma), regular expressions pick the tokens,
and each paragraph is normalised once. Each sentence is tagged on its own, so
MeCab never sees a huge input. Terms are NFKC-normalised; sentences keep
their original text for display.

What a term is:
- inflected words (verbs, adjectives) by lemma, so 引き上げた and 引上げ meet;
- common nouns by lemma, which also unifies spelling (こども → 子供);
- proper nouns as written: unidic's lemma for 高市 is タカイチ, and the kanji is
  what both articles and pledges use;
- two adjacent parts of a noun compound (nouns, prefixes, noun suffixes) joined,
  because 日米同盟, 物価高 or 防災庁 mean more than their parts; a pledge's
  longer compound (物価高対策) then matches through its pairs;
- phrases from `lexicon.PHRASES` that the tagger splits across particles: the
  user dictionary, applied after tagging, so it needs no compiled MeCab dictionary.
Words in `lexicon.STOPWORDS`, bare numbers and dates or counts (21日) are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from sys import intern
from typing import NamedTuple

import fugashi

from classifiers.documents import Document, japan_day
from classifiers.lexicon import PHRASES, STOPWORDS
from extractors.text import nfkc

# Only the columns we need, POS first and a line break before each token, so
# regular expressions pick tokens by class in C: a Python loop per token cost
# 60% of the tagger's own time. Unknown words (サナエノミクス, GX) have no lemma
# in unidic-lite, so their surface stands in.
_TAGGER_ARGS = (
    r'-O "" --node-format=\\n%f[0]\\t%f[1]%f[2]\\t%m\\t%f[7]'
    r" --unk-format=\\n%f[0]\\t%f[1]%f[2]\\t%m\\t%m --eos-format="
)
# POS2 and POS3 share a column (固有名詞人名): person names are picked out too.
_PROPER = re.compile(r"\n名詞\t固有名詞([^\t\n]*)\t([^\t\n]+)")
# unidic lemmas of loanwords carry an English gloss (ガソリン-gasoline): cut at "-".
_LEMMA = re.compile(r"\n(?:名詞\t普通名詞|形状詞\t一般|動詞\t一般|形容詞\t一般)[^\t\n]*\t[^\t\n]*\t([^\t\n-]+)")
# Two adjacent tokens of a noun compound: noun, prefix or adjectival noun, then
# noun, noun-like suffix or adjectival noun (物価+高, 日米+同盟, 防災+庁).
_PAIR = re.compile(
    r"\n(?:名詞|接頭辞|形状詞)\t[^\t\n]*\t([^\t\n]*)"
    r"(?=\t[^\n]*\n(?:名詞\t[^\t\n]*|接尾辞\t名詞的[^\t\n]*|形状詞\t[^\t\n]*)\t([^\t\n]*))"
)
_AFFIXES = ("接頭辞", "接尾辞")
_SENTENCE = re.compile(r"[^。！？!?｡\n]*[。！？!?｡]+[」』）)]*|[^。！？!?｡\n]+")
# MeCab crashes on inputs around 1 M characters; a "sentence" this long is a
# table or a dump, and cutting it costs at most a word at the cut.
_MAX_CHUNK = 4000
_LEAD_SENTENCES = 3
# A number with one of these (21日, 3人) is a date or a count, not a topic.
_COUNTER_TEXT = "年 月 日 時 分 秒 歳 人 回 件 期 度 号 位 週 日間 カ月 か月 ヶ月 年度"
_COUNTERS = frozenset(_COUNTER_TEXT.split())


class Sentence(NamedTuple):
    text: str
    section: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    """Everything scoring needs about one article, as plain picklable data, so a
    Dask or Ray worker can tokenize and another can score."""

    id: str
    title: str
    published: datetime | None
    url: str | None
    outlet: str | None
    text: str
    sentences: tuple[Sentence, ...]
    title_counts: dict[str, int] = field(default_factory=dict)
    lead_counts: dict[str, int] = field(default_factory=dict)
    body_counts: dict[str, int] = field(default_factory=dict)
    people: tuple[str, ...] = ()  # person-name words (surnames, given names) as written

    @property
    def day(self) -> date | None:
        return japan_day(self.published)

    def terms(self) -> set[str]:
        return self.title_counts.keys() | self.lead_counts.keys() | self.body_counts.keys()


def split_sentences(text: str) -> list[str]:
    """Sentences end at 。！？ (with closing brackets) or a line break; quotes
    are not tracked, because news quotes usually end at the same 。."""
    out = [s.strip() for s in _SENTENCE.findall(text)]
    return _chunked([s for s in out if s])


def split_pair(original: str, norm: str) -> tuple[list[str], list[str]]:
    """Sentences of a paragraph and of its NFKC form, aligned. NFKC nearly
    always keeps the length (full-width to half-width), and then one split of
    the normalised text gives the original sentences by offset."""
    if norm == original:
        sentences = split_sentences(norm)
        return sentences, sentences
    if len(norm) != len(original):
        originals = split_sentences(original)
        return originals, [nfkc(s) for s in originals]
    originals, norms, offset = [], [], 0
    for part in _SENTENCE.findall(norm):
        size = len(part)
        stripped = part.strip()
        if len(stripped) == size:
            originals.append(original[offset : offset + size])
            norms.append(part)
        elif stripped:
            start = offset + part.index(stripped)
            originals.append(original[start : start + len(stripped)])
            norms.append(stripped)
        offset += size
    if any(len(s) > _MAX_CHUNK for s in norms):
        return _chunked(originals), _chunked(norms)
    return originals, norms


def _chunked(sentences: list[str]) -> list[str]:
    if any(len(s) > _MAX_CHUNK for s in sentences):
        return [s[i : i + _MAX_CHUNK] for s in sentences for i in range(0, len(s), _MAX_CHUNK)]
    return sentences


class Tokenizer:
    """Holds one MeCab tagger; build it through `get_tokenizer()` so a process
    pays the dictionary load (~0.1 s, 65 MiB mapped) once."""

    def __init__(self, phrases: Iterable[str] = PHRASES) -> None:
        self._tagger = fugashi.Tagger(_TAGGER_ARGS)
        keys = sorted({unicodedata.normalize("NFKC", p) for p in phrases}, key=len, reverse=True)
        self._phrases = None
        # A sentence can hold a phrase only if it has one of the phrase's own
        # terms: a set test per sentence instead of a regex search per paragraph.
        self._phrase_terms = frozenset(t for key in keys for t in self.terms(key))
        self._phrases = re.compile("|".join(map(re.escape, keys))) if keys else None

    def terms(self, text: str) -> list[str]:
        """Terms of a short text (a pledge title, a keyword); `analyze` for articles."""
        out: list[str] = []
        for sentence in split_sentences(text):
            out.extend(self._sentence_terms(nfkc(sentence))[0])
        return out

    def compounds(self, text: str) -> list[str]:
        """The noun compounds of a short text as it writes them (食料安全保障,
        物価高): maximal runs of nouns, prefixes and suffixes, numerals aside.
        Terms split a compound into its parts, and a part alone (安全保障) can
        be another subject; scoring asks whether the article has the whole."""
        found: list[str] = []
        for sentence in split_sentences(text):
            run: list[str] = []
            for line in self._tagger.parse(nfkc(sentence)).split("\n"):
                fields = line.split("\t")
                if len(fields) == 4 and (
                    fields[0] in _AFFIXES or (fields[0] == "名詞" and not fields[1].startswith("数詞"))
                ):
                    run.append(fields[2])
                    continue
                if run:
                    found.append("".join(run))
                run = []
            if run:
                found.append("".join(run))
        return [c for c in dict.fromkeys(found) if len(c) >= 2]

    def surname(self, name: str) -> tuple[str, str] | None:
        """(surname, its katakana reading) when unidic tags the name's first word
        as a family name; a pledges file gives only 高市早苗, and a 3-character
        surname (小野寺, 長谷川) must not be cut to two characters."""
        words = self._tagger(unicodedata.normalize("NFKC", name).replace(" ", ""))
        if len(words) >= 2 and words[0].feature.pos4 == "姓":
            return words[0].surface, words[0].feature.kana or ""
        return None

    def analyze(self, doc: Document) -> AnalyzedDocument:
        # Tag every sentence first, then read all the outputs: MeCab's dictionary
        # and the regular expressions take turns in the CPU caches once per
        # article instead of once per sentence (a few percent faster).
        tagged: list[tuple[str, str, str, str]] = []  # section, text, normalised text, output
        normalised: list[str] = []
        paragraphs = [p for p in doc.body.split("\n") if p.strip()]
        for index, paragraph in enumerate([doc.title, *paragraphs]):
            norm = nfkc(paragraph)
            normalised.append(norm)
            originals, norms = split_pair(paragraph, norm)
            outputs = [self._tagger.parse(n) for n in norms]
            # the title; the lead is the first sentences of the first paragraph
            head = _LEAD_SENTENCES if index == 1 else len(originals) if index == 0 else 0
            for number, norm_text in enumerate(norms):
                section = ("title" if index == 0 else "lead") if number < head else "body"
                tagged.append((section, originals[number], norm_text, outputs[number]))
        analyse = self._terms_of
        sentences: list[Sentence] = []
        people: list[str] = []
        bags: dict[str, list[str]] = {"title": [], "lead": [], "body": []}
        for section, text, norm_text, out in tagged:
            terms, names = analyse(out, norm_text)
            if names:
                people += names
            bags[section] += terms
            sentences.append(Sentence(text, section, tuple(terms)))
        return AnalyzedDocument(
            id=doc.id,
            title=doc.title,
            published=doc.published,
            url=doc.url,
            outlet=doc.outlet,
            text="\n".join(normalised),
            sentences=tuple(sentences),
            title_counts=dict(Counter(bags["title"])),
            lead_counts=dict(Counter(bags["lead"])),
            body_counts=dict(Counter(bags["body"])),
            people=tuple(dict.fromkeys(people)),
        )

    def _sentence_terms(self, norm: str) -> tuple[list[str], list[str]]:
        return self._terms_of(self._tagger.parse(norm), norm)

    def _terms_of(self, out: str, norm: str) -> tuple[list[str], list[str]]:
        """Terms and person names of one sentence from its tagger output."""
        terms = _LEMMA.findall(out)
        proper = _PROPER.findall(out)
        people: list[str] = []
        if proper:
            terms += [surface for _, surface in proper]
            people = [surface for kind, surface in proper if kind == "人名"]
        terms += [a + b for a, b in _PAIR.findall(out) if b not in _COUNTERS or not a.isdigit()]
        if self._phrases is not None and not self._phrase_terms.isdisjoint(terms):
            terms += [p for p in self._phrases.findall(norm) if p not in terms]
        stop = STOPWORDS
        # Interned: an article holds each term many times over (in its sentences
        # and counts), and a worker holds thousands of articles; one string per
        # distinct term instead of one per occurrence is most of their memory.
        return [intern(t) for t in terms if t not in stop], people


_TOKENIZER: Tokenizer | None = None


def get_tokenizer() -> Tokenizer:
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = Tokenizer()
    return _TOKENIZER
