"""How news writes a name that the catalog writes one way: a minister's title with
its ministry or without it (片山財務大臣, 片山大臣), a full name with a space (佐藤 栄一),
a party name the tagger cuts into words (再生の道). Each is found for its politician
and, where two share a surname, for the one whose office the title names."""

from __future__ import annotations

from datetime import date

from classifier_samples import article

from catalog.local_offices import office_role
from catalog.model import PARTY, Catalog, Pledge, Politician, Role
from classifiers.recognition import Recognizer


def person(pid: str, name: str, *roles, party: str | None = None) -> Politician:
    return Politician(id=pid, name=name, party=party, roles=tuple(office_role(*r) for r in roles))


CATALOG = Catalog(
    politicians=(
        person("minister", "河合良子", ("財務大臣", "財務省", "国", date(2025, 10, 21))),
        person("governor", "河合信吾", ("知事", "山形県", None, date(2021, 1, 27))),
        person("mayor", "佐藤栄一", ("市長", "宇都宮市", "栃木県", date(2004, 11, 28))),
        Politician(id="party:未来の道", name="未来の道", kind=PARTY),
    ),
    pledges=tuple(Pledge(id=f"{pid}-1", politician_id=pid, title="路線バスを維持する")
                  for pid in ("minister", "governor", "mayor", "party:未来の道")),
)


def named(tokenizer, body: str, day: str | None = "2026-01-10") -> dict[str, str]:
    doc = tokenizer.analyze(article("f1", "", body, day))
    return {pid: m.kind for pid, m in Recognizer(CATALOG, tokenizer).recognize(doc).items()}


def test_a_ministers_title_with_or_without_the_ministry_names_the_minister(tokenizer):
    assert named(tokenizer, "河合財務大臣は路線バスの維持を表明した。") == {"minister": "surname_title"}
    assert named(tokenizer, "河合大臣は路線バスの維持を表明した。") == {"minister": "surname_title"}
    assert named(tokenizer, "河合知事は路線バスの維持を表明した。") == {"governor": "surname_title"}


def test_a_full_name_written_with_a_space_is_the_full_name(tokenizer):
    spaced = named(tokenizer, "市長選で当選を決めた佐藤 栄一さんは路線バスの維持を訴えた。", day=None)
    assert spaced == {"mayor": "name"}


def test_a_party_name_of_several_words_is_found(tokenizer):
    assert named(tokenizer, "地域政党「未来の道」は路線バスの維持を公約に掲げた。") == {"party:未来の道": "name"}


def test_a_name_in_old_kanji_forms_is_the_same_name(tokenizer):
    catalog = Catalog(
        politicians=(person("mayor-h", "浜崎真一", ("市長", "高崎市", "群馬県", date(2020, 4, 1))),
                     Politician(id="mayor-t", name="髙野実")),
        pledges=(Pledge(id="h-1", politician_id="mayor-h", title="路線バスを維持する"),
                 Pledge(id="t-1", politician_id="mayor-t", title="路線バスを維持する")),
    )

    def found(body: str) -> set[str]:
        doc = tokenizer.analyze(article("v1", "", body, "2026-01-10"))
        return set(Recognizer(catalog, tokenizer).recognize(doc))

    assert found("髙﨑市の濵﨑眞一市長は路線バスの維持を訴えた。") == {"mayor-h"}
    assert found("高野実氏は路線バスの維持を訴えた。") == {"mayor-t"}


def test_a_ministry_whose_name_the_tagger_cuts_into_words_acts_for_the_prime_minister(tokenizer):
    # 経済産業省 and 資源エネルギー庁 come out of the tagger as three words each, so
    # no term of the article is the ministry: the text is searched for them.
    prime_minister = Role(title="内閣総理大臣", organization="内閣", start=date(2025, 10, 21), region="国",
                          bodies=("政府", "経済産業省", "資源エネルギー庁", "財務省"))
    catalog = Catalog(
        politicians=(Politician(id="pm", name="河合良子", roles=(prime_minister,)),),
        pledges=(Pledge(id="pm-1", politician_id="pm", title="ガソリン税の暫定税率を廃止する"),),
    )
    recognizer = Recognizer(catalog, tokenizer)

    def acting(body: str, day: str | None = "2025-11-07") -> dict[str, tuple[str, str]]:
        doc = tokenizer.analyze(article("m1", "", body, day))
        return {pid: (m.kind, m.mention) for pid, m in recognizer.recognize(doc).items()}

    assert "経済産業省" not in tokenizer.terms("経済産業省")
    assert acting("経済産業省は、ガソリンへの補助金を段階的に拡大すると発表した。") == {"pm": ("body", "経済産業省")}
    assert acting("資源エネルギー庁が補助金の拡大を発表した。") == {"pm": ("body", "資源エネルギー庁")}
    assert acting("経済産業省は補助金の拡大を発表した。", day="2024-05-01") == {}


def test_a_prefecture_the_tagger_cuts_off_inside_a_longer_word_still_grounds_its_bare_body(tokenizer):
    # 佐賀県立大 comes out as 佐賀 / 県立 / 大: 佐賀県 is no term, yet it tells
    # which governor's 県 acts. 京都府 inside 東京都府中市 is no prefecture.
    catalog = Catalog(
        politicians=(person("saga", "河合信吾", ("知事", "佐賀県", None, date(2015, 1, 14))),
                     person("kyoto", "佐藤良子", ("知事", "京都府", None, date(2018, 4, 16))),
                     person("nara", "鈴木一郎", ("知事", "奈良県", None, date(2019, 5, 3)))),
        pledges=tuple(Pledge(id=f"{pid}-1", politician_id=pid, title="県立大学を新設する")
                      for pid in ("saga", "kyoto", "nara")),
    )
    recognizer = Recognizer(catalog, tokenizer)

    def acting(body: str) -> dict[str, str]:
        doc = tokenizer.analyze(article("p1", "", body, "2025-06-10"))
        return {pid: m.mention for pid, m in recognizer.recognize(doc).items()}

    assert "佐賀県" not in tokenizer.analyze(article("p0", "", "佐賀県立大の開学", None)).terms()
    assert acting("2029年度の開学を目指す佐賀県立大について、県は基本設計の考え方を説明した。") == {"saga": "県"}
    assert acting("東京都府中市は新しい図書館の基本設計を説明した。") == {}
