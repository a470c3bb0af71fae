"""Training the stage model: the repository's stage labels plus moderators'
kept stages, cross-validated by event, saved under `models/`.

Run once after the labels change (the shipped artifact is made this way):

    .venv/bin/python -m classifiers.stage_training [--models models]

`pledgewatch train` calls `retrain_with_decisions` to learn moderators'
corrections (see pipeline/train.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import GroupKFold

from classifiers.documents import Document
from classifiers.stage_data import StageExample, demo_site_examples, realnews_examples
from classifiers.stage_store import load_stage_model, new_version, save_stage_model
from classifiers.stages import REGRESS, STAGES, StageModel, passage
from classifiers.tokenize import Tokenizer, get_tokenizer

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT.parent / "shared" / "realnews"
LABELS = ROOT / "data" / "stage_labels"
MIN_HELD_BACK = 10


def data_examples(tokenizer: Tokenizer | None = None, realnews: Path = REALNEWS) -> list[StageExample]:
    """Every stage-labelled activity in the repository: realnews (when the
    shared corpus is beside the checkout) and the demo site."""
    tokenizer = tokenizer or get_tokenizer()
    out = []
    if (realnews / "articles.jsonl").exists():
        out += realnews_examples(realnews, LABELS / "realnews.jsonl", tokenizer)
    out += demo_site_examples(ROOT / "data" / "demo_site", ROOT / "data" / "pledges.toml",
                              LABELS / "demo_site.jsonl", tokenizer)
    return out


def fit(examples: Sequence[StageExample]) -> StageModel:
    return StageModel().fit([e.text for e in examples], [e.stage for e in examples],
                            [e.direction for e in examples])


def cross_validate(examples: Sequence[StageExample], folds: int = 5) -> tuple[list[str], list[str], list[float]]:
    """Suggested stage, direction and stage confidence of each example, from a
    model that saw none of its event (GroupKFold over `group`)."""
    texts = [e.text for e in examples]
    groups = [e.group for e in examples]
    stage_out, direction_out, confidence = [""] * len(examples), [""] * len(examples), [0.0] * len(examples)
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        model = fit([examples[i] for i in train])
        for i, suggestion in zip(test, model.predict([texts[i] for i in test]), strict=True):
            stage_out[i], direction_out[i] = suggestion.stage, suggestion.direction
            confidence[i] = suggestion.stage_confidence
    return stage_out, direction_out, confidence


def figures(gold_s: Sequence[str], gold_d: Sequence[str], pred_s: Sequence[str], pred_d: Sequence[str]) -> dict:
    regress_gold = [d == REGRESS for d in gold_d]
    regress_pred = [d == REGRESS for d in pred_d]
    return {
        "stage_accuracy": round(accuracy_score(gold_s, pred_s), 4),
        "stage_macro_f1": round(f1_score(gold_s, pred_s, labels=list(STAGES), average="macro", zero_division=0), 4),
        "direction_accuracy": round(accuracy_score(gold_d, pred_d), 4),
        "regress_precision": round(precision_score(regress_gold, regress_pred, zero_division=0), 4),
        "regress_recall": round(recall_score(regress_gold, regress_pred, zero_division=0), 4),
    }


def data_hash(examples: Sequence[StageExample]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(json.dumps([e.article_id, e.pledge_id, e.text, e.stage, e.direction],
                                 ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def metadata(examples: Sequence[StageExample], metrics: dict, trained_at: datetime) -> dict:
    return {
        "version": new_version(data_hash(examples), trained_at),
        "kind": "stages",
        "trained_at": trained_at.isoformat(),
        "data_hash": data_hash(examples),
        "label_counts": {"stage": dict(Counter(e.stage for e in examples)),
                         "direction": dict(Counter(e.direction for e in examples))},
        "metrics": metrics,
    }


@dataclass(frozen=True)
class StageDecision:
    """A moderator's kept stage and direction on an approved link."""

    article: Document
    pledge_id: str
    sentence: str
    stage: str
    direction: str
    decided_at: datetime


def decision_examples(decisions: Sequence[StageDecision], tokenizer: Tokenizer) -> list[StageExample]:
    """Each decision's passage around the evidence sentence the moderator saw
    (the first body sentence when it is no longer found); one group per article."""
    out = []
    for d in decisions:
        doc = tokenizer.analyze(d.article)
        index = next((i for i, s in enumerate(doc.sentences) if s.text == d.sentence and s.section != "title"), 0)
        out.append(StageExample(d.article.id, d.pledge_id, passage(doc, index), d.stage, d.direction, "",
                                f"decision:{d.article.id}"))
    return out


def stage_decisions(rows: Sequence[dict]) -> list[StageDecision]:
    """storage.stages.kept_stages rows as StageDecisions."""
    return [StageDecision(Document(r["id"], r["title"], r["body"], published=r["published"], url=r["url"],
                                   outlet=r["outlet"]), r["pledge_id"], r["sentence"] or "", r["stage"],
                          r["direction"], r["decided_at"]) for r in rows]


@dataclass(frozen=True)
class StageTrainOutcome:
    version: str | None
    promoted: bool
    reason: str


def retrain_with_decisions(decisions: Sequence[StageDecision], models_dir: Path,
                           tokenizer: Tokenizer | None = None) -> StageTrainOutcome:
    """As for links: the decisions made since the stage model in use was
    trained are held back; a model trained on the labels and the older
    decisions replaces it only if its stage accuracy on them is at least as
    good. Fewer than MIN_HELD_BACK new decisions: nothing is trained."""
    tokenizer = tokenizer or get_tokenizer()
    loaded = load_stage_model(models_dir)
    trained = datetime.fromisoformat(loaded[1]["trained_at"]) if loaded else None
    held = [d for d in decisions if trained is None or d.decided_at > trained]
    if len(held) < MIN_HELD_BACK:
        return StageTrainOutcome(None, False, f"stages: {len(held)} kept stages since the stage model in use; "
                                              f"at least {MIN_HELD_BACK} are needed")
    seen = decision_examples([d for d in decisions if d not in held], tokenizer)
    held_examples = decision_examples(held, tokenizer)
    examples = [*data_examples(tokenizer), *seen]
    model = fit(examples)
    texts = [e.text for e in held_examples]
    gold = [e.stage for e in held_examples]
    new = accuracy_score(gold, [s.stage for s in model.predict(texts)])
    current = accuracy_score(gold, [s.stage for s in loaded[0].predict(texts)]) if loaded else 0.0
    better = new >= current
    meta = metadata(examples, {"held_back": {"decisions": len(held), "stage_accuracy": round(new, 4),
                                             "current_stage_accuracy": round(current, 4)}}, datetime.now(UTC))
    save_stage_model(model, meta, models_dir, promote=better)
    verdict = "promoted" if better else "refused"
    return StageTrainOutcome(meta["version"], better, f"stages {verdict}: stage accuracy {new:.4f} vs {current:.4f} "
                                                      f"on {len(held)} held-back kept stages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    examples = data_examples()
    pred_s, pred_d, _ = cross_validate(examples, args.folds)
    metrics = {"cross_validation": {**figures([e.stage for e in examples], [e.direction for e in examples],
                                              pred_s, pred_d), "folds": args.folds, "examples": len(examples)}}
    meta = metadata(examples, metrics, datetime.now(UTC))
    path = save_stage_model(fit(examples), meta, args.models)
    print(json.dumps({"version": meta["version"], "path": str(path), **metrics}, ensure_ascii=False))


if __name__ == "__main__":
    main()
