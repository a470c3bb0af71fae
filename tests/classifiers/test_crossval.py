from pathlib import Path

import pytest

from classifiers.crossval import cross_validate, fold_of
from classifiers.datasets import read_demo_site, read_labelled, with_catalog_roles
from classifiers.evaluation import evaluate
from classifiers.scoring import PledgeScorer

ROOT = Path(__file__).resolve().parents[2]


def test_folds_are_seeded_and_spread():
    folds = [fold_of(f"a{i}", i % 2 == 0, 5, 7) for i in range(200)]
    assert folds == [fold_of(f"a{i}", i % 2 == 0, 5, 7) for i in range(200)]
    assert set(folds) == set(range(5))


@pytest.mark.timeout(900)  # trains several models; a shared 2-core machine needs the room
def test_cross_validation_reports_cold_start_and_pairwise(catalog, tokenizer):
    demo_dir = ROOT / "data" / "demo_site"
    if not any(demo_dir.glob("articles/*.toml")):
        pytest.skip("demo site articles are not present")
    demo = read_demo_site(demo_dir, catalog)
    result = cross_validate([demo], folds=3, tokenizer=tokenizer)
    cold, trained = result.cold_start["demo_site"], result.pairwise["demo_site"]
    assert cold.articles == trained.articles == len(demo.documents)
    # Cold start is the untrained scorer on every article, whatever the folds.
    analysed = [tokenizer.analyze(d) for d in demo.documents]
    expected = evaluate(PledgeScorer(catalog, tokenizer=tokenizer).score(analysed), demo.gold, demo.kinds)
    assert cold.to_json() == expected.to_json()
    # The folds' models scored the articles they did not learn from, not as cold start does.
    assert trained.scored_pairs > 0 and trained.to_json() != cold.to_json()


def test_labelled_set_takes_catalog_roles_by_name(catalog):
    labelled_dir = ROOT / "data" / "labelled"
    if not (labelled_dir / "gold.jsonl").is_file():
        pytest.skip("labelled set is not present")
    labelled = read_labelled(labelled_dir)
    merged = with_catalog_roles(labelled, catalog)
    pledge = next(p for p in merged.catalog.pledges if p.id == "takaichi-gasoline")
    assert merged.catalog.politician(pledge.politician_id).roles
    outsider = next(p for p in merged.catalog.pledges if p.id.startswith("ext-"))
    assert not merged.catalog.politician(outsider.politician_id).roles
    assert len(merged.gold) == len(labelled.documents)
