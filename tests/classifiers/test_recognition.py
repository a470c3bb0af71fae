from classifier_samples import ARTICLES, article, name_only

from catalog.model import Catalog, Pledge, Politician
from catalog.offices import default_offices, with_offices
from classifiers.recognition import Recognizer


def recognise(catalog, tokenizer, doc):
    return Recognizer(catalog, tokenizer).recognize(tokenizer.analyze(doc))


def test_full_name_and_surname_with_title_or_honorific(catalog, tokenizer):
    doc = article("r1", "石破氏が講演", "石破茂前首相は地方創生について講演した。吉村代表も出席した。", "2026-01-10")
    found = recognise(catalog, tokenizer, doc)
    assert found["ishiba-shigeru"].kind == "name"
    assert found["ishiba-shigeru"].in_title
    assert found["yoshimura-hirofumi"].kind == "surname_title"
    assert found["yoshimura-hirofumi"].mention == "吉村代表"


def test_bare_title_resolves_through_roles_by_date(catalog, tokenizer):
    body = "首相は21日、記者会見で経済対策を表明した。"
    before = recognise(catalog, tokenizer, article("r2", "経済対策", body, "2025-03-01"))
    after = recognise(catalog, tokenizer, article("r3", "経済対策", body, "2025-12-01"))
    assert before["ishiba-shigeru"].kind == "title" and "takaichi-sanae" not in before
    assert after["takaichi-sanae"].kind == "title" and "ishiba-shigeru" not in after


def test_body_counts_within_the_term_only(catalog, tokenizer):
    body = "政府は防衛費を今年度中にGDP比2%へ引き上げる方針を決めた。"
    found = recognise(catalog, tokenizer, article("r4", "防衛費", body, "2025-11-28"))
    assert found["takaichi-sanae"].kind == "body" and found["takaichi-sanae"].in_term
    assert found["ishiba-shigeru"].in_term is False if "ishiba-shigeru" in found else True


def test_shared_title_needs_the_holders_own_body(catalog, tokenizer):
    """Three governors are in office at once: 知事 alone names none of them,
    知事 with 都 names Koike."""
    alone = recognise(catalog, tokenizer, article("r5", "知事が会見", "知事は会見で述べた。", "2025-06-01"))
    assert not {"koike-yuriko", "suzuki-naomichi", "yoshimura-hirofumi"} & set(alone)
    tokyo = recognise(catalog, tokenizer, ARTICLES["nursery"])
    assert tokyo["koike-yuriko"].kind == "surname_title"
    assert "suzuki-naomichi" not in tokyo


def test_politician_known_only_by_name_in_a_pledges_file(tokenizer):
    """No catalog entry, no roles: full name, surname with any title, and a bare
    title the same article used with the surname."""
    catalog = Catalog(
        politicians=(Politician(id="小野寺五典", name="小野寺五典"),),
        pledges=(Pledge(id="x", politician_id="小野寺五典", title="防衛力を強化する"),),
    )
    doc = article("r6", "小野寺政調会長が視察", "小野寺政調会長は基地を視察した。政調会長は防衛力の強化を訴えた。")
    found = recognise(catalog, tokenizer, doc)["小野寺五典"]
    assert found.kind == "surname_title" and found.mention == "小野寺政調会長"
    assert found.count == 2 and found.in_term is None
    plain = recognise(catalog, tokenizer, article("r7", "t", "小野寺五典氏が語った。"))
    assert plain["小野寺五典"].kind == "name"


def test_articles_without_politicians_find_nobody(catalog, tokenizer):
    assert recognise(catalog, tokenizer, ARTICLES["unrelated"]) == {}


def test_same_surname_of_someone_else_does_not_count(catalog, tokenizer):
    doc = article(
        "r8",
        "秋田沖の洋上風力、鈴木知事が要望",
        "秋田県の鈴木健太知事は8日、洋上風力の再公募を求めた。鈴木知事は「地域の産業の芽を守る」と述べた。",
        "2025-09-08",
    )
    assert "suzuki-naomichi" not in recognise(catalog, tokenizer, doc)


def test_body_of_a_name_only_politician_comes_from_their_pledges(tokenizer):
    """No roles table, but the pledges say which city is theirs."""
    catalog = Catalog(
        politicians=(Politician(id="山中竹春", name="山中竹春"), Politician(id="横山英幸", name="横山英幸")),
        pledges=(
            Pledge(
                id="a",
                politician_id="山中竹春",
                title="中学校給食の全員喫食",
                description="横浜市立中学校で全員が給食を食べる。",
            ),
            Pledge(
                id="b",
                politician_id="横山英幸",
                title="給食無償化を続ける",
                description="大阪市立の小中学校で給食費を無償にする。",
            ),
        ),
    )
    doc = article("r9", "中学校給食、全員喫食へ", "横浜市は4月から市立中学校で全員喫食を始める。")
    found = recognise(catalog, tokenizer, doc)
    assert found["山中竹春"].kind == "body" and found["山中竹春"].mention == "横浜市"
    assert "横山英幸" not in found


def test_a_body_acts_only_as_a_subject(catalog, tokenizer):
    acting = recognise(catalog, tokenizer, article("r10", "t", "都は保育料を無償にする。", "2025-06-01"))
    placed = recognise(
        catalog, tokenizer, article("r11", "t", "都内の保育所で事故があった。都の職員が確認した。", "2025-06-01")
    )
    assert acting["koike-yuriko"].kind == "body"
    assert placed.get("koike-yuriko") is None or placed["koike-yuriko"].kind == "place"


def test_offices_of_name_only_politicians_are_learnt_from_the_batch(tokenizer):
    recognizer = Recognizer(name_only(("大村秀章", "アジア大会を成功させる")), tokenizer)
    named = tokenizer.analyze(article("r12", "大村知事が視察", "大村知事は会場を視察した。", "2025-05-01"))
    bare = tokenizer.analyze(article("r13", "知事、準備を指示", "知事は大会の準備を急ぐよう指示した。", "2025-05-20"))
    late = tokenizer.analyze(article("r14", "知事、準備を指示", "知事は大会の準備を急ぐよう指示した。", "2026-05-20"))
    assert recognizer.recognize(bare) == {}
    learned = recognizer.learn_offices([named, bare, late])
    assert recognizer.recognize(bare, learned)["大村秀章"].kind == "title"
    assert recognizer.recognize(late, learned) == {}  # far outside the months the title was seen


def test_a_learnt_national_office_brings_the_government_with_it(tokenizer):
    recognizer = Recognizer(name_only(("石破茂", "防災庁を設置する")), tokenizer)
    named = tokenizer.analyze(article("r15", "石破首相が視察", "石破首相は被災地を視察した。", "2025-03-01"))
    body = tokenizer.analyze(article("r16", "防災庁の準備", "政府は防災庁の準備組織を設けた。", "2025-03-10"))
    learned = recognizer.learn_offices([named, body])
    assert recognizer.recognize(body, learned)["石破茂"].kind == "body"


def test_a_shared_surname_counts_only_with_the_holders_own_title(tokenizer):
    catalog = Catalog(
        politicians=(Politician(id="鈴木直道", name="鈴木直道"), Politician(id="鈴木俊一", name="鈴木俊一")),
        pledges=(
            Pledge(id="a", politician_id="鈴木直道", title="洋上風力を進める"),
            Pledge(id="b", politician_id="鈴木俊一", title="財政健全化を進める"),
        ),
    )
    recognizer = Recognizer(catalog, tokenizer)
    named = tokenizer.analyze(article("r17", "鈴木直道知事が会見", "鈴木直道知事は会見した。", "2025-05-01"))
    bare = tokenizer.analyze(article("r18", "鈴木知事、風力を推進", "鈴木知事は洋上風力を進める。", "2025-05-10"))
    assert recognizer.recognize(bare) == {}
    learned = recognizer.learn_offices([named, bare])
    found = recognizer.recognize(bare, learned)
    assert found["鈴木直道"].kind == "surname_title" and "鈴木俊一" not in found


def _name_only_recognizer(tokenizer, people, title):
    """A pledges file of name-only politicians, one pledge each, with the office book."""
    book = default_offices()
    catalog = with_offices(
        Catalog(
            politicians=tuple(Politician(id=name, name=name) for name in people),
            pledges=tuple(Pledge(id=name, politician_id=name, title=title) for name in people),
        ),
        book,
    )
    return Recognizer(catalog, tokenizer, book.people())


def test_earlier_prime_ministers_are_dated_by_the_office_book(tokenizer):
    """A pledges file of past prime ministers: 政府 and a surname with 首相 credit
    the holder of the article's date, 菅首相 in 2010 being 菅直人, not 菅義偉."""
    recognizer = _name_only_recognizer(tokenizer, ("福田康夫", "菅直人", "菅義偉"), "行政改革を進める")
    body = "政府は19日の閣議で、消費者庁を創設する関連法案を決定した。"
    cabinet = tokenizer.analyze(article("r30", "関連法案を閣議決定", body, "2008-09-19"))
    assert recognizer.recognize(cabinet)["福田康夫"].kind == "body"
    meeting = tokenizer.analyze(article("r31", "菅首相が会議", "菅首相は官邸で会議を開いた。", "2010-11-06"))
    kan = recognizer.recognize(meeting)
    assert kan["菅直人"].kind == "surname_title" and "菅義偉" not in kan


def test_agencies_without_a_minister_of_their_own_act_for_the_cabinet(tokenizer):
    """気象庁 and 内閣府 have no minister in the office book, yet they are the
    government acting: the prime minister of the date gets the body mention,
    and one of another date does not."""
    recognizer = _name_only_recognizer(tokenizer, ("石破茂", "高市早苗"), "気象衛星の観測体制を強化する")
    for number, agency in enumerate(("気象庁", "内閣府")):
        body = f"{agency}は25日、次期気象衛星の運用開始が1年遅れると発表した。"
        found = recognizer.recognize(tokenizer.analyze(article(f"r4{number}", "衛星の運用", body, "2025-08-25")))
        assert found["石破茂"].kind == "body" and found["石破茂"].mention == agency
        assert "高市早苗" not in found or not found["高市早苗"].in_term
