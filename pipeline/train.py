"""`pledgewatch train`: a new model version from moderators' decisions plus the
repository's labelled data, promoted only if it beats the model in use.

The comparison must be on pairs the model in use has not learnt from: the
decisions made after it was trained (all decisions are new to cold start, so
then a seeded fifth of them is held back instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from catalog.load import load_catalog
from catalog.model import Catalog
from classifiers.datasets import read_demo_site, read_labelled, real_news_sets, with_catalog_roles
from classifiers.documents import Document
from classifiers.model_store import load_promoted, promote
from classifiers.scoring import PledgeScorer
from classifiers.stage_training import retrain_with_decisions, stage_decisions
from classifiers.training import (
    Example,
    TrainingSet,
    compare,
    examples_from_gold,
    holdout_split,
    save_model,
    train_pairwise,
)
from storage.db import migrate, transaction
from storage.stages import kept_stages
from storage.training import decided_links, demote_others, record_model_version

MIN_HELD_BACK = 10


@dataclass(frozen=True)
class TrainOutcome:
    version: str | None
    current: str
    promoted: bool
    reason: str
    new_metrics: dict | None = None
    current_metrics: dict | None = None
    stages: str = ""  # what became of the stage model (classifiers.stage_training)


def decision_examples(links: list[dict], catalog: Catalog) -> list[tuple[Example, datetime | None]]:
    known = {p.id for p in catalog.pledges}
    examples = []
    for link in links:
        if link["pledge_id"] not in known:
            continue
        document = Document(id=link["id"], title=link["title"], body=link["body"], published=link["published"],
                            url=link["url"], outlet=link["outlet"])
        examples.append(((document, link["pledge_id"], bool(link["label"])), link["decided_at"]))
    return examples


def data_label_sets(catalog: Catalog, demo_site: Path | None, labelled: Path | None,
                    real_news: bool = True) -> list[TrainingSet]:
    """The labelled data, as the nightly flow sees it (catalog roles) and as
    `pledgewatch score` sees it (a pledges file, names only), and real news."""
    sets = []
    if demo_site is not None:
        demo = read_demo_site(demo_site, catalog)
        sets.append(TrainingSet(catalog, tuple(examples_from_gold(demo.documents, demo.gold, catalog))))
    if labelled is not None:
        plain = read_labelled(labelled)
        for view in (with_catalog_roles(plain, catalog), plain):
            sets.append(TrainingSet(view.catalog, tuple(examples_from_gold(view.documents, view.gold, view.catalog))))
    if real_news:
        for real in real_news_sets():
            sets.append(TrainingSet(real.catalog, tuple(examples_from_gold(real.documents, real.gold, real.catalog))))
    return sets


def train(db: Path | str, catalog_path: Path | str, models_dir: Path | str, *, demo_site: Path | None,
          labelled: Path | None) -> TrainOutcome:
    models_dir = Path(models_dir)
    catalog = load_catalog(catalog_path)
    migrate(db)
    with transaction(db) as con:
        links = decided_links(con)
        kept = kept_stages(con)
    stages = retrain_with_decisions(stage_decisions(kept), models_dir).reason
    decisions = decision_examples(links, catalog)
    loaded = load_promoted(models_dir)
    current_version = loaded[1]["version"] if loaded else PledgeScorer(catalog).model_version
    current_trained = datetime.fromisoformat(loaded[1]["trained_at"]) if loaded else None

    if current_trained is None:
        seen, held = holdout_split([example for example, _ in decisions])
    else:
        seen = [example for example, decided in decisions if decided is None or decided <= current_trained]
        held = [example for example, decided in decisions if decided is not None and decided > current_trained]
    if len(held) < MIN_HELD_BACK or not any(label for _, _, label in held) or all(label for _, _, label in held):
        return TrainOutcome(None, current_version, False,
                            f"refused: {len(held)} decisions made since {current_version} was trained; at least "
                            f"{MIN_HELD_BACK}, approvals and rejections both, are needed to compare fairly",
                            stages=stages)

    sets = [*data_label_sets(catalog, demo_site, labelled), TrainingSet(catalog, tuple(seen))]
    sets = [s for s in sets if s.examples]
    first, *rest = sets
    model = train_pairwise(first.examples, first.catalog, extra=rest)

    def current(pledges: Catalog) -> PledgeScorer:
        return PledgeScorer.load(pledges, models_dir)

    comparison = compare(model, current, [TrainingSet(catalog, tuple(held))])
    model.metadata["held_back"] = {"new": comparison.new, "current": comparison.current, "current_version":
                                   current_version}
    path = save_model(model, models_dir)
    reason = f"{'promoted' if comparison.better else 'refused'}: on {len(held)} held-back decisions, " + _versus(
        comparison.new, comparison.current)
    if comparison.better:
        promote(models_dir, model.version)
    with transaction(db) as con:
        record_model_version(con, current_version, kind="pairwise" if loaded else "cold-start",
                             metrics={"held_back": comparison.current})
        record_model_version(con, model.version, kind="pairwise", path=str(path),
                             trained_at=datetime.fromisoformat(model.metadata["trained_at"]),
                             data_hash=model.metadata["data_hash"], label_counts=model.metadata["label_counts"],
                             metrics={"held_back": comparison.new}, promoted=comparison.better, reason=reason)
        if comparison.better:
            demote_others(con, model.version)
    return TrainOutcome(model.version, current_version, comparison.better, reason, comparison.new,
                        comparison.current, stages)


def _versus(new: dict, current: dict) -> str:
    """The figure that decided, as Comparison.better decides: average precision,
    then (on a tie) the Brier score."""
    if new["average_precision"] != current["average_precision"]:
        sign = ">" if new["average_precision"] > current["average_precision"] else "<"
        return f"average precision {new['average_precision']:.4f} {sign} {current['average_precision']:.4f}"
    sign = "<" if new["brier"] < current["brier"] else "≥"
    return (f"average precision tied at {new['average_precision']:.4f}, Brier score "
            f"{new['brier']:.4f} {sign} {current['brier']:.4f}")
