"""News lists parties by their first characters (「自民、公明、国民の3党」,
「立憲・国民両党」), even where that short form is a common word on its own
and so no alias (国民, 民主). In such a list it names the one party whose name
begins with it."""

from __future__ import annotations

from datetime import datetime

import pytest

from catalog.model import PARTY, Catalog, Pledge, Politician
from catalog.offices import default_offices, with_offices
from classifiers.documents import Document
from classifiers.recognition import Recognizer

PEOPLE = (
    Politician(id="dpfp", name="国民民主党", kind=PARTY),
    Politician(id="cdp", name="立憲民主党", kind=PARTY),
    Politician(id="dpj", name="民主党", kind=PARTY),
)
PLEDGES = tuple(Pledge(id=f"p-{p.id}", politician_id=p.id, title="所得税の控除を引き上げる") for p in PEOPLE)


def article(text: str) -> Document:
    return Document(id="a", title="", body=text, published=datetime.fromisoformat("2025-12-12T12:00:00+09:00"))


@pytest.fixture(scope="module")
def recognizer(tokenizer):
    book = default_offices()
    return Recognizer(with_offices(Catalog(politicians=PEOPLE, pledges=PLEDGES), book), tokenizer, book.people())


def named(recognizer, tokenizer, text: str) -> dict[str, str]:
    return {pid: m.mention for pid, m in recognizer.recognize(tokenizer.analyze(article(text))).items()}


def test_a_short_form_in_a_list_of_parties_names_its_party(recognizer, tokenizer):
    found = named(recognizer, tokenizer, "自民、公明、国民の3党は所得税の控除を引き上げることで合意した。")
    assert found.get("dpfp") == "国民"
    found = named(recognizer, tokenizer, "立憲・国民両党は控除の引き上げを求める法案を提出した。")
    assert found.get("dpfp") == "国民" and found.get("cdp") == "立憲"


def test_the_same_word_outside_a_list_names_nobody(recognizer, tokenizer):
    assert "dpfp" not in named(recognizer, tokenizer, "国民の負担を減らすため、控除の引き上げが議論されている。")
    assert "dpj" not in named(recognizer, tokenizer, "民主主義の根幹にかかわる3党の協議が続いた。")


def test_a_form_names_the_one_party_it_begins(recognizer, tokenizer):
    # 民主 begins 民主党 only: 立憲民主党 and 国民民主党 do not begin with it
    assert named(recognizer, tokenizer, "民主、社民両党は法案に賛成した。").get("dpj") == "民主"


def test_a_list_names_its_party_where_nothing_else_in_the_article_does(recognizer, tokenizer):
    # no other name, title or body of anyone: the list alone makes the party a candidate
    assert named(recognizer, tokenizer, "国民、参政両党は控除の引き上げを求めた。").get("dpfp") == "国民"
