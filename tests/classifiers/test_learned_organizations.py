"""A name-only mayor or governor (a pledges file, no office book row) acts
through their city or prefecture: the organisation is read from the batch
where an article writes it with the name (桐生市の佐野和也市長, 金子直樹前橋市長)."""

from classifier_samples import article, name_only

from classifiers.recognition import Recognizer

SANO, KANEKO = "佐野和也", "金子直樹"


def _setup(tokenizer):
    return Recognizer(name_only((SANO, "給食費を無償にする"), (KANEKO, "新しい体育館を建てる")), tokenizer)


def test_the_city_acting_credits_its_mayor_once_the_batch_names_them_together(tokenizer):
    recognizer = _setup(tokenizer)
    named_before = tokenizer.analyze(article("o1", "", "桐生市の佐野和也市長は記者会見で給食について述べた。", None))
    named_with_title = tokenizer.analyze(article("o2", "", "金子直樹前橋市長は体育館の建設を表明した。", None))
    city = tokenizer.analyze(article("o3", "", "桐生市は24日、給食費を無償にする予算案を発表した。", None))
    dated = tokenizer.analyze(article("o4", "", "前橋市は体育館の設計を始めた。", "2025-05-01"))
    assert recognizer.recognize(city) == {} and recognizer.recognize(dated) == {}
    learned = recognizer.learn_offices([named_before, named_with_title, city, dated])
    assert recognizer.recognize(city, learned)[SANO].kind == "body"
    # 前 of 前橋市長 begins the place, not a former holder: the organisation is 前橋市, not 橋市
    assert recognizer.recognize(dated, learned)[KANEKO].mention == "前橋市"
    assert KANEKO not in recognizer.recognize(city, learned)


def test_a_prefecture_written_before_the_city_is_not_the_organisation(tokenizer):
    recognizer = _setup(tokenizer)
    named = tokenizer.analyze(article("o5", "", "群馬県桐生市の佐野和也市長は会見した。", None))
    learned = recognizer.learn_offices([named])
    assert [role.organization for role in learned.roles[SANO]] == ["桐生市"]


def test_a_former_holder_learns_no_organisation(tokenizer):
    """Their city's acts now are their successor's, not theirs."""
    recognizer = _setup(tokenizer)
    former = [
        tokenizer.analyze(article("o8", "", "佐野和也元桐生市長は講演した。", None)),
        tokenizer.analyze(article("o9", "", "前橋市の金子直樹前市長は講演した。", None)),
    ]
    city = tokenizer.analyze(article("o10", "", "桐生市は給食費を無償にする予算案を発表した。", None))
    learned = recognizer.learn_offices([*former, city])
    assert SANO not in recognizer.recognize(city, learned)
    assert not any(role.bodies for roles in learned.roles.values() for role in roles)


def test_the_learnt_city_is_the_owners_jurisdiction(tokenizer):
    recognizer = _setup(tokenizer)
    named = tokenizer.analyze(article("o6", "", "桐生市の佐野和也市長は会見した。", None))
    learned = recognizer.learn_offices([named])
    assert recognizer.elsewhere(SANO, frozenset({"高崎市"}), learned)
    assert not recognizer.elsewhere(SANO, frozenset({"桐生市"}), learned)
    assert not recognizer.elsewhere(SANO, frozenset({"高崎市"}))  # nothing learnt: no place of their own


def test_a_learnt_prime_minister_governs_no_place(tokenizer):
    recognizer = Recognizer(name_only(("石破茂", "防災庁を設置する")), tokenizer)
    named = tokenizer.analyze(article("o7", "石破首相が視察", "石破首相は被災地を視察した。", "2025-03-01"))
    learned = recognizer.learn_offices([named])
    assert learned.roles["石破茂"]
    assert not recognizer.elsewhere("石破茂", frozenset({"大阪府"}), learned)
