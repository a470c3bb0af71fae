"""Local offices by date, from import rows (issue 14, item 2): 「知事」 and 「県は」 in
an article about one prefecture resolve to its governor on the article's day."""

from __future__ import annotations

from datetime import date

from classifier_samples import article

from catalog.local_offices import office_role
from catalog.model import Catalog, Pledge, Politician
from classifiers.recognition import Recognizer


def person(pid: str, name: str, *roles) -> Politician:
    return Politician(id=pid, name=name, roles=tuple(office_role(*r) for r in roles))


CATALOG = Catalog(
    politicians=(
        person("chiba-gov", "川瀬美緒", ("知事", "千葉県", None, date(2021, 4, 5))),
        person("chiba-gov-old", "戸田正", ("知事", "千葉県", None, date(2009, 4, 5), date(2021, 4, 4))),
        person("saitama-gov", "浅野亮", ("知事", "埼玉県", None, date(2019, 8, 31))),
        person("kanagawa-gov", "広中聡", ("知事", "神奈川県", None, date(2011, 4, 23))),
        person("chiba-mayor", "岩瀬一", ("市長", "千葉市", "千葉県", date(2021, 4, 5))),
        person("hakone-mayor", "湯本光", ("町長", "箱根町", "神奈川県", date(2020, 1, 1))),
        person("chiba-member", "小森玲", ("県議", "千葉県議会", None, date(2023, 4, 30))),
    ),
    pledges=tuple(Pledge(id=f"{pid}-1", politician_id=pid, title="路線バスを維持する")
                  for pid in ("chiba-gov", "chiba-gov-old", "saitama-gov", "kanagawa-gov", "chiba-mayor",
                              "hakone-mayor", "chiba-member")),
)


def found(tokenizer, body: str, day: str = "2025-06-01", title: str = "路線バス") -> dict:
    recognizer = Recognizer(CATALOG, tokenizer)
    return recognizer.recognize(tokenizer.analyze(article("l1", title, body, day)))


def test_prefecture_named_then_ken_wa_counts_for_that_governor_on_that_day(tokenizer):
    body = "千葉県内の路線バスについて、県は運行費の補助を決めた。"
    now = found(tokenizer, body)
    assert now["chiba-gov"].kind == "body" and now["chiba-gov"].mention == "県" and now["chiba-gov"].in_term
    assert not {"saitama-gov", "kanagawa-gov", "chiba-gov-old", "chiba-mayor"} & set(now)
    then = found(tokenizer, body, day="2019-06-01")
    assert then["chiba-gov-old"].kind == "body" and "chiba-gov" not in then
    titled = found(tokenizer, body + "知事は会見で維持を訴えた。")
    assert titled["chiba-gov"].kind == "title" and titled["chiba-gov"].count == 3


def test_ken_wa_and_chiji_without_a_prefecture_credit_nobody(tokenizer):
    assert found(tokenizer, "県は運行費の補助を決めた。知事は会見で維持を訴えた。") == {}


def test_two_prefectures_named_leave_the_shared_words_to_nobody(tokenizer):
    body = "千葉県と埼玉県の境を走る路線バスについて、県は補助を決めた。"
    assert not {"chiba-gov", "saitama-gov"} & {pid for pid, m in found(tokenizer, body).items() if m.kind == "body"
                                              and m.mention == "県"}


def test_city_and_town_heads_and_assembly_members(tokenizer):
    city = found(tokenizer, "千葉市内の路線バスについて、市は補助を始める。")
    assert city["chiba-mayor"].mention == "市" and "chiba-gov" not in city
    town = found(tokenizer, "箱根町で路線バスが減便される。町は代替交通を検討し、町長は県に支援を求めた。")
    assert town["hakone-mayor"].kind == "title" and "kanagawa-gov" not in town
    member = found(tokenizer, "小森千葉県議は路線バスの維持を訴えた。")
    assert member["chiba-member"].kind == "surname_title"


TWINS = Catalog(
    politicians=(
        Politician(id="takahashi-chiba", name="高橋誠", party="自由民主党",
                   roles=(office_role("県議", "千葉県議会", None, date(2019, 4, 30)),)),
        Politician(id="takahashi-osaka", name="高橋誠", party="日本維新の会",
                   roles=(office_role("市議", "大阪市議会", "大阪府", date(2023, 4, 30)),)),
        Politician(id="sato-saitama", name="佐藤亮",
                   roles=(office_role("町長", "小鹿野町", "埼玉県", date(2020, 1, 1)),)),
        Politician(id="mori-gifu", name="森一郎",
                   roles=(office_role("市議", "岐阜市議会", "岐阜県", date(2019, 5, 1)),)),
    ),
    pledges=tuple(Pledge(id=f"{pid}-1", politician_id=pid, title="路線バスを維持する")
                  for pid in ("takahashi-chiba", "takahashi-osaka", "sato-saitama", "mori-gifu")),
)


def twins(tokenizer, body: str, day: str = "2025-06-01"):
    return Recognizer(TWINS, tokenizer).recognize(tokenizer.analyze(article("t1", "路線バス", body, day)))


def test_same_full_name_resolved_by_region_office_or_party_else_left_unresolved(tokenizer):
    by_region = twins(tokenizer, "千葉県議会で高橋誠議員が路線バスの維持を求めた。")
    assert set(by_region) == {"takahashi-chiba"} and not by_region.unresolved
    by_office = twins(tokenizer, "高橋誠市議は路線バスの維持を訴えた。")
    assert set(by_office) == {"takahashi-osaka"}
    by_party = twins(tokenizer, "維新の高橋誠氏は路線バスの維持を訴えた。")
    assert set(by_party) == {"takahashi-osaka"}
    neither = twins(tokenizer, "高橋誠氏は路線バスの維持を訴えた。")
    assert "takahashi-chiba" not in neither and "takahashi-osaka" not in neither
    assert set(neither.unresolved) == {"takahashi-chiba", "takahashi-osaka"}
    assert "credited to none" in neither.unresolved["takahashi-chiba"]


def test_a_bare_common_surname_credits_nobody_a_titled_one_does(tokenizer):
    bare = twins(tokenizer, "佐藤さんの店の前を通る路線バスが減る。森の中の停留所も廃止される。佐藤は驚いた。")
    assert "sato-saitama" not in bare and "mori-gifu" not in bare
    titled = twins(tokenizer, "小鹿野町の佐藤町長は路線バスの維持を訴えた。")
    assert titled["sato-saitama"].kind == "surname_title"


def test_an_unresolved_name_says_so_in_the_evidence(tokenizer):
    from classifiers.scoring import PledgeScorer

    scorer = PledgeScorer(TWINS, tokenizer=tokenizer)
    doc = tokenizer.analyze(article("t2", "路線バスを維持する", "高橋誠氏は路線バスを維持すると訴えた。", "2025-06-01"))
    notes = {c.pledge_id: c.evidence.get("unresolved") for c in scorer.score([doc])}
    assert "credited to none" in notes["takahashi-chiba-1"] and "credited to none" in notes["takahashi-osaka-1"]


SURNAMESAKES = Catalog(
    politicians=(
        person("suzuki-shizuoka", "鈴木一也", ("知事", "静岡県", None, date(2024, 5, 26))),
        person("suzuki-akita", "鈴木晴人", ("知事", "秋田県", None, date(2025, 4, 20))),
    ),
    pledges=tuple(Pledge(id=f"{pid}-1", politician_id=pid, title="路線バスを維持する")
                  for pid in ("suzuki-shizuoka", "suzuki-akita")),
)


def test_two_governors_of_one_surname_told_apart_by_the_prefecture_written_short(tokenizer):
    def governors(body: str, day: str | None = "2025-06-01") -> set[str]:
        doc = tokenizer.analyze(article("s1", "", body, day))
        return set(Recognizer(SURNAMESAKES, tokenizer).recognize(doc))

    assert governors("静岡・鈴木知事は定例会見で路線バスの維持を訴えた。", day=None) == {"suzuki-shizuoka"}
    assert governors("秋田の鈴木知事は路線バスの維持を訴えた。", day=None) == {"suzuki-akita"}
    assert governors("鈴木知事は路線バスの維持を訴えた。", day=None) == set()
