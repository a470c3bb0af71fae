"""Stage and direction suggestions: the cue lexicon, the passage, and a model
trained on the real labelled activities (real fugashi, real data).

The accuracy figures are the benchmark's job (bench/stages.py); these tests
pin behaviour: what a cue means, what evidence is shown, what is stored.
"""

from __future__ import annotations

import collections
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import skops.io as sio
from skops_attack import with_exec_entry

from classifiers.documents import Document
from classifiers.model_store import schema_types
from classifiers.stage_data import demo_site_examples, matched_sentence, realnews_examples
from classifiers.stage_store import PROMOTED, load_stage_model, save_stage_model
from classifiers.stage_training import StageDecision, retrain_with_decisions
from classifiers.stages import (
    DIRECTIONS,
    STAGE_C,
    STAGES,
    TRUSTED_TYPES,
    StageModel,
    cue_markers,
    cue_phrase,
    find_cues,
    passage,
    suggest_by_lexicon,
)
from demosite.site import load_site

ROOT = Path(__file__).resolve().parents[2]
REALNEWS = ROOT.parent / "shared" / "realnews"
LABELS = ROOT / "data" / "stage_labels"


def kinds(text: str) -> dict[str, str | None]:
    return {m.cue.name: m.cue.kind for m in find_cues(text)}


def test_a_cabinet_decision_on_a_bill_is_a_bill_and_on_a_plan_a_decision():
    assert kinds("政府は防災庁設置法案を閣議決定した。") == {"法案を決定": "予算・法案"}
    assert kinds("政府は食料・農業・農村基本計画を閣議決定した。")["閣議決定"] == "決定"


def test_a_setback_cue_survives_inside_a_longer_stage_cue():
    found = kinds("与党は定数削減法案の今国会での成立を見送る方針を固めた。")
    assert found["成立を見送る"] == "予算・法案"
    assert found["見送り"] == "後退"
    assert "成立" not in found


@pytest.mark.parametrize(
    ("text", "not_cue"),
    [("国会議員の定数を削減する。", "会合"), ("参院本会議で審議する。", "会合"), ("県議会議長の公用車。", "会合"),
     ("採決まで持ち込む。", "決定"), ("衆院予算委員会で質問に立った。", "予算案"),
     ("衆院予算委員会で質問に立った。", "審議"),
     ("内閣発足後初めての会見。", "発足"), ("法案は全会一致で可決、成立した。", "合意")],
)
def test_a_cue_word_inside_another_word_is_not_that_cue(text, not_cue):
    """会議 in 国会議員 or 本会議 is no panel, 決ま in 採決まで no decision, 予算 in
    予算委員会 no budget line, 発足 of a cabinet no programme starting, 全会一致 a vote."""
    assert not_cue not in kinds(text)


def test_what_someone_had_been_doing_is_background_but_a_delay_stays_a_delay():
    found = kinds("公用車の見直しを訴えてきた知事が、新しい公用車で登庁した。")
    assert found["~訴える"] is None and "訴える" not in found
    assert kinds("知事選で見直しを掲げていた公用車")["~公約"] is None
    assert kinds("遅れていた工事が終わった。")["延期"] == "後退"
    assert kinds("法案を提出した。")["提出"] == "予算・法案"


def test_reported_speech_loses_its_kind_but_a_bracketed_name_keeps_it():
    assert kinds("合意書は「検討」との言葉を盛り込んだ。")["「検討」"] is None
    assert kinds("都は「女性の活躍を推進する条例案」を発表した。")["法案"] == "予算・法案"


def test_the_cue_joins_the_step_and_the_setback():
    text = "政府はスパイ防止法案について、今国会への提出を見送る方針を固めた。"
    assert cue_phrase(text, "予算・法案", "後退") == "提出を見送る"
    assert cue_phrase("改正案は24日、参院本会議で可決、成立した。", "成立", "前進") == "可決、成立した"
    assert cue_phrase("首相は記者団の質問に笑顔を見せた。", "表明", "前進") == ""


def test_the_passage_is_title_lead_and_the_matched_window(tokenizer):
    sentences = ["防災庁の準備室が発足した。", "人員は20人。", "予算も増やす。", "首相は視察した。", "別の話題だ。"]
    body = "\n".join(sentences)
    doc = tokenizer.analyze(Document("t1", "防災庁へ準備室", body))
    index = matched_sentence(doc, tokenizer.terms("予算"))
    assert doc.sentences[index].text == "予算も増やす。"
    assert passage(doc, index).split("\n") == ["防災庁へ準備室", *sentences[:4]]


@pytest.fixture(scope="module")
def realnews(tokenizer):
    if not REALNEWS.is_dir():
        pytest.skip(f"{REALNEWS} is not beside this checkout")
    return realnews_examples(REALNEWS, LABELS / "realnews.jsonl", tokenizer)


@pytest.fixture(scope="module")
def demo(tokenizer):
    return demo_site_examples(ROOT / "data" / "demo_site", ROOT / "data" / "pledges.toml",
                              LABELS / "demo_site.jsonl", tokenizer)


@pytest.fixture(scope="module")
def model(realnews):
    return StageModel().fit([e.text for e in realnews], [e.stage for e in realnews], [e.direction for e in realnews])


def test_examples_are_grouped_by_event(realnews, demo):
    assert len(realnews) == 248 and len(demo) == 54
    sizes = collections.Counter(e.group for e in realnews)
    assert sizes["realnews:q20"] == 5  # the five 憲法改正 items of one search
    assert {e.group for e in demo if e.article_id == "tokyo-002"} == {"demo:tokyo-002"}


def test_a_model_trained_on_realnews_reads_the_demo_sites_setbacks(model, demo):
    by_id = {(e.article_id, e.pledge_id): e for e in demo}
    spy = by_id[("asahi-012", "takaichi-spy-law")]
    lunch = by_id[("tokyo-012", "yamanaka-school-lunch")]
    spy_s, lunch_s = model.predict([spy.text, lunch.text])
    assert (spy_s.stage, spy_s.direction) == ("予算・法案", "後退")
    assert "見送" in spy_s.cue and spy_s.cue in spy.text
    assert lunch_s.direction == "後退" and "延期" in lunch_s.cue


def test_suggestions_carry_calibrated_probabilities(model, demo):
    suggestions = model.predict([e.text for e in demo])
    for s in suggestions:
        assert s.stage in STAGES and s.direction in DIRECTIONS
        assert set(s.stage_probabilities) == set(STAGES)
        assert sum(s.stage_probabilities.values()) == pytest.approx(1.0, abs=1e-3)
        assert s.stage_confidence == max(s.stage_probabilities.values())
        assert 0.0 < s.direction_confidence <= 1.0
    right = sum(s.stage == e.stage for s, e in zip(suggestions, demo, strict=True))
    assert right / len(demo) > 0.5  # far above the 1/6 of guessing; the figure itself is bench/stages.py's


def test_the_model_round_trips_through_skops(model, demo):
    texts = [e.text for e in demo[:10]]
    again = StageModel.loads(model.dumps())
    assert again.predict(texts) == model.predict(texts)
    assert (again.stage_c, again.c) == (model.stage_c, model.c) == (STAGE_C, 1.0)


@dataclass
class Foreign:
    payload: str = "anything"


def test_a_stage_model_file_with_foreign_types_is_refused():
    data = sio.dumps({"stage": Foreign(), "direction": "前進", "c": 1.0, "folds": 3, "regress_threshold": 0.3})
    with pytest.raises(ValueError, match="untrusted types"):
        StageModel.loads(data)


def test_bad_labels_and_unfitted_use_fail_clearly():
    with pytest.raises(ValueError, match="unknown labels: 成功"):
        StageModel().fit(["法案を提出した。"], ["成功"], ["前進"])
    with pytest.raises(ValueError, match="one length"):
        StageModel().fit(["法案を提出した。"], ["予算・法案"], [])
    with pytest.raises(ValueError, match="two different stages"):
        StageModel().fit(["法案を提出した。", "法案を出した。"], ["予算・法案", "予算・法案"], ["前進", "前進"])
    with pytest.raises(ValueError, match="before fit"):
        StageModel().predict(["法案を提出した。"])


def test_a_stage_model_file_calling_exec_is_refused_and_runs_nothing(model, tmp_path):
    marker = tmp_path / "ran"
    data = with_exec_entry(model.dumps(), f"open({str(marker)!r}, 'w').write('x')")
    with pytest.raises(ValueError, match=r"builtins\.exec"):
        StageModel.loads(data)
    assert not marker.exists()


def test_the_trusted_types_are_exactly_what_a_stage_model_holds(model):
    assert schema_types(model.dumps()) <= set(TRUSTED_TYPES)
    assert all(not name.endswith(".") and name.count(".") >= 1 for name in TRUSTED_TYPES)


def test_a_saved_stage_model_loads_only_while_its_hash_matches(model, demo, tmp_path, caplog):
    meta = {"version": "stages-20261201T0000-abcdef", "trained_at": "2026-12-01T00:00:00+00:00"}
    save_stage_model(model, meta, tmp_path)
    loaded, metadata = load_stage_model(tmp_path)
    assert metadata["version"] == meta["version"]
    assert loaded.predict([demo[0].text]) == model.predict([demo[0].text])
    (tmp_path / f"{meta['version']}.json").write_text('{"version": "x"}', encoding="utf-8")
    assert load_stage_model(tmp_path) is None
    assert "does not match the sha256" in caplog.text and PROMOTED in caplog.text


def test_without_a_model_the_lexicon_suggests_with_low_confidence():
    s = suggest_by_lexicon("改正案は24日、参院本会議で可決、成立した。")
    assert (s.stage, s.direction, s.cue) == ("成立", "前進", "可決、成立した")
    assert suggest_by_lexicon("政府は開業を延期した。").direction == "後退"
    assert s.stage_confidence < 0.5
    assert suggest_by_lexicon("首相は笑顔を見せた。").stage == "表明"


def test_the_markers_name_the_predicate_and_the_title_and_lead_kinds():
    words = cue_markers("防災庁設置法案を閣議決定\n政府は24日、防災庁設置法案を閣議決定した。").split()
    assert "EK:法案を決定" in words and "AK:法案を決定" in words
    assert "T:予算・法案" in words and "LD:予算・法案" in words


def test_train_learns_from_kept_stages_made_since_the_model_in_use(tmp_path):
    """Ten moderators' stages newer than the shipped stage model: a new model is
    trained on the labels, compared on those ten and saved; fewer: nothing."""
    models = tmp_path / "models"
    models.mkdir()
    for name in ROOT.joinpath("models").glob("stages-*"):
        shutil.copy(name, models / name.name)
    _, meta = load_stage_model(models)
    after = datetime.fromisoformat(meta["trained_at"]) + timedelta(days=1)
    site = load_site(ROOT / "data" / "demo_site").articles[:10]
    decisions = [StageDecision(Document(a.id, a.title, a.body), "p", a.body.split("。")[0] + "。", "実施", "前進",
                               after) for a in site]
    assert retrain_with_decisions(decisions[:9], models).version is None
    outcome = retrain_with_decisions(decisions, models)
    assert outcome.version and outcome.version.startswith("stages-")
    assert (models / f"{outcome.version}.skops").exists() and "10 held-back" in outcome.reason
    assert (load_stage_model(models)[1]["version"] == outcome.version) == outcome.promoted
