"""The pledge side of matching: one weighted term vector per pledge.

A pledge's title and keywords say what it is about; its description adds
context words; articles a moderator approved as its activities add the words
news actually uses for it. Weights are multiplied by an IDF over the pledges
themselves, because what must be told apart is one pledge from another: a
term every pledge shares (無償化 in four of them) decides little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse

from catalog.model import Catalog, Pledge
from classifiers.tokenize import AnalyzedDocument, Tokenizer
from classifiers.vectors import word_vectors

TITLE_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 0.6
ACTIVITY_WEIGHT = 0.3
# A title's parenthesised asides mostly say when and where it was promised
# (2025年参院選公約、要約) or give a second name; they count, but far less than
# what is promised, or they dilute a report's coverage and match election news.
ASIDE_WEIGHT = 0.3
_ASIDE = re.compile(r"[（(]([^（）()]*)[）)]")


@dataclass(frozen=True)
class PledgeIndex:
    pledges: tuple[Pledge, ...]
    vocabulary: dict[str, int]
    weights: sparse.csr_matrix  # pledges × vocabulary, rows sum to 1
    core: sparse.csr_matrix  # title and keyword terms only, rows sum to 1
    keywords: tuple[tuple[str, ...], ...]  # NFKC keyword phrases per pledge
    politician_of: np.ndarray  # politician index per pledge
    politicians: tuple[str, ...]
    roles_known: np.ndarray  # 1.0 per pledge whose politician has a roles table
    has_keywords: np.ndarray
    has_description: np.ndarray

    terms: tuple[str, ...]  # vocabulary in column order
    bigrams: tuple[frozenset[str], ...] = ()  # character bigrams of each NFKC title
    compounds: tuple[tuple[str, ...], ...] = ()  # noun compounds of each NFKC title (Tokenizer.compounds)
    meaning: np.ndarray | None = None  # pledges × dimensions: unit centroid of the title's word vectors
    # per pledge: approved activities' unit centroids (activities × dimensions) and each one's group
    activities: tuple[np.ndarray, ...] = ()
    activity_groups: tuple[tuple[str, ...], ...] = ()

    # each pledge's vocabulary columns, heaviest first, one run per pledge: ranked once when the index
    # is built, as every scored pair asks which of its pledge's terms matched
    ranked: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ranked_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))

    def ranked_terms(self, row: int) -> tuple[str, ...]:
        """The pledge's terms, heaviest first."""
        return tuple(self.terms[j] for j in self.ranked[self.ranked_starts[row] : self.ranked_starts[row + 1]])

    @cached_property
    def core_by_term(self) -> sparse.csr_matrix:
        """`core` transposed (vocabulary × pledges), made once: every batch's
        gate multiplies by it."""
        return sparse.csr_matrix(self.core.T)

    @cached_property
    def core_sizes(self) -> np.ndarray:
        """How many title and keyword terms each pledge has: one shared word
        covers a short title as much as several cover a long one, and the
        model needs the sizes to tell them apart."""
        return np.diff(self.core.indptr)

    @cached_property
    def core_ones(self) -> sparse.csr_matrix:
        """`core` with every weight 1, so a pair's value counts the pledge's
        terms the article has."""
        ones = self.core.copy()
        ones.data[:] = 1.0
        return ones

    @cached_property
    def keyword_runs(self) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        """The keyword phrases as `phrase_runs`."""
        return phrase_runs(self.keywords)

    @cached_property
    def compound_runs(self) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        """The titles' noun compounds as `phrase_runs`."""
        return phrase_runs(self.compounds)

    @cached_property
    def term_array(self) -> np.ndarray:
        """`terms` as an object array, to pick many terms by column at once."""
        return np.array(self.terms, dtype=object)

    @cached_property
    def siblings(self) -> np.ndarray:
        """Each politician's pledge rows, padded with -1 (politicians × their
        most pledges): the features comparing a pledge with its owner's other
        pledges gather through it instead of searching 30,000 owners per batch."""
        return sibling_table(self.politician_of)


def phrase_runs(per_pledge: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Every distinct phrase; each pledge's phrases as ids into them, one run
    per pledge; where each run starts. Made once, so a batch looks up all its
    pairs' phrases at once and each (article, phrase) once."""
    phrases: dict[str, int] = {}
    ids = [phrases.setdefault(k, len(phrases)) for run in per_pledge for k in run]
    starts = np.cumsum([0, *map(len, per_pledge)], dtype=np.int64)
    return tuple(phrases), np.array(ids, dtype=np.int64), starts


def sibling_table(politician_of: np.ndarray) -> np.ndarray:
    """Row k: the pledge rows of politician k in ascending order, then -1."""
    order = np.argsort(politician_of, kind="stable")
    sizes = np.bincount(politician_of)
    owners = politician_of[order]
    table = np.full((len(sizes), max(int(sizes.max(initial=0)), 1)), -1, dtype=np.int64)
    table[owners, np.arange(len(order)) - (np.cumsum(sizes) - sizes)[owners]] = order
    return table


def build_index(
    catalog: Catalog,
    tokenizer: Tokenizer,
    approved: Mapping[str, Sequence[AnalyzedDocument]] | None = None,
) -> PledgeIndex:
    approved = approved or {}
    # A large catalog repeats titles, descriptions and keywords (a party's
    # pledges in each member's list): each distinct text is tagged once.
    terms_of = lru_cache(maxsize=None)(tokenizer.terms)
    compounds_of = lru_cache(maxsize=None)(lambda title: tuple(tokenizer.compounds(title)))
    full: list[dict[str, float]] = []
    core: list[dict[str, float]] = []
    keywords: list[tuple[str, ...]] = []
    for pledge in catalog.pledges:
        bag: dict[str, float] = {}
        core_bag: dict[str, float] = {}
        main, asides = title_parts(pledge.title)
        said = terms_of(main)
        aside = [t for t in dict.fromkeys(t for a in asides for t in terms_of(a)) if t not in said]
        for target in (bag, core_bag):
            _add(target, said, TITLE_WEIGHT)
            _add(target, aside, ASIDE_WEIGHT)
        phrases = tuple(dict.fromkeys(unicodedata.normalize("NFKC", k).strip() for k in pledge.keywords))
        for phrase in phrases:
            terms = [*terms_of(phrase), phrase]
            _add(bag, terms, KEYWORD_WEIGHT)
            _add(core_bag, terms, KEYWORD_WEIGHT)
        _add(bag, terms_of(pledge.description), DESCRIPTION_WEIGHT)
        activities = approved.get(pledge.id, ())
        for doc in activities:
            terms = [*doc.title_counts, *doc.lead_counts]
            _add(bag, terms, ACTIVITY_WEIGHT / math.sqrt(len(activities)))
        full.append(bag)
        core.append(core_bag)
        keywords.append(tuple(p for p in phrases if p))
    vocabulary: dict[str, int] = {}
    for bag in full:
        for term in bag:
            vocabulary.setdefault(term, len(vocabulary))
    document_frequency = np.zeros(len(vocabulary))
    for bag in full:
        for term in bag:
            document_frequency[vocabulary[term]] += 1
    idf = np.log1p(len(full) / np.maximum(document_frequency, 1))
    politicians = tuple(dict.fromkeys(p.politician_id for p in catalog.pledges))
    position = {pid: i for i, pid in enumerate(politicians)}
    weights = _matrix(full, vocabulary, idf)
    ranked = _ranked(weights)  # ties in the pledge's own order of terms, so before sorting
    core_weights = _matrix(core, vocabulary, idf)
    # Column order within rows: pair values then sum each pledge's terms in
    # the order a sparse product would (see features._pair_values).
    weights.sort_indices()
    core_weights.sort_indices()
    columns = tuple(vocabulary)
    index = PledgeIndex(
        pledges=tuple(catalog.pledges),
        vocabulary=vocabulary,
        weights=weights,
        core=core_weights,
        keywords=tuple(keywords),
        politician_of=np.array([position[p.politician_id] for p in catalog.pledges], dtype=np.int32),
        politicians=politicians,
        roles_known=np.array([float(bool(catalog.politician(p.politician_id).roles)) for p in catalog.pledges]),
        has_keywords=np.array([float(bool(p.keywords)) for p in catalog.pledges]),
        has_description=np.array([float(bool(p.description.strip())) for p in catalog.pledges]),
        terms=columns,
        ranked=ranked,
        ranked_starts=np.asarray(weights.indptr, dtype=np.int64),
        bigrams=_shared(_title_bigrams(p.title) for p in catalog.pledges),
        compounds=tuple(compounds_of(p.title) for p in catalog.pledges),
        meaning=_meanings(catalog, terms_of),
    )
    return with_activities(index, approved) if approved else index


def with_activities(
    index: PledgeIndex,
    approved: Mapping[str, Sequence[AnalyzedDocument]],
    groups: Mapping[str, str] | None = None,
) -> PledgeIndex:
    """The index with each pledge's approved activities as word-vector
    centroids, for the nearest-activity features: news about a pledge resembles
    news already approved for it more than it resembles its abstract title.
    Each activity keeps its group (its event, or its own id), so an article is
    never compared with itself or with another outlet's report of its event."""
    vectors = word_vectors()
    if vectors is None:
        return index
    groups = groups or {}
    banks, labels = [], []
    for pledge in index.pledges:
        docs = approved.get(pledge.id, ())
        banks.append(
            np.array([vectors.centroid(article_words(doc)) for doc in docs], dtype=np.float32).reshape(
                len(docs), vectors.dimensions
            )
        )
        labels.append(tuple(groups.get(doc.id, doc.id) for doc in docs))
    return replace(index, activities=tuple(banks), activity_groups=tuple(labels))


def article_words(doc: AnalyzedDocument) -> list[str]:
    """The words an article is compared by in meaning: its title and lead,
    where news says what happened."""
    return [*doc.title_counts, *doc.lead_counts]


def _ranked(weights: sparse.csr_matrix) -> np.ndarray:
    """Each row's columns by falling weight (ties in stored order), the rows'
    runs concatenated: row r's run is where its entries are in `weights`."""
    runs = [np.zeros(0, dtype=np.int64)]
    for row in range(weights.shape[0]):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        runs.append(weights.indices[start:end][np.argsort(-weights.data[start:end], kind="stable")])
    return np.concatenate(runs).astype(np.int64)


def title_parts(title: str) -> tuple[str, tuple[str, ...]]:
    """The title without its parenthesised asides, and the asides (nested ones
    innermost first)."""
    main = title
    asides: list[str] = []
    while found := _ASIDE.findall(main):
        asides.extend(a.strip() for a in found if a.strip())
        main = _ASIDE.sub("", main)
    return (main.strip() or title), tuple(asides)


def _meanings(catalog: Catalog, terms_of: Callable[[str], list[str]]) -> np.ndarray | None:
    vectors = word_vectors()
    if vectors is None:
        return None
    return np.array([vectors.centroid(terms_of(p.title)) for p in catalog.pledges], dtype=np.float32)


_CONTENT = re.compile(r"[一-龥々ァ-ヴー]{2,}")


def char_bigrams(text: str) -> frozenset[str]:
    """Bigrams of kanji and katakana runs: what a pledge title and an article
    share however the tagger cut their words."""
    return frozenset(run[k : k + 2] for run in _CONTENT.findall(text) for k in range(len(run) - 1))


def _shared(sets: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Equal sets as one object: a large catalog repeats titles."""
    seen: dict[frozenset[str], frozenset[str]] = {}
    return tuple(seen.setdefault(found, found) for found in sets)


def _title_bigrams(title: str) -> frozenset[str]:
    return char_bigrams(unicodedata.normalize("NFKC", title))


def _add(bag: dict[str, float], terms: Iterable[str], weight: float) -> None:
    """A term counts once per field: a pledge repeating a word is not more about it.
    First-seen order, not a set's: the vocabulary's column order decides the
    order terms are summed in, so a set would let the process's hash seed move
    the features in their last bits and flip ties between pledges."""
    for term in dict.fromkeys(terms):
        bag[term] = bag.get(term, 0.0) + weight


def _matrix(bags: list[dict[str, float]], vocabulary: dict[str, int], idf: np.ndarray):
    rows, cols, values = [], [], []
    for i, bag in enumerate(bags):
        for term, weight in bag.items():
            j = vocabulary[term]
            rows.append(i)
            cols.append(j)
            values.append(weight * idf[j])
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(bags), len(vocabulary)), dtype=np.float64)
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    totals[totals == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / totals) @ matrix)
