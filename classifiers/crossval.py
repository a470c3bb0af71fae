"""Cross-validation of the cold-start scorer and the pairwise model on labelled
sets, split by event with a fixed seed so the figures reproduce.

Reports of one event from several outlets share words no other event has; in
different folds they would let the model recognise the event instead of the
pattern, so a fold holds whole groups (`LabelledSet.group_of`: the event, or
the article where no event is known). `by_owner` groups instead by the
pledges' owners, leaving whole politicians and parties out of training.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from classifiers.datasets import LabelledSet
from classifiers.evaluation import EvaluationReport, evaluate
from classifiers.scoring import Candidate, PledgeScorer
from classifiers.tokenize import AnalyzedDocument, Tokenizer, get_tokenizer
from classifiers.training import SEED, TrainingSet, examples_from_gold, train_pairwise

FOLDS = 5


@dataclass(frozen=True)
class CrossValidation:
    cold_start: dict[str, EvaluationReport]
    pairwise: dict[str, EvaluationReport]
    # the pairwise model with the training folds' activities approved, as in a
    # catalog moderators have worked on (the other figures: a new catalog)
    with_activities: dict[str, EvaluationReport]


def fold_of(article_id: str, has_pledge: bool, folds: int, seed: int) -> int:
    key = hashlib.sha256(f"{seed}:{has_pledge}:{article_id}".encode()).digest()
    return int.from_bytes(key[:4], "big") % folds


Grouping = Callable[[LabelledSet, str], str]


def by_event(labelled: LabelledSet, article_id: str) -> str:
    return labelled.group_of(article_id)


def by_owner(labelled: LabelledSet, article_id: str) -> str:
    """The owner of the article's first gold pledge; no-pledge articles by event."""
    pledges = sorted(labelled.gold.get(article_id, ()))
    if not pledges:
        return labelled.group_of(article_id)
    owner = {p.id: p.politician_id for p in labelled.catalog.pledges}
    return f"owner:{labelled.catalog.politician(owner[pledges[0]]).name}"


def cross_validate(
    sets: Sequence[LabelledSet],
    folds: int = FOLDS,
    seed: int = SEED,
    tokenizer: Tokenizer | None = None,
    report_only: Sequence[LabelledSet] = (),
    grouping: Grouping = by_event,
) -> CrossValidation:
    """Each fold's model is trained on the other folds of `sets` and scores its
    fold of `sets` and of `report_only` (views of the same articles that should
    be measured but not learnt from, such as pledges stripped to titles)."""
    tokenizer = tokenizer or get_tokenizer()
    training_names = {s.name for s in sets}
    sets = [*sets, *report_only]
    analysed: dict[str, dict[str, AnalyzedDocument]] = {
        s.name: {d.id: tokenizer.analyze(d) for d in s.documents} for s in sets
    }
    assignment = {s.name: {d.id: fold_of(grouping(s, d.id), False, folds, seed) for d in s.documents} for s in sets}
    cold: dict[str, list[Candidate]] = {}
    for s in sets:
        cold[s.name] = PledgeScorer(s.catalog, tokenizer=tokenizer).score(list(analysed[s.name].values()))
    trained: dict[str, list[Candidate]] = {s.name: [] for s in sets}
    warm: dict[str, list[Candidate]] = {s.name: [] for s in sets}
    for k in range(folds):
        training = [
            TrainingSet(
                s.catalog,
                tuple(
                    examples_from_gold(
                        [d for d in s.documents if assignment[s.name][d.id] != k],
                        s.gold,
                        s.catalog,
                    )
                ),
                s.groups,
            )
            for s in sets
            if s.name in training_names
        ]
        first, *rest = training
        model = train_pairwise(first.examples, first.catalog, extra=rest, seed=seed, tokenizer=tokenizer)
        for s in sets:
            held = [analysed[s.name][d.id] for d in s.documents if assignment[s.name][d.id] == k]
            scorer = PledgeScorer(s.catalog, model.estimator, model.version, tokenizer=tokenizer)
            trained[s.name].extend(scorer.score(held))
            approved: dict[str, list[AnalyzedDocument]] = {}
            for d in s.documents:
                if assignment[s.name][d.id] != k:
                    for pledge_id in s.gold.get(d.id, ()):
                        approved.setdefault(pledge_id, []).append(analysed[s.name][d.id])
            worked = PledgeScorer(s.catalog, model.estimator, model.version, approved=approved, tokenizer=tokenizer)
            warm[s.name].extend(worked.score(held))
    return CrossValidation(
        cold_start={s.name: evaluate(cold[s.name], s.gold, s.kinds) for s in sets},
        pairwise={s.name: evaluate(trained[s.name], s.gold, s.kinds) for s in sets},
        with_activities={s.name: evaluate(warm[s.name], s.gold, s.kinds) for s in sets},
    )
