"""How good a set of candidates is against gold labels.

Pairs that were not scored count as score 0: a missed gate is a miss. Articles
in the gold file with an empty list are no-pledge articles; candidates for
articles not in the gold file are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from catalog.files import read_jsonl
from classifiers.documents import InputError
from classifiers.scoring import Candidate

THRESHOLD = 0.5
_BINS = 10
_WORST = 10


@dataclass(frozen=True)
class EvaluationReport:
    articles: int
    articles_with_pledge: int
    gold_pairs: int
    scored_pairs: int
    hit_at_1: float
    average_precision: float
    precision: float
    recall: float
    f1: float
    no_pledge_flagged: float
    expected_calibration_error: float
    worst_misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)
    reliability: list[dict] = field(default_factory=list)
    by_kind: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    def format_text(self) -> str:
        lines = [
            f"articles                 {self.articles} ({self.articles_with_pledge} with a pledge)",
            f"gold pairs / scored      {self.gold_pairs} / {self.scored_pairs}",
            f"hit@1                    {self.hit_at_1:.3f}",
            f"average precision        {self.average_precision:.3f}",
            f"precision@0.5            {self.precision:.3f}",
            f"recall@0.5               {self.recall:.3f}",
            f"F1@0.5                   {self.f1:.3f}",
            f"no-pledge flagged@0.5    {self.no_pledge_flagged:.3f}",
            f"calibration error (ECE)  {self.expected_calibration_error:.3f}",
        ]
        if self.by_kind:
            lines.append("by kind                  articles  hit@1  recall@0.5  flagged@0.5")
            for kind, row in self.by_kind.items():
                hit = "    - " if row["hit_at_1"] is None else f"{row['hit_at_1']:6.3f}"
                recall = "        - " if row["recall"] is None else f"{row['recall']:10.3f}"
                lines.append(f"  {kind:<22} {row['articles']:>8} {hit} {recall}  {row['flagged']:10.3f}")
        if self.reliability:
            lines.append("reliability (scored pairs by score bin)")
            lines.append("  bin          pairs  mean score  activities")
            for row in self.reliability:
                lines.append(f"  {row['low']:.1f}–{row['high']:.1f}  {row['pairs']:>10}  {row['mean_score']:10.3f}"
                             f"  {row['observed']:10.3f}")
        if self.worst_misses:
            lines.append("worst misses (gold pairs scored lowest):")
            lines += [_row(m) for m in self.worst_misses]
        if self.false_alarms:
            lines.append("false alarms (non-gold pairs scored highest):")
            lines += [_row(m) for m in self.false_alarms]
        return "\n".join(lines)


def _row(item: dict) -> str:
    score = "unscored" if item["score"] is None else f"{item['score']:.3f}"
    rank = "-" if item["rank"] is None else str(item["rank"])
    return f"  {item['article_id']}  {item['pledge_id']}  score {score}  rank {rank}"


def read_gold_jsonl(path: Path | str) -> dict[str, set[str]]:
    path = Path(path)
    gold: dict[str, set[str]] = {}
    for number, record in read_jsonl(path, InputError):
        article_id = record.get("article_id")
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            article_id = str(article_id)
        if not isinstance(article_id, str) or not article_id:
            raise InputError(path, number, "article_id", "must be a non-empty string")
        pledges = record.get("pledge_ids", [])
        if not isinstance(pledges, list) or not all(isinstance(p, str | int) for p in pledges):
            raise InputError(path, number, "pledge_ids", "must be a list of pledge ids")
        gold.setdefault(article_id, set()).update(str(p) for p in pledges)
    return gold


def read_kinds_jsonl(path: Path | str) -> dict[str, str]:
    """Article kinds of a labels file (positive, hard_negative, other_actor):
    the figures per kind show whether false alarms come from news about the
    politician or from someone else acting on the topic."""
    path = Path(path)
    kinds: dict[str, str] = {}
    for number, record in read_jsonl(path, InputError):
        article_id, kind = record.get("article_id"), record.get("kind")
        if not isinstance(article_id, str | int) or not isinstance(kind, str) or not kind:
            raise InputError(path, number, "kind", "each line needs an article_id and a kind")
        kinds[str(article_id)] = kind
    return kinds


def evaluate(
    candidates: Sequence[Candidate], gold: Mapping[str, set[str]], kinds: Mapping[str, str] | None = None
) -> EvaluationReport:
    by_article: dict[str, dict[str, float]] = {a: {} for a in gold}
    for c in candidates:
        if c.article_id in by_article:
            by_article[c.article_id][c.pledge_id] = c.score
    gold_pairs = sum(len(p) for p in gold.values())
    with_pledge = [a for a, p in gold.items() if p]
    without = [a for a, p in gold.items() if not p]

    hits = 0
    for article in with_pledge:
        scores = by_article[article]
        if scores:
            top = min(scores, key=lambda pid: (-scores[pid], pid))
            hits += top in gold[article]

    pairs = [
        (score, pledge in gold[article], article, pledge)
        for article, scores in by_article.items()
        for pledge, score in scores.items()
    ]
    pairs.sort(key=lambda x: (-x[0], x[2], x[3]))
    labels = np.array([p[1] for p in pairs], dtype=bool)
    scores_all = np.array([p[0] for p in pairs], dtype=float)
    average_precision = 0.0
    if gold_pairs and labels.any():
        # Over every gold pair: one the scorer never scored is missed at every
        # threshold, so sklearn's figure over the scored pairs is scaled by
        # the share of gold pairs that were scored at all.
        average_precision = float(average_precision_score(labels, scores_all)) * int(labels.sum()) / gold_pairs

    flagged = scores_all >= THRESHOLD
    true_positive = int((flagged & labels).sum())
    precision = true_positive / flagged.sum() if flagged.sum() else 0.0
    recall = true_positive / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    no_pledge_flagged = (
        sum(any(s >= THRESHOLD for s in by_article[a].values()) for a in without) / len(without) if without else 0.0
    )
    return EvaluationReport(
        articles=len(gold),
        articles_with_pledge=len(with_pledge),
        gold_pairs=gold_pairs,
        scored_pairs=len(pairs),
        hit_at_1=hits / len(with_pledge) if with_pledge else 0.0,
        average_precision=average_precision,
        precision=float(precision),
        recall=float(recall),
        f1=float(f1),
        no_pledge_flagged=float(no_pledge_flagged),
        expected_calibration_error=_ece(scores_all, labels),
        worst_misses=_worst_misses(by_article, gold),
        false_alarms=_false_alarms(pairs, by_article),
        reliability=_reliability(scores_all, labels),
        by_kind=_by_kind(by_article, gold, kinds or {}),
    )


def _top(scores: dict[str, float]) -> str | None:
    return min(scores, key=lambda pid: (-scores[pid], pid)) if scores else None


def _by_kind(by_article, gold, kinds: Mapping[str, str]) -> dict[str, dict]:
    groups: dict[str, list[str]] = {}
    for article in gold:
        if article in kinds:
            groups.setdefault(kinds[article], []).append(article)
    out = {}
    for kind, articles in sorted(groups.items()):
        with_pledge = [a for a in articles if gold[a]]
        pairs = [(a, p) for a in with_pledge for p in gold[a]]
        out[kind] = {
            "articles": len(articles),
            "hit_at_1": (sum(_top(by_article[a]) in gold[a] for a in with_pledge) / len(with_pledge))
            if with_pledge else None,
            "recall": (sum(by_article[a].get(p, 0.0) >= THRESHOLD for a, p in pairs) / len(pairs)) if pairs else None,
            "flagged": sum(any(s >= THRESHOLD for p, s in by_article[a].items() if p not in gold[a])
                           for a in articles) / len(articles),
        }
    return out


def _reliability(scores: np.ndarray, labels: np.ndarray) -> list[dict]:
    """Score bins against the share of their pairs that are activities: a
    score of 0.7 should mean about 70 %."""
    rows = []
    bins = np.minimum((scores * _BINS).astype(int), _BINS - 1)
    for b in range(_BINS):
        inside = bins == b
        if inside.any():
            rows.append({"low": b / _BINS, "high": (b + 1) / _BINS, "pairs": int(inside.sum()),
                         "mean_score": float(scores[inside].mean()), "observed": float(labels[inside].mean())})
    return rows


def _ece(scores: np.ndarray, labels: np.ndarray) -> float:
    """Over scored pairs, the suggestions a moderator would see."""
    if len(scores) == 0:
        return 0.0
    bins = np.minimum((scores * _BINS).astype(int), _BINS - 1)
    error = 0.0
    for b in range(_BINS):
        inside = bins == b
        if inside.any():
            error += inside.sum() / len(scores) * abs(scores[inside].mean() - labels[inside].mean())
    return float(error)


def _rank(scores: dict[str, float], pledge: str) -> int | None:
    if pledge not in scores:
        return None
    ordered = sorted(scores, key=lambda pid: (-scores[pid], pid))
    return ordered.index(pledge) + 1


def _worst_misses(by_article, gold) -> list[dict]:
    misses = []
    for article, pledges in gold.items():
        scores = by_article[article]
        for pledge in pledges:
            rank = _rank(scores, pledge)
            if rank == 1 and scores[pledge] >= THRESHOLD:
                continue
            score = scores.get(pledge)
            misses.append({"article_id": article, "pledge_id": pledge, "score": score, "rank": rank})
    misses.sort(key=lambda m: (m["score"] or -1.0, m["article_id"], m["pledge_id"]))
    return misses[:_WORST]


def _false_alarms(pairs, by_article) -> list[dict]:
    out: list[dict] = []
    for score, is_gold, article, pledge in pairs:
        if score < THRESHOLD or len(out) >= _WORST:
            break
        if not is_gold:
            rank = _rank(by_article[article], pledge)
            out.append({"article_id": article, "pledge_id": pledge, "score": score, "rank": rank})
    return out
