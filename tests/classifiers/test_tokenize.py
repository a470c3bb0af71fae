import pickle

from classifiers.documents import Document
from classifiers.tokenize import get_tokenizer, split_pair, split_sentences


def test_tokenizer_is_built_once_per_process(tokenizer):
    assert get_tokenizer() is tokenizer


def test_inflected_words_become_lemmas_and_spellings_unify(tokenizer):
    assert "引き上げる" in tokenizer.terms("最低賃金を引き上げた")
    assert "引き上げる" in tokenizer.terms("最低賃金を引上げ")
    assert "子供" in tokenizer.terms("こどもの医療費")


def test_proper_nouns_keep_their_kanji(tokenizer):
    terms = tokenizer.terms("高市早苗首相と石破氏")
    assert "高市" in terms and "石破" in terms
    assert "タカイチ" not in terms


def test_meaningful_compounds_are_joined(tokenizer):
    terms = tokenizer.terms("日米同盟の強化と物価高対策、防災庁の設置")
    assert {"日米同盟", "物価高", "物価高対策", "防災庁"} <= set(terms)
    assert {"日米", "同盟", "防災"} <= set(terms)


def test_phrases_split_by_particles_stay_whole(tokenizer):
    assert "年収の壁" in tokenizer.terms("年収の壁を178万円に")


def test_unknown_words_fall_back_to_the_surface_and_text_is_nfkc(tokenizer):
    terms = tokenizer.terms("サナエノミクスとＧＸ")
    assert "サナエノミクス" in terms and "GX" in terms


def test_boilerplate_and_function_words_are_dropped(tokenizer):
    terms = set(tokenizer.terms("記者会見で述べた。関係者によると、21日に明らかにした。"))
    assert not terms & {"為る", "述べる", "記者会見", "関係者", "明らか", "21日"}


def test_analyze_keeps_original_sentences_and_sections(tokenizer):
    doc = Document(
        "d1",
        "ＧＤＰ比２％へ前倒し",
        "政府は防衛費を増やす。自衛隊の処遇も改善する。\n\n来年度予算で手当てする。",
    )
    analysed = tokenizer.analyze(doc)
    assert [s.section for s in analysed.sentences] == ["title", "lead", "lead", "body"]
    assert analysed.sentences[0].text == "ＧＤＰ比２％へ前倒し"  # display text untouched
    assert analysed.text.startswith("GDP比2%へ前倒し")  # matching text normalised
    assert "防衛費" in analysed.lead_counts and "予算" in analysed.body_counts
    assert "GDP" in analysed.title_counts
    assert pickle.loads(pickle.dumps(analysed)) == analysed


def test_sentence_split_and_alignment():
    assert split_sentences("今日は晴れ。「行く！」と言った？そうだ") == [
        "今日は晴れ。",
        "「行く！」",
        "と言った？",
        "そうだ",
    ]
    originals, norms = split_pair("ＡＢ。ｃ！", "AB。c!")
    assert originals == ["ＡＢ。", "ｃ！"] and norms == ["AB。", "c!"]
    originals, norms = split_pair("㈱だ。", "(株)だ。")
    assert originals == ["㈱だ。"] and norms == ["(株)だ。"]


def test_very_long_text_without_punctuation_is_cut_not_crashed(tokenizer):
    doc = Document("long", "", "あ" * 30_000 + "防災庁")
    analysed = tokenizer.analyze(doc)
    assert len(analysed.sentences) >= 8


def test_fast_nfkc_agrees_with_unicodedata():
    import unicodedata

    from extractors.text import nfkc

    for text in ["ＧＤＰ比２％、（株）と㈱", "ｶﾞｿﾘﾝ税　引き下げ！", "すでに正規形", "①～③"]:
        assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_paragraph_tagging_lines_up_with_the_sentences(tokenizer):
    body = "首相は防衛費を増やすと述べた。「財源は確保する。」と強調した。\n本当か！与党は賛成した。"
    analysed = tokenizer.analyze(Document("p", "", body))
    texts = [s.text for s in analysed.sentences]
    assert texts == [
        "首相は防衛費を増やすと述べた。",
        "「財源は確保する。」",
        "と強調した。",
        "本当か！",
        "与党は賛成した。",
    ]
    assert "防衛費" in analysed.sentences[0].terms and "財源" in analysed.sentences[1].terms
    assert "与党" in analysed.sentences[4].terms


def test_compounds_are_the_noun_runs_as_written(tokenizer):
    assert tokenizer.compounds("港湾物流の効率化と、第2子の保育料") == ["港湾物流", "効率化", "保育料"]
    assert tokenizer.compounds("ＤＸを進める") == ["DX"]  # NFKC, like the article text it is looked up in
    assert tokenizer.compounds("") == []
