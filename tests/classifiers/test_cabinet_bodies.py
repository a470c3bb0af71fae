"""「政府は」 is the prime minister of the date, whoever else of that cabinet
the pledges file lists: the chief cabinet secretary speaks for the government
but is not its head, so a catalog holding both must not make 政府 ambiguous
(it credited neither)."""

from __future__ import annotations

from classifier_samples import article, name_only

from catalog.offices import default_offices, with_offices
from classifiers.recognition import Recognizer

PM, SECRETARY = "石破茂", "林芳正"


def _recognizer(tokenizer):
    book = default_offices()
    catalog = name_only((PM, "防災庁を設置する"), (SECRETARY, "地方の交通を守る"))
    return Recognizer(with_offices(catalog, book), tokenizer, book.people())


def test_the_government_acting_credits_the_prime_minister_not_the_cabinet_secretary(tokenizer):
    recognizer = _recognizer(tokenizer)
    text = "政府は7日、災害対応の司令塔を来年度に設ける方針を固めた。"
    doc = tokenizer.analyze(article("c1", "", text, "2025-03-07"))
    found = recognizer.recognize(doc)
    assert found[PM].kind == "body"
    assert SECRETARY not in found


def test_the_secretary_is_still_found_by_title(tokenizer):
    recognizer = _recognizer(tokenizer)
    doc = tokenizer.analyze(article("c2", "", "官房長官は記者会見で地方の交通について述べた。", "2025-03-07"))
    assert SECRETARY in recognizer.recognize(doc)
