"""`pledgewatch train`, the one way a model is trained: moderators' decisions
plus the repository's labelled data (demo site, labelled set, real news),
promoted by one rule, `training.challenge`: only if it beats the model in use.

The comparison must be on pairs the model in use has not learnt from: the
decisions made after it was trained; against cold start, which learnt from
nothing, a seeded fifth of every set. Both versions get a `model_versions` row.
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
from classifiers.training import Example, TrainingSet, challenge, examples_from_gold, hold_back_share, save_model
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
            sets.append(TrainingSet(real.catalog, tuple(examples_from_gold(real.documents, real.gold, real.catalog)),
                                    real.groups))
    return sets


def train(db: Path | str, catalog_path: Path | str, models_dir: Path | str, *, demo_site: Path | None,
          labelled: Path | None, real_news: bool = True, baseline: str = "in-use",
          trained_at: datetime | None = None) -> TrainOutcome:
    """`baseline="cold-start"` challenges cold start instead of the promoted
    model: how the shipped model is rebuilt from the repository's labels
    (README, "Retraining the shipped model")."""
    models_dir = Path(models_dir)
    catalog = load_catalog(catalog_path)
    migrate(db)
    with transaction(db) as con:
        links = decided_links(con)
        kept = kept_stages(con)
    stages = retrain_with_decisions(stage_decisions(kept), models_dir).reason
    decisions = decision_examples(links, catalog)
    data = data_label_sets(catalog, demo_site, labelled, real_news)
    loaded = load_promoted(models_dir) if baseline == "in-use" else None

    if loaded is None:
        # Cold start has learnt nothing: a seeded fifth of every set is held back.
        current_version = PledgeScorer(catalog).model_version
        seen, held_back = hold_back_share([*data, TrainingSet(catalog, tuple(e for e, _ in decisions))])
        held = [example for s in held_back for example in s.examples]
        what = "held-back labelled pairs"

        def current(pledges: Catalog) -> PledgeScorer:
            return PledgeScorer(pledges)
    else:
        current_version = loaded[1]["version"]
        current_trained = datetime.fromisoformat(loaded[1]["trained_at"])
        held = [example for example, decided in decisions if decided is not None and decided > current_trained]
        seen = [*data, TrainingSet(catalog, tuple(example for example, decided in decisions
                                                  if decided is None or decided <= current_trained))]
        held_back = [TrainingSet(catalog, tuple(held))]
        what = "held-back decisions"

        def current(pledges: Catalog) -> PledgeScorer:
            return PledgeScorer.load(pledges, models_dir)
    if len(held) < MIN_HELD_BACK or not any(label for _, _, label in held) or all(label for _, _, label in held):
        counted = (f"{len(held)} decisions made since {current_version} was trained" if loaded
                   else f"{len(held)} labelled pairs held back against {current_version}")
        return TrainOutcome(None, current_version, False,
                            f"refused: {counted}; at least {MIN_HELD_BACK}, approvals and rejections both, "
                            "are needed to compare fairly", stages=stages)

    result = challenge(seen, held_back, current, trained_at=trained_at)
    model, comparison = result.model, result.comparison
    model.metadata["held_back"]["current_version"] = current_version
    path = save_model(model, models_dir)
    reason = f"{'promoted' if comparison.better else 'refused'}: on {len(held)} {what}, " + _versus(
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
