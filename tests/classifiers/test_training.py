import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from classifiers.datasets import read_demo_site
from classifiers.model_store import PROMOTED, load_model, promoted_version
from classifiers.scoring import PledgeScorer
from classifiers.training import (
    Comparison,
    TrainingSet,
    challenge,
    compare,
    examples_from_gold,
    holdout_split,
    promote,
    save_model,
    train_pairwise,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo_site"


@pytest.fixture(scope="module")
def demo(catalog):
    if not any(DEMO.glob("articles/*.toml")):
        pytest.skip("demo site articles are not present")
    return read_demo_site(DEMO, catalog)


def test_train_save_load_promote_and_compare(demo, catalog, tokenizer, tmp_path):
    examples = examples_from_gold(demo.documents, demo.gold, catalog)
    train, held = holdout_split(examples)
    assert holdout_split(examples) == (train, held)  # seeded: the same split every time
    assert {e[0].id for e in train}.isdisjoint({e[0].id for e in held})
    when = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    model = train_pairwise(train, catalog, trained_at=when, tokenizer=tokenizer)
    again = train_pairwise(train, catalog, trained_at=when, tokenizer=tokenizer)
    assert model.version == again.version and model.version.startswith("pairwise-20261126T1030-")
    counts = model.metadata["label_counts"]
    assert counts["positive"] > 0 and counts["rows"] > counts["positive_rows"] > 0

    save_model(model, tmp_path)
    assert promoted_version(tmp_path) is None
    promote(tmp_path, model.version)
    assert json.loads((tmp_path / PROMOTED).read_text())["version"] == model.version
    estimator, metadata = load_model(tmp_path, model.version)
    assert metadata["data_hash"] == model.metadata["data_hash"]
    assert hasattr(estimator, "predict_proba")

    scorer = PledgeScorer.load(catalog, tmp_path)
    assert scorer.model_version == model.version
    result = compare(
        model, lambda c: PledgeScorer(c, tokenizer=tokenizer), [TrainingSet(catalog, tuple(held))], tokenizer
    )
    assert set(result.new) == {"average_precision", "brier", "pairs", "positives"}
    assert result.new["pairs"] == result.current["pairs"] == len(held)


def test_comparison_needs_a_strict_win():
    same = {"average_precision": 0.9, "brier": 0.05}
    assert not Comparison(new=same, current=same).better
    assert Comparison(new={**same, "brier": 0.04}, current=same).better
    assert not Comparison(new={**same, "average_precision": 0.89, "brier": 0.0}, current=same).better


def test_training_needs_both_labels(demo, catalog, tokenizer):
    examples = [e for e in examples_from_gold(demo.documents, demo.gold, catalog) if not e[2]]
    with pytest.raises(ValueError, match="both"):
        train_pairwise(examples, catalog, tokenizer=tokenizer)


def test_shipped_model_is_promoted_and_loads(catalog, caplog):
    models = ROOT / "models"
    version = promoted_version(models)
    assert version is not None
    with caplog.at_level(logging.WARNING):
        scorer = PledgeScorer.load(catalog, models)
    assert scorer.model_version == version and not caplog.text
    metadata = json.loads((models / f"{version}.json").read_text(encoding="utf-8"))
    assert metadata["beats_cold_start"] is True
    assert {"trained_at", "label_counts", "data_hash", "cross_validation"} <= set(metadata)


def test_challenge_trains_on_part_and_compares_on_the_rest(demo, catalog, tokenizer):
    examples = tuple(examples_from_gold(demo.documents, demo.gold, catalog))
    result = challenge([TrainingSet(catalog, examples)], lambda c: PledgeScorer(c, tokenizer=tokenizer))
    held = result.model.metadata["held_back"]
    assert held["new"]["pairs"] == held["current"]["pairs"] > 0
    assert result.comparison.better == Comparison(result.comparison.new, result.comparison.current).better
