import json
import logging
from pathlib import Path

from classifier_samples import ARTICLES

from classifiers.model_store import PROMOTED
from classifiers.scoring import COLD_START_VERSION, PledgeScorer
from classifiers.stage_names import DIRECTIONS, STAGES


def best(candidates):
    top = {}
    for c in candidates:
        if c.score > top.get(c.article_id, (None, -1.0))[1]:
            top[c.article_id] = (c.pledge_id, c.score)
    return top


def test_cold_start_ranks_the_right_pledge_first(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    assert scorer.model_version == COLD_START_VERSION
    docs = [tokenizer.analyze(d) for d in ARTICLES.values()]
    candidates = scorer.score(docs)
    top = best(candidates)
    assert top["t-gasoline"][0] == "takaichi-gasoline" and top["t-gasoline"][1] >= 0.5
    assert top["t-nursery"][0] == "koike-nursery" and top["t-nursery"][1] >= 0.5
    assert top["t-title-only"][0] == "ishiba-disaster-agency"
    assert "t-unrelated" not in top  # nothing passes the gate
    assert top["t-politician-only"][1] < 0.5  # named, but about no pledge
    assert all(0.0 <= c.score <= 1.0 for c in candidates)
    assert candidates == scorer.score(docs)  # deterministic, same order


def test_a_threshold_leaves_out_weak_pairs_and_changes_nothing_else(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    docs = [tokenizer.analyze(d) for d in ARTICLES.values()]
    everything = scorer.score(docs)
    strong = scorer.score(docs, min_score=0.5)
    assert strong == [c for c in everything if c.score >= 0.5]
    assert 0 < len(strong) < len(everything)


def test_evidence_is_json_with_sentence_terms_and_politician(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    candidates = scorer.score([tokenizer.analyze(ARTICLES["gasoline"])])
    top = max(candidates, key=lambda c: c.score)
    json.dumps(top.evidence, ensure_ascii=False)
    assert "暫定税率" in top.evidence["sentence"]
    assert "暫定税率" in top.evidence["terms"]
    assert top.evidence["politician"] == {"mention": "高市首相", "kind": "surname_title"}
    assert set(top.evidence["features"]) >= {"coverage_core", "in_term"}


def test_approved_activities_expand_the_pledge(catalog, tokenizer, tmp_path):
    doc = tokenizer.analyze(ARTICLES["politician_only"])
    plain = PledgeScorer.load(catalog, tmp_path)
    expanded = PledgeScorer.load(catalog, tmp_path, approved={"tamaki-income-wall": [doc]})

    def score_of(scorer):
        return {c.pledge_id: c.score for c in scorer.score([doc])}["tamaki-income-wall"]

    assert score_of(expanded) > score_of(plain)


def test_corrupt_or_missing_model_falls_back_with_a_warning(catalog, tmp_path, caplog):
    (tmp_path / PROMOTED).write_text('{"version": "pairwise-x"}', encoding="utf-8")
    (tmp_path / "pairwise-x.skops").write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING):
        scorer = PledgeScorer.load(catalog, tmp_path)
    assert scorer.model_version == COLD_START_VERSION
    assert "pairwise-x" in caplog.text
    (tmp_path / "pairwise-x.skops").unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert PledgeScorer.load(catalog, tmp_path).model_version == COLD_START_VERSION
    assert "cold-start" in caplog.text


def test_evidence_terms_leave_out_verbs_generic_words_and_pieces():
    from classifiers.scoring import readable_terms

    matched = ["暫定税率", "暫定", "税率", "選ぶ", "担う", "其々", "一部", "ガソリン税", "為る", "の", "廃止"]
    shown = readable_terms(matched)
    assert shown == ["暫定税率", "ガソリン税", "廃止"]


def test_every_candidate_carries_a_stage_suggestion_with_its_phrase(catalog, tokenizer, tmp_path):
    """With the shipped stage model the suggestion names its version; without
    one (an empty models folder) the lexicon suggests, named as such."""
    shipped = Path(__file__).resolve().parents[2] / "models"
    docs = [tokenizer.analyze(d) for d in ARTICLES.values()]
    for models, model_name in ((shipped, "stages-"), (tmp_path, "lexicon")):
        candidates = PledgeScorer.load(catalog, models).score(docs)
        assert candidates
        for c in candidates:
            stage = c.evidence["stage"]
            assert stage["stage"] in STAGES and stage["direction"] in DIRECTIONS
            assert 0.0 < stage["stage_confidence"] <= 1.0 and 0.0 < stage["direction_confidence"] <= 1.0
            assert stage["model"].startswith(model_name)
            assert isinstance(stage["cue"], str)
        with_cue = [c for c in candidates if c.evidence["stage"]["cue"]]
        assert with_cue and all(c.evidence["stage"]["cue"] in "".join(s.text for d in docs if d.id == c.article_id
                                                                     for s in d.sentences) for c in with_cue)
