import pytest

from classifiers.documents import InputError
from classifiers.evaluation import evaluate, read_gold_jsonl
from classifiers.scoring import Candidate


def c(article, pledge, score):
    return Candidate(article, pledge, score, {})


def test_metrics_on_a_small_hand_checked_case():
    gold = {"a1": {"p1"}, "a2": {"p2", "p3"}, "a3": set(), "a4": set()}
    candidates = [
        c("a1", "p1", 0.9),
        c("a1", "p2", 0.4),  # right pledge first
        c("a2", "p3", 0.8),
        c("a2", "p1", 0.85),  # wrong pledge first; p2 never scored
        c("a3", "p1", 0.6),  # a no-pledge article flagged
        c("a4", "p2", 0.1),
        c("zz", "p1", 0.99),  # not in gold: ignored
    ]
    report = evaluate(candidates, gold)
    assert report.hit_at_1 == 0.5
    # ranking: p1@a1 .9 (hit), p1@a2 .85, p3@a2 .8 (hit), p1@a3 .6, ...; 3 gold pairs
    assert report.average_precision == pytest.approx((1 / 1 + 2 / 3) / 3)
    assert report.precision == pytest.approx(2 / 4) and report.recall == pytest.approx(2 / 3)
    assert report.no_pledge_flagged == 0.5
    misses = {(m["article_id"], m["pledge_id"]) for m in report.worst_misses}
    assert misses == {("a2", "p2"), ("a2", "p3")}
    assert report.worst_misses[0]["score"] is None  # unscored first
    assert report.false_alarms[0]["pledge_id"] == "p1"
    text = report.format_text()
    assert "hit@1" in text and "a2  p2  score unscored" in text
    assert set(report.to_json()) >= {"hit_at_1", "average_precision", "f1", "expected_calibration_error"}


def test_perfectly_calibrated_scores_have_no_calibration_error():
    gold = {f"a{i}": ({"p"} if i < 7 else set()) for i in range(10)}
    report = evaluate([c(f"a{i}", "p", 0.7) for i in range(10)], gold)
    assert report.expected_calibration_error == pytest.approx(0.0)


def test_gold_reader(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"article_id": "a1", "pledge_ids": ["p1", 2]}\n\n{"article_id": "a2", "pledge_ids": []}\n')
    assert read_gold_jsonl(path) == {"a1": {"p1", "2"}, "a2": set()}
    path.write_text('{"article_id": "a1", "pledge_ids": "p1"}\n')
    with pytest.raises(InputError, match=r"g\.jsonl:1: pledge_ids"):
        read_gold_jsonl(path)
