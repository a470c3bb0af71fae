"""Rebuilds the shipped model from the repository's labelled data.

    .venv/bin/python -m classifiers.retrain [--models models]

Cross-validates cold start and the pairwise model (seeded 5-fold split by
article), trains on all the data, saves the model with its metadata, and
promotes it only if it beat cold start. Deterministic: same data, same model.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from catalog.load import load_catalog
from classifiers.crossval import cross_validate
from classifiers.datasets import read_demo_site, read_labelled, real_news_sets, with_catalog_roles
from classifiers.training import SEED, TrainingSet, examples_from_gold, promote, save_model, train_pairwise

_METRICS = (
    "hit_at_1",
    "average_precision",
    "precision",
    "recall",
    "f1",
    "no_pledge_flagged",
    "expected_calibration_error",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="data/pledges.toml")
    parser.add_argument("--demo", default="data/demo_site")
    parser.add_argument("--labelled", default="data/labelled")
    parser.add_argument("--models", default="models")
    parser.add_argument("--trained-at", help="ISO time to stamp the version with (reproducible builds)")
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog)
    demo = read_demo_site(args.demo, catalog)
    labelled = read_labelled(args.labelled)
    # The labelled set twice: as the nightly flow sees it (catalog roles) and as
    # `pledgewatch score` sees it (a pledges file, names only).
    data = [demo, with_catalog_roles(labelled, catalog), labelled, *real_news_sets()]
    validation = cross_validate(data)
    summary = {
        kind: {name: {m: round(getattr(report, m), 4) for m in _METRICS} for name, report in reports.items()}
        for kind, reports in (("cold_start", validation.cold_start), ("pairwise", validation.pairwise))
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))

    sets = [TrainingSet(s.catalog, tuple(examples_from_gold(s.documents, s.gold, s.catalog)), s.groups) for s in data]
    trained_at = datetime.fromisoformat(args.trained_at) if args.trained_at else datetime.now(UTC)
    model = train_pairwise(sets[0].examples, sets[0].catalog, extra=sets[1:], seed=SEED, trained_at=trained_at)
    model.metadata["cross_validation"] = summary
    model.metadata["beats_cold_start"] = validation.pairwise_wins()
    models_dir = Path(args.models)
    path = save_model(model, models_dir)
    print(f"saved {path}")
    if validation.pairwise_wins():
        promote(models_dir, model.version)
        print(f"promoted {model.version}")
    else:
        print("not promoted: the pairwise model did not beat cold start in cross-validation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
