"""A name-only mayor or governor (a pledges file, no office book row) acts
through their city or prefecture: the organisation is read from the batch
where an article writes it with the name (桐生市の佐野和也市長, 金子直樹前橋市長)."""

from classifier_samples import article

from catalog.model import Catalog, Pledge, Politician
from classifiers.recognition import Recognizer


def _setup(tokenizer):
    catalog = Catalog(
        politicians=(Politician(id="sano", name="佐野和也"), Politician(id="kaneko", name="金子直樹")),
        pledges=(
            Pledge(id="a", politician_id="sano", title="給食費を無償にする"),
            Pledge(id="b", politician_id="kaneko", title="新しい体育館を建てる"),
        ),
    )
    return Recognizer(catalog, tokenizer)


def test_the_city_acting_credits_its_mayor_once_the_batch_names_them_together(tokenizer):
    recognizer = _setup(tokenizer)
    named_before = tokenizer.analyze(article("o1", "", "桐生市の佐野和也市長は記者会見で給食について述べた。", None))
    named_with_title = tokenizer.analyze(article("o2", "", "金子直樹前橋市長は体育館の建設を表明した。", None))
    city = tokenizer.analyze(article("o3", "", "桐生市は24日、給食費を無償にする予算案を発表した。", None))
    dated = tokenizer.analyze(article("o4", "", "前橋市は体育館の設計を始めた。", "2025-05-01"))
    assert recognizer.recognize(city) == {} and recognizer.recognize(dated) == {}
    learned = recognizer.learn_offices([named_before, named_with_title, city, dated])
    assert recognizer.recognize(city, learned)["sano"].kind == "body"
    # 前橋市長 as matched after the name has lost its 前: the organisation is 前橋市, not 橋市
    assert recognizer.recognize(dated, learned)["kaneko"].mention == "前橋市"
    assert "kaneko" not in recognizer.recognize(city, learned)


def test_a_prefecture_written_before_the_city_is_not_the_organisation(tokenizer):
    recognizer = _setup(tokenizer)
    named = tokenizer.analyze(article("o5", "", "群馬県桐生市の佐野和也市長は会見した。", None))
    learned = recognizer.learn_offices([named])
    assert [role.organization for role in learned.roles["sano"]] == ["桐生市"]


def test_the_learnt_city_is_the_owners_jurisdiction(tokenizer):
    recognizer = _setup(tokenizer)
    named = tokenizer.analyze(article("o6", "", "桐生市の佐野和也市長は会見した。", None))
    learned = recognizer.learn_offices([named])
    assert recognizer.elsewhere("sano", frozenset({"高崎市"}), learned)
    assert not recognizer.elsewhere("sano", frozenset({"桐生市"}), learned)
    assert not recognizer.elsewhere("sano", frozenset({"高崎市"}))  # nothing learnt: no place of their own


def test_a_learnt_prime_minister_governs_no_place(tokenizer):
    catalog = Catalog(
        politicians=(Politician(id="石破茂", name="石破茂"),),
        pledges=(Pledge(id="x", politician_id="石破茂", title="防災庁を設置する"),),
    )
    recognizer = Recognizer(catalog, tokenizer)
    named = tokenizer.analyze(article("o7", "石破首相が視察", "石破首相は被災地を視察した。", "2025-03-01"))
    learned = recognizer.learn_offices([named])
    assert learned.roles["石破茂"]
    assert not recognizer.elsewhere("石破茂", frozenset({"大阪府"}), learned)
