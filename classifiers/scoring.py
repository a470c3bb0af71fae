"""Scoring articles against pledges: the one code path behind the nightly flow,
`pledgewatch score` and `pledgewatch evaluate`.

A pair is *scored* when it passes the gate in `classifiers.features` (the
pledge's politician is recognised in the article, or the article covers a good
share of the pledge's core terms). Only scored pairs become candidates; every
other pair is left out and means score 0.

Without a trained model the score is the cold-start formula below: a logistic
curve over the same features, with weights set by hand from what the features
mean. With a promoted model in `models/`, its calibrated probability is the score.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from catalog.model import Catalog
from catalog.offices import default_offices, with_offices
from classifiers.features import COLUMN, FEATURES, PairBatch, pair_features
from classifiers.model_store import load_promoted
from classifiers.pledge_index import PledgeIndex, build_index
from classifiers.recognition import NO_OFFICES, LearnedOffices, Recognizer
from classifiers.stage_suggest import StageSuggester
from classifiers.tokenize import AnalyzedDocument, Tokenizer, get_tokenizer
from pledgewatch import settings

log = logging.getLogger(__name__)

COLD_START_VERSION = "cold-start-1"
_BATCH = 256
_EVIDENCE_TERMS = 8

# Cold start, in log-odds. Lexical evidence is one blended strength in [0, 1];
# how the politician is named adds to it. Without any mention of the politician,
# lexical evidence alone stays near or under 0.5 (most topical news is not the
# politician acting); a strong mention alone stays under it too (most news about
# a politician is not about any one pledge); together they pass it.
_LEXICAL_BLEND = {"coverage_core": 0.5, "coverage_title": 0.2, "sentence_best": 0.2, "keyword_share": 0.1}
_COLD_BIAS = -3.0
_COLD_WEIGHTS = {
    **{name: 5.0 * w for name, w in _LEXICAL_BLEND.items()},
    "mention_name": 1.5,
    "mention_surname_title": 1.5,
    "mention_title": 1.2,
    "mention_body": 0.8,
    "mention_surname": 0.5,
    "mention_place": 0.3,
    "mention_none": -1.5,
    "margin_in_politician": 1.5,
    "other_in_title": -0.5,
    "out_of_term": -2.0,
}
_COLD_VECTOR = np.array([_COLD_WEIGHTS.get(name, 0.0) for name in FEATURES])


def cold_start_scores(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(values @ _COLD_VECTOR + _COLD_BIAS)))


@dataclass(frozen=True)
class Candidate:
    article_id: str
    pledge_id: str
    score: float
    evidence: dict


class PledgeScorer:
    def __init__(
        self,
        catalog: Catalog,
        model=None,
        model_version: str = COLD_START_VERSION,
        approved: Mapping[str, Sequence[AnalyzedDocument]] | None = None,
        tokenizer: Tokenizer | None = None,
        stages: StageSuggester | None = None,
    ) -> None:
        tokenizer = tokenizer or get_tokenizer()
        offices = default_offices()
        catalog = with_offices(catalog, offices)
        self.catalog = catalog
        self.model = model
        self.model_version = model_version if model is not None else COLD_START_VERSION
        self.stages = stages or StageSuggester()
        self.index: PledgeIndex = build_index(catalog, tokenizer, approved)
        self.recognizer = Recognizer(catalog, tokenizer, offices.people() if offices else ())

    @classmethod
    def load(
        cls,
        catalog: Catalog,
        models_dir: Path | None = None,
        approved: Mapping[str, list[AnalyzedDocument]] | None = None,
    ) -> PledgeScorer:
        """The promoted model if `models_dir` (default: `pledgewatch.settings.models_dir`)
        has a usable one, else cold start;
        a missing, corrupt or incompatible model file is logged, never fatal."""
        directory = settings.models_dir(models_dir)
        stages = StageSuggester.load(directory)
        loaded = load_promoted(directory)
        if loaded is None:
            return cls(catalog, approved=approved, stages=stages)
        model, metadata = loaded
        return cls(catalog, model, metadata["version"], approved=approved, stages=stages)

    def features(
        self,
        docs: Sequence[AnalyzedDocument],
        learned: LearnedOffices = NO_OFFICES,
        groups: Mapping[str, str] | None = None,
    ) -> PairBatch:
        return pair_features(docs, self.index, self.recognizer, learned, groups)

    def probabilities(self, values: np.ndarray) -> np.ndarray:
        if len(values) == 0:
            return np.zeros(0)
        if self.model is None:
            return cold_start_scores(values)
        with _openmp().limit(limits=1, user_api="openmp"):
            return self.model.predict_proba(values)[:, 1]

    def score(self, docs: Sequence[AnalyzedDocument], min_score: float = 0.0) -> list[Candidate]:
        """Scores a batch. Politicians without a roles table have their offices
        learnt from the whole batch first (see `Recognizer.learn_offices`).
        Pairs under `min_score` are left out before their evidence is built:
        the stage suggestion is most of the cost of a candidate, and the
        nightly flow stores only candidates above its threshold.
        Safe to call from several threads at once: nothing is stored."""
        learned = self.recognizer.learn_offices(docs)
        out: list[Candidate] = []
        for start in range(0, len(docs), _BATCH):
            chunk = docs[start : start + _BATCH]
            batch = self.features(chunk, learned)
            scores = self.probabilities(batch.values)
            out.extend(self._candidates(chunk, batch, scores, min_score))
        return out

    def _candidates(self, docs: Sequence[AnalyzedDocument], batch: PairBatch,
                    scores: np.ndarray, min_score: float = 0.0) -> list[Candidate]:
        pledges = self.index.pledges
        doc_rows, pledge_rows, values = batch.doc_index.tolist(), batch.pledge_index.tolist(), scores.tolist()
        kept = np.flatnonzero(np.round(scores, 6) >= min_score).tolist()
        # one suggestion per matched sentence: an article's pledges often share theirs
        sentences = list(dict.fromkeys((doc_rows[row], batch.sentences[row]) for row in kept))
        suggested = dict(zip(sentences, self.stages.suggest([(docs[i], s) for i, s in sentences]), strict=True))
        shown = batch.values[:, [COLUMN[name] for name in _SHOWN]].tolist()
        out = []
        for row in kept:
            i, p, score = doc_rows[row], pledge_rows[row], values[row]
            doc = docs[i]
            mention = batch.mentions[row]
            sentence = doc.sentences[batch.sentences[row]].text if doc.sentences else ""
            evidence = {
                "sentence": sentence,
                "terms": readable_terms(batch.matched[row])[:_EVIDENCE_TERMS],
                "politician": ({"mention": mention.mention, "kind": mention.kind} if mention else None),
                "features": {name: round(value, 4) for name, value in zip(_SHOWN, shown[row], strict=True)},
                "stage": suggested[i, batch.sentences[row]],
            }
            notes = batch.unresolved.get(i)
            if mention is None and notes and pledges[p].politician_id in notes:
                evidence["unresolved"] = notes[pledges[p].politician_id]
            out.append(Candidate(doc.id, pledges[p].id, round(score, 6), evidence))
        return out


@lru_cache(maxsize=1)
def _openmp() -> ThreadpoolController:
    """The boosted trees predict on one OpenMP thread. Scoring already runs
    on every core (the flow's task threads, the benchmark's workers); trees
    asking for all cores on top spin-wait against each other: a batch took
    8 times longer on a busy 2-core machine (bench/README.md, Classification).
    Made once, after a model is loaded, so it sees scikit-learn's OpenMP."""
    return ThreadpoolController()


def readable_terms(terms: Sequence[str]) -> list[str]:
    """Matched terms a moderator can read as evidence, heaviest first: not the
    pieces of longer matched terms (暫定 and 税率 inside 暫定税率), and not the
    verbs and function-like nouns that any two texts share (選ぶ, 担う, 其々,
    一部): they still count in the score, but show nothing about the topic."""
    shown = [t for t in terms if _telling(t)]
    # A term is a piece of another one exactly when it occurs in the joined
    # terms more often than it is listed: one count in C instead of a test per pair of terms.
    joined = "\n".join(shown)
    return [t for t in shown if joined.count(t) == shown.count(t)]


_VERB_END = re.compile(r"[一-龥々][ぁ-ん]*[うくぐすつぬぶむる]$")
_GENERIC_TEXT = "其々 夫々 各々 一部 全部 全体 多く 自ら 共に 更に 既に 未だ 全て 様々 色々 大半 一方 今後"
_GENERIC = frozenset(_GENERIC_TEXT.split())


@lru_cache(maxsize=1 << 16)
def _telling(term: str) -> bool:
    """Cached: every scored pair asks about its terms, drawn from the catalog's vocabulary."""
    if term in _GENERIC or len(term) < 2 or _VERB_END.search(term):
        return False
    return not all("ぁ" <= c <= "ん" for c in term)


# Features a moderator or analyst can read at a glance; the rest stay internal.
_SHOWN = (
    "coverage_core",
    "coverage_title",
    "sentence_best",
    "keyword_share",
    "mention_count",
    "best_of_politician",
    "in_term",
)
