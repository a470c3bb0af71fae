"""Features of (article, pledge) pairs, computed for a batch of articles at once.

All pairs are compared through sparse matrix products (articles × terms times
terms × pledges). Only pairs that pass a cheap gate get full features: the
pledge's politician is recognised in the article, or the article covers a good
share of the pledge's core terms. Every other pair is "not scored": it gets no
features, no evidence and no output line, and counts as score 0 in evaluation.

The features describe how an article relates to a pledge in ways that do not
depend on which politician or pledge it is (shares of the pledge's weight, how
the politician is named, whether this pledge is the best match among the
politician's pledges), so a model trained on our catalog carries over to
politicians and pledges it has never seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from scipy import sparse

from classifiers.lexicon import POLICY_CUES, POLITICS_CUES, REACTION_CUES
from classifiers.pledge_index import PledgeIndex, article_words, char_bigrams
from classifiers.recognition import (
    KINDS,
    NO_OFFICES,
    STRENGTH,
    LearnedOffices,
    Mention,
    Recognizer,
    places_named,
    section_ends,
)
from classifiers.tokenize import AnalyzedDocument
from classifiers.vectors import word_vectors

# A pair whose politician is not recognised is still scored when the article
# covers this share of the pledge's title-and-keyword weight.
LEXICAL_GATE = 0.2

FEATURES = (
    "coverage",
    "coverage_core",
    "coverage_title",
    "coverage_lead",
    "sentence_best",
    "compounds_whole",
    "compounds_margin",
    "keyword_share",
    "keyword_title",
    "keyword_lead",
    *(f"mention_{kind}" for kind in KINDS),
    "mention_none",
    "mention_count",
    "mention_in_title",
    "mention_in_lead",
    "mention_position",
    "in_term",
    "out_of_term",
    "roles_known",
    "pledge_has_keywords",
    "pledge_has_description",
    "best_of_politician",
    "margin_in_politician",
    "best_in_article",
    "relative_to_best",
    "mention_share",
    "other_holder_up_front",
    "successor_named",
    "other_in_title",
    "others_titled_title",
    "others_titled_lead",
    "others_titled_count",
    "other_place_up_front",
    "policy_cues_title",
    "policy_cues_lead",
    "politics_cues_title",
    "politics_cues_lead",
    "reaction_cues_title",
    "reaction_cues_lead",
    "bigrams_title",
    "bigrams_lead",
    "meaning",
    "meaning_margin",
    "activity_nearest",
    "activity_margin",
    "activity_count",
    "title_terms",
    "terms_matched",
)
COLUMN = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class PairBatch:
    """Gated pairs of one batch of articles, in (article, pledge) order."""

    doc_index: np.ndarray
    pledge_index: np.ndarray
    values: np.ndarray  # pairs × FEATURES
    mentions: tuple[Mention | None, ...]
    sentences: tuple[int, ...]  # index of the best-matching sentence in its article
    matched: tuple[tuple[str, ...], ...]  # pledge terms found in the article, heaviest first
    # per article (its position in the batch) with a name it could not settle: politician id → note
    unresolved: Mapping[int, Mapping[str, str]] = field(default_factory=dict)


def pair_features(
    docs: Sequence[AnalyzedDocument],
    index: PledgeIndex,
    recognizer: Recognizer,
    learned: LearnedOffices = NO_OFFICES,
    groups: Mapping[str, str] | None = None,
) -> PairBatch:
    """`groups` maps article ids to their event where known: an approved
    activity of the same event is not a neighbour (see `with_activities`)."""
    presence_any, presence_title, presence_lead = _presence(docs, index)
    # The gate and the best-in-article feature need every pledge's core coverage;
    # the other coverages are computed for the gated pairs only.
    lexical, row_best = _lexical_gate(presence_any, index)

    politician_position = {pid: i for i, pid in enumerate(index.politicians)}
    siblings = index.siblings

    doc_rows: list[int] = []
    pledge_rows: list[int] = []
    mentions: list[Mention | None] = []
    unresolved: dict[int, dict[str, str]] = {}
    # (mention share, someone else named with a title up front, successor named,
    # other politician in title, other titled people: title, lead, count,
    # only another jurisdiction named up front)
    context: list[tuple[float, bool, bool, bool, bool, bool, int, bool]] = []
    for i, doc in enumerate(docs):
        found = recognizer.recognize(doc, learned)
        by_politician = {politician_position[pid]: m for pid, m in found.items() if pid in politician_position}
        gated = set(lexical[i])
        for k in by_politician:
            gated.update(siblings[k][siblings[k] >= 0].tolist())
        if not gated:
            continue
        if found.unresolved:
            unresolved[i] = found.unresolved
        # Everyone recognised counts, office holders without pledges here too:
        # a story led by another governor or minister is theirs, not the owner's.
        total = sum(m.count * m.strength for m in found.values()) or 1
        strong_others = {
            pid for pid, m in found.items() if m.strength >= STRENGTH["title"] and (m.in_title or m.in_lead)
        }
        titled_people = recognizer.titled_people(doc)
        title_end, lead_end = section_ends(doc.text)
        places = places_named(doc.text[:lead_end])
        titled = {k for k, m in by_politician.items() if m.in_title and m.strength >= 4}
        day = doc.day
        # The context depends on the pledge's owner only: once per owner, as
        # an article can pass the gate for hundreds of pledges.
        per_owner: dict[int, tuple[float, bool, bool, bool, bool, bool, int, bool]] = {}
        ordered = sorted(gated)
        for pledge, k in zip(ordered, index.politician_of[ordered].tolist(), strict=True):
            mention = by_politician.get(k)
            doc_rows.append(i)
            pledge_rows.append(pledge)
            mentions.append(mention)
            if k not in per_owner:
                pid = index.politicians[k]
                # a party credited through its leader: the leader is not someone else
                leader = found.through.get(pid)
                others = recognizer.other_people(pid, titled_people, leader) if titled_people else []
                per_owner[k] = (
                    mention.count * mention.strength / total if mention else 0.0,
                    bool(strong_others - {pid, leader}),
                    recognizer.successor_named(pid, found, day),
                    bool(titled - {k, politician_position.get(leader or "")}) and k not in titled,
                    any(pos < title_end for pos in others),
                    any(pos < lead_end for pos in others),
                    len(others),
                    recognizer.elsewhere(pid, places, learned),
                )
            context.append(per_owner[k])

    d = np.array(doc_rows, dtype=np.int64)
    p = np.array(pledge_rows, dtype=np.int64)
    values = np.zeros((len(d), len(FEATURES)), dtype=np.float64)
    if len(d) == 0:
        return PairBatch(d, p, values, (), (), (), unresolved)
    width = presence_any.shape[1]
    held_any, held_title, held_lead = _held(presence_any), _held(presence_title), _held(presence_lead)
    values[:, COLUMN["coverage"]] = _pair_values(held_any, width, index.weights, d, p)
    values[:, COLUMN["coverage_core"]] = _pair_values(held_any, width, index.core, d, p)
    values[:, COLUMN["coverage_title"]] = _pair_values(held_title, width, index.core, d, p)
    values[:, COLUMN["coverage_lead"]] = _pair_values(held_lead, width, index.core, d, p)
    values[:, COLUMN["title_terms"]] = np.log1p(index.core_sizes[p])
    values[:, COLUMN["terms_matched"]] = np.log1p(_pair_values(held_any, width, index.core_ones, d, p))
    own = values[:, COLUMN["coverage_core"]].copy()
    best_other, best_own = _group_best(lambda rows, pledges: _pair_values(held_any, width, index.core, rows, pledges),
                                       index, d, p)
    values[:, COLUMN["best_of_politician"]] = (own >= best_own).astype(float) * (own > 0)
    values[:, COLUMN["margin_in_politician"]] = own - best_other
    values[:, COLUMN["best_in_article"]] = (own >= row_best[d]).astype(float) * (own > 0)
    values[:, COLUMN["relative_to_best"]] = np.divide(own, row_best[d], out=np.zeros_like(own), where=row_best[d] > 0)
    values[:, COLUMN["roles_known"]] = index.roles_known[p]
    values[:, COLUMN["pledge_has_keywords"]] = index.has_keywords[p]
    values[:, COLUMN["pledge_has_description"]] = index.has_description[p]
    values[:, COLUMN["mention_share"]] = [c[0] for c in context]
    values[:, COLUMN["other_holder_up_front"]] = [float(c[1]) for c in context]
    values[:, COLUMN["successor_named"]] = [float(c[2]) for c in context]
    values[:, COLUMN["other_in_title"]] = [float(c[3]) for c in context]
    values[:, COLUMN["others_titled_title"]] = [float(c[4]) for c in context]
    values[:, COLUMN["others_titled_lead"]] = [float(c[5]) for c in context]
    values[:, COLUMN["others_titled_count"]] = np.log1p([c[6] for c in context])
    values[:, COLUMN["other_place_up_front"]] = [float(c[7]) for c in context]
    for row, mention in enumerate(mentions):
        if mention is None:
            values[row, COLUMN["mention_none"]] = 1.0
            values[row, COLUMN["mention_position"]] = 1.0
            continue
        values[row, COLUMN[f"mention_{mention.kind}"]] = 1.0
        values[row, COLUMN["mention_count"]] = np.log1p(mention.count)
        values[row, COLUMN["mention_in_title"]] = float(mention.in_title)
        values[row, COLUMN["mention_in_lead"]] = float(mention.in_lead)
        values[row, COLUMN["mention_position"]] = mention.first / max(len(docs[int(d[row])].text), 1)
        values[row, COLUMN["in_term"]] = float(mention.in_term is True)
        values[row, COLUMN["out_of_term"]] = float(mention.in_term is False)
    _keyword_features(docs, index, d, p, values)
    _cue_features(docs, d, values)
    _bigram_features(docs, index, d, p, values)
    _compound_features(docs, index, d, p, values)
    _meaning_features(docs, index, d, p, values)
    _activity_features(docs, index, d, p, values, groups or {})
    sentences, sentence_best = _best_sentences(docs, index, d, p)
    values[:, COLUMN["sentence_best"]] = sentence_best
    matched = _matched_terms(held_any, width, index, d, p)
    return PairBatch(d, p, values, tuple(mentions), tuple(sentences), matched, unresolved)


def _presence(docs: Sequence[AnalyzedDocument], index: PledgeIndex):
    """Binary article × vocabulary matrices; only terms some pledge uses matter."""
    vocabulary = index.vocabulary
    keys = vocabulary.keys()
    rows: dict[str, tuple[list[int], list[int]]] = {"any": ([], []), "title": ([], []), "lead": ([], [])}
    for i, doc in enumerate(docs):
        title = doc.title_counts.keys() & keys
        lead = doc.lead_counts.keys() & keys
        every = title | lead | (doc.body_counts.keys() & keys)
        for name, terms in (("any", every), ("title", title), ("lead", lead)):
            r, c = rows[name]
            r.extend([i] * len(terms))
            c.extend(vocabulary[t] for t in terms)
    shape = (len(docs), len(vocabulary))
    any_term, title_term, lead_term = (sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=shape)
                                       for r, c in rows.values())
    return any_term, title_term, lead_term


def _runs(starts: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair's run of a per-pledge table laid out in runs (`starts[r]` to
    `starts[r + 1]` for pledge r), all pairs' runs one after another: the
    entries' positions in the table, the pair each belongs to, and the runs'
    lengths. Every pair's terms or phrases are then looked up at once."""
    lengths = starts[p + 1] - starts[p]
    before = np.cumsum(lengths) - lengths
    entries = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts[p] - before, lengths)
    return entries, np.repeat(np.arange(len(p)), lengths), lengths


def _matched_terms(held: np.ndarray, width: int, index: PledgeIndex, d: np.ndarray,
                   p: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """Each pair's pledge terms found in its article (`held` from `_held`),
    heaviest first: one lookup of every pair's ranked terms at once, not a
    Python test per term."""
    entries, pair, _ = _runs(index.ranked_starts, p)
    columns = index.ranked[entries]
    found = _among(held, d[pair] * width + columns)
    terms = index.term_array[columns[found]].tolist()
    ends = np.cumsum(np.bincount(pair[found], minlength=len(p))).tolist()
    return tuple(tuple(terms[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True))


def _group_best(value_at: Callable[[np.ndarray, np.ndarray], np.ndarray], index: PledgeIndex,
                rows: np.ndarray, pledges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (row, pledge): the best value among the same politician's
    other pledges, and among all of them, from `value_at(rows, pledges)`. Only
    the scored pairs' owners' pledges are looked at, each value once: a pass
    over every (article, pledge) cell per politician, then reading cells out
    of the sparse product, were most of the scoring time with 5,000 politicians."""
    members = index.siblings[index.politician_of[pledges]]
    present = members >= 0
    width = len(index.politician_of)
    cells, inverse = np.unique((rows.astype(np.int64)[:, None] * width + members)[present], return_inverse=True)
    known = value_at(cells // width, cells % width)
    found = np.full(members.shape, -np.inf, dtype=known.dtype)
    found[present] = known[inverse]
    ordered = np.sort(found, axis=1)
    first = ordered[:, -1]
    second = ordered[:, -2] if found.shape[1] > 1 else np.zeros_like(first)
    own = found[members == pledges[:, None]]  # each pair's own pledge is one of its owner's
    best_other = np.where(own >= first, second, first)
    best_other[present.sum(axis=1) == 1] = 0.0
    return best_other, first


def _lexical_gate(presence: sparse.csr_matrix, index: PledgeIndex) -> tuple[list[list[int]], np.ndarray]:
    """Per article: the pledges whose core terms it covers to LEXICAL_GATE or
    more, and its best core coverage over all pledges. The product with every
    pledge is made for `_GATE_ROWS` articles at a time and only these kept of
    it: against 30,000 pledges it was the largest array of scoring (each row's
    values do not depend on the other rows)."""
    gated: list[list[int]] = []
    best = np.zeros(presence.shape[0])
    for start in range(0, presence.shape[0], _GATE_ROWS):
        block = sparse.csr_matrix(presence[start : start + _GATE_ROWS] @ index.core_by_term)
        best[start : start + block.shape[0]] = _row_max(block)
        for row in range(block.shape[0]):
            span = slice(block.indptr[row], block.indptr[row + 1])
            gated.append(block.indices[span][block.data[span] >= LEXICAL_GATE].tolist())
    return gated, best


_GATE_ROWS = 32


def _row_max(matrix: sparse.csr_matrix) -> np.ndarray:
    """Each row's largest value, 0 for an empty row (the values are positive),
    without sorting the product's indices as scipy's max does."""
    out = np.zeros(matrix.shape[0])
    filled = np.flatnonzero(np.diff(matrix.indptr))
    if len(filled):
        out[filled] = np.maximum.reduceat(matrix.data[: matrix.indptr[-1]], matrix.indptr[filled])
    return out


def _within_articles(left: sparse.csr_matrix, left_article: np.ndarray, right: sparse.csr_matrix,
                     right_article: np.ndarray) -> sparse.csr_matrix:
    """left × rightᵀ (both over the vocabulary), but only between rows of the
    same article: its sentence rows and its pairs' pledge rows.
    Each vocabulary column becomes one column per article, so no row meets
    another article's pledges; against 30,000 pledges the full product was
    almost all such cells. Every cell is summed over the same terms in the same
    order as the full product, so the values are the same to the bit."""
    width = left.shape[1]
    lo, ro = left.tocoo(), right.tocoo()
    left_keys = left_article[lo.row].astype(np.int64) * width + lo.col
    right_keys = right_article[ro.row].astype(np.int64) * width + ro.col
    keys = np.unique(left_keys)
    at = np.minimum(np.searchsorted(keys, right_keys), max(len(keys) - 1, 0))
    hit = keys[at] == right_keys if len(keys) else np.zeros(len(right_keys), dtype=bool)
    a = sparse.csr_matrix((lo.data, (lo.row, np.searchsorted(keys, left_keys))), shape=(left.shape[0], len(keys)))
    b = sparse.csr_matrix((ro.data[hit], (at[hit], ro.row[hit])), shape=(len(keys), right.shape[0]))
    return sparse.csr_matrix(a @ b)


def _held(presence: sparse.csr_matrix) -> np.ndarray:
    """The (article, term) cells of a presence matrix as sorted keys
    article × vocabulary width + term, for `_pair_values` to look pairs up in."""
    presence.sum_duplicates()  # canonical: sorted column indices, so sorted keys
    rows = np.repeat(np.arange(presence.shape[0], dtype=np.int64), np.diff(presence.indptr))
    return rows * presence.shape[1] + presence.indices


def _among(held: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of the `wanted` keys are among the sorted `held` ones."""
    if not len(held):
        return np.zeros(len(wanted), dtype=bool)
    return held[np.minimum(np.searchsorted(held, wanted), len(held) - 1)] == wanted


def _pair_values(held: np.ndarray, width: int, weights: sparse.csr_matrix, d: np.ndarray,
                 p: np.ndarray) -> np.ndarray:
    """presence[d] · weights[p] for each pair (`held` from `_held`): each
    pair's pledge terms looked up among its article's, without a sparse
    product. `weights` must have sorted indices (the pledge index's do): the
    terms are then summed in column order from zero, as the product would, so
    the values are the same to the bit."""
    entries, pair, _ = _runs(weights.indptr.astype(np.int64), p)
    found = _among(held, d[pair] * width + weights.indices[entries])
    return np.bincount(pair[found], weights=weights.data[entries[found]], minlength=len(p))


def _keyword_features(docs, index: PledgeIndex, d, p, values: np.ndarray) -> None:
    """Keyword phrases are matched as written (after NFKC), which catches them
    however the tagger splits them. Each phrase is searched for once per
    article: an article's pledges share most of theirs."""
    phrases, ids, starts = index.keyword_runs
    entries, pair, lengths = _runs(starts, p)
    if not len(entries):
        return
    article = d[pair]
    position = _positions(docs, phrases, article, ids[entries])
    ends = {i: section_ends(docs[i].text) for i in np.unique(article).tolist()}
    title_end = np.array([ends[i][0] for i in article.tolist()], dtype=np.int64)
    lead_end = np.array([ends[i][1] for i in article.tolist()], dtype=np.int64)
    found = position >= 0
    held = lengths > 0
    values[held, COLUMN["keyword_share"]] = np.bincount(pair[found], minlength=len(p))[held] / lengths[held]
    values[:, COLUMN["keyword_title"]] = np.bincount(pair[found & (position < title_end)], minlength=len(p)) > 0
    values[:, COLUMN["keyword_lead"]] = np.bincount(pair[found & (position < lead_end)], minlength=len(p)) > 0


def _positions(docs, phrases: Sequence[str], article: np.ndarray, phrase: np.ndarray) -> np.ndarray:
    """Where each (article, phrase) entry's phrase first occurs in the
    article's NFKC text, -1 if nowhere; each distinct pair searched once."""
    cells, inverse = np.unique(article * len(phrases) + phrase, return_inverse=True)
    return np.array([docs[c // len(phrases)].text.find(phrases[c % len(phrases)]) for c in cells.tolist()],
                    dtype=np.int64)[inverse]


_POLICY = re.compile("|".join(sorted(POLICY_CUES, key=len, reverse=True)))
_POLITICS = re.compile("|".join(sorted(POLITICS_CUES, key=len, reverse=True)))
_REACTION = re.compile("|".join(sorted(REACTION_CUES, key=len, reverse=True)))


def _cue_features(docs, d: np.ndarray, values: np.ndarray) -> None:
    """How much the title and the lead read like a policy act, how much like
    election, personnel or scandal news (a politician named in a story about
    their resignation is not acting on a pledge, whatever words it shares), and
    how much like others reacting to an act (criticism, requests, bids)."""
    per_doc = {}
    for i in np.unique(d).tolist():
        text = docs[i].text
        title_end, lead_end = section_ends(text)
        title, lead = text[:title_end], text[title_end:lead_end]
        cues = (_POLICY, _POLITICS, _REACTION)
        per_doc[i] = [np.log1p(len(cue.findall(part))) for cue in cues for part in (title, lead)]
    rows = np.array([per_doc[i] for i in d.tolist()])
    names = ("policy_cues_title", "policy_cues_lead", "politics_cues_title", "politics_cues_lead",
             "reaction_cues_title", "reaction_cues_lead")
    for column, name in enumerate(names):
        values[:, COLUMN[name]] = rows[:, column]


def _bigram_features(docs, index: PledgeIndex, d: np.ndarray, p: np.ndarray, values: np.ndarray) -> None:
    """Share of the pledge title's character bigrams (kanji and katakana only)
    found in the article's title and lead: catches 無償 in 無償化 or 保育料 in
    保育料無償 however the tagger cut the words."""
    grams = {}
    for i in np.unique(d).tolist():
        text = docs[i].text
        title_end, lead_end = section_ends(text)
        grams[i] = (char_bigrams(text[:title_end]), char_bigrams(text[:lead_end]))
    title, lead = COLUMN["bigrams_title"], COLUMN["bigrams_lead"]
    for row, (i, pledge) in enumerate(zip(d.tolist(), p.tolist(), strict=True)):
        own = index.bigrams[pledge]
        if own:
            values[row, title] = len(own & grams[i][0]) / len(own)
            values[row, lead] = len(own & grams[i][1]) / len(own)


def _compound_features(docs, index: PledgeIndex, d: np.ndarray, p: np.ndarray, values: np.ndarray) -> None:
    """Share of the pledge title's noun compounds, by characters, that the
    article writes whole. Coverage counts a compound's parts as terms, so a
    story on 物流 alone covers half of 「港湾物流の効率化」: a title's compounds
    name its subject, and the part that is missing is the one that tells."""
    if not index.compounds:
        return
    phrases, ids, starts = index.compound_runs
    entries, pair, _ = _runs(starts, p)
    if not len(entries):
        return
    chars = np.array([len(c) for c in phrases], dtype=np.float64)[ids[entries]]
    found = _positions(docs, phrases, d[pair], ids[entries]) >= 0
    total = np.bincount(pair, weights=chars, minlength=len(p))
    whole = np.bincount(pair, weights=chars * found, minlength=len(p))
    column = COLUMN["compounds_whole"]
    values[:, column] = np.divide(whole, total, out=np.zeros(len(p)), where=total > 0)
    values[:, COLUMN["compounds_margin"]] = _margin_among_owner(values[:, column], d, index.politician_of[p])


def _margin_among_owner(value: np.ndarray, d: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Each pair's value minus the best of the other scored pairs of its article
    and owner (the value itself when there is none): which of one politician's
    pledges the article is about, when it names the politician for all of them."""
    _, group = np.unique(np.stack([d, owner.astype(np.int64)]), axis=1, return_inverse=True)
    group = group.ravel()
    order = np.lexsort((-value, group))
    first = np.r_[True, group[order][1:] != group[order][:-1]]
    top = order[first]  # each group's best row
    size = np.bincount(group)
    second = np.zeros(len(size))
    has_second = size[group[top]] > 1
    second_rows = order[np.flatnonzero(first)[has_second] + 1]
    second[group[second_rows]] = value[second_rows]
    best = np.zeros(len(size))
    best[group[top]] = value[top]
    other = best[group]
    other[top] = second[group[top]]
    return value - other


def _meaning_features(docs, index: PledgeIndex, d: np.ndarray, p: np.ndarray, values: np.ndarray) -> None:
    """Cosine of the word-vector centroids of the pledge title and the
    article's title and lead, and its margin over the owner's other pledges:
    the same topic in other words (給付 and 支給), and which of a politician's
    pledges it is closest to."""
    vectors = word_vectors()
    if vectors is None or index.meaning is None:
        return
    articles = np.unique(d)
    centroids = np.array([vectors.centroid(article_words(docs[i])) for i in articles.tolist()])
    # Only the pairs' owners' pledges: a product with all 30,000 was a fifth of
    # the scoring time. Kept a matrix product (one article or one pledge would
    # take another BLAS routine, which may round differently).
    needed = np.unique(index.siblings[index.politician_of[p]])
    needed = needed[needed >= 0]
    if len(articles) < 2 or len(needed) < 2:
        needed = np.arange(len(index.pledges))
    similarity = centroids @ index.meaning[needed].T
    column_of = np.full(len(index.pledges), -1, dtype=np.int64)
    column_of[needed] = np.arange(len(needed))
    at = np.searchsorted(articles, d)
    best_other, _ = _group_best(lambda rows, pledges: similarity[rows, column_of[pledges]], index, at, p)
    own = similarity[at, column_of[p]]
    values[:, COLUMN["meaning"]] = own
    values[:, COLUMN["meaning_margin"]] = own - best_other


def _activity_features(
    docs, index: PledgeIndex, d: np.ndarray, p: np.ndarray, values: np.ndarray, groups: Mapping[str, str]
) -> None:
    """Cosine to the nearest approved activity of the pledge, its margin over
    the nearest activity of the owner's other pledges, and how many there are
    (zero for a pledge nobody has approved an activity of yet)."""
    vectors = word_vectors()
    if vectors is None or not any(len(bank) for bank in index.activities):
        return
    centroids: dict[int, np.ndarray] = {}
    nearest: dict[tuple[int, int], tuple[float, int]] = {}

    def closest(i: int, pledge: int) -> tuple[float, int]:
        if (i, pledge) not in nearest:
            bank = index.activities[pledge]
            own = groups.get(docs[i].id, docs[i].id)
            keep = np.array([g != own for g in index.activity_groups[pledge]], dtype=bool)
            if not keep.any():
                nearest[i, pledge] = (0.0, 0)
            else:
                if i not in centroids:
                    centroids[i] = vectors.centroid(article_words(docs[i]))
                nearest[i, pledge] = (float((bank[keep] @ centroids[i]).max()), int(keep.sum()))
        return nearest[i, pledge]

    siblings = index.siblings
    for row, (i, pledge) in enumerate(zip(d.tolist(), p.tolist(), strict=True)):
        if not len(index.activities[pledge]):
            continue
        similarity, count = closest(i, pledge)
        if count == 0:
            continue
        others = [closest(i, q)[0] for q in siblings[index.politician_of[pledge]].tolist()
                  if q >= 0 and q != pledge and len(index.activities[q])]
        values[row, COLUMN["activity_nearest"]] = similarity
        values[row, COLUMN["activity_margin"]] = similarity - max(others, default=0.0)
        values[row, COLUMN["activity_count"]] = np.log1p(count)


def _best_sentences(docs, index: PledgeIndex, d: np.ndarray, p: np.ndarray):
    """The sentence holding most of the pledge's weight: the evidence shown to
    moderators, and a feature (a pledge's terms together in one sentence mean
    more than the same terms scattered over the article).

    One sparse product for the whole batch (every sentence of the paired
    articles × its own article's pairs), then the best sentence of each pair by
    a sort: a product per article cost 4-5 times more in scipy's per-call overhead."""
    best_index = np.zeros(len(d), dtype=np.int64)
    best_value = np.zeros(len(d))
    if not len(d):
        return [], best_value
    articles = np.unique(d)
    rows, cols, starts = _sentence_terms(docs, articles, index.vocabulary)
    if not len(rows):
        return best_index.tolist(), best_value
    sentences = _incidence(rows, cols, (starts[-1], len(index.vocabulary)))
    article_of = np.repeat(articles, np.diff(starts))
    scores = _within_articles(sentences, article_of, index.weights[p], d).tocoo()
    # per pair: highest score first, then the earliest sentence among equals
    order = np.lexsort((scores.row, -scores.data, scores.col))
    pair, row, value = scores.col[order], scores.row[order], scores.data[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    pair, row, value = pair[first], row[first], value[first]
    best_value[pair] = value
    best_index[pair] = row - starts[np.searchsorted(articles, d[pair])]
    return best_index.tolist(), best_value


def _sentence_terms(docs, articles: np.ndarray, vocabulary: dict[str, int]):
    """(sentence row, vocabulary column) of every pledge term in the articles'
    sentences, rows numbered across the articles; and each article's first row."""
    lookup = vocabulary.get
    rows, cols, starts = [], [], [0]
    for i in articles.tolist():
        sentences = docs[i].sentences
        flat = [t for s in sentences for t in s.terms]
        ids = np.fromiter(map(lookup, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        numbers = np.repeat(np.arange(starts[-1], starts[-1] + len(sentences)), [len(s.terms) for s in sentences])
        rows.append(numbers[ids >= 0])
        cols.append(ids[ids >= 0])
        starts.append(starts[-1] + len(sentences))
    return np.concatenate(rows), np.concatenate(cols), np.array(starts)


def _incidence(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """1 where a sentence holds a term, however often."""
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    matrix.data[:] = 1.0
    return matrix
