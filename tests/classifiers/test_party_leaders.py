"""A party acts through its leader (issue 11, item 2): a party pledge's
activities are its leader's acts, the government's when the leader is prime
minister of that date; a leader of another time credits the party nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from catalog.model import PARTY, Catalog, Pledge, Politician
from catalog.offices import default_offices, with_offices
from classifiers.documents import Document
from classifiers.features import COLUMN
from classifiers.recognition import Recognizer
from classifiers.scoring import PledgeScorer

PEOPLE = (
    Politician(id="takaichi", name="高市早苗", party="自由民主党"),
    Politician(id="ldp", name="自由民主党", kind=PARTY),
    Politician(id="cdp", name="立憲民主党", kind=PARTY),
)
PLEDGE = Pledge(id="ldp-zero", politician_id="ldp", title="食料品の消費税率を2年間ゼロにする")


def article(text: str, day: str | None) -> Document:
    published = datetime.fromisoformat(f"{day}T12:00:00+09:00") if day else None
    return Document(id="a", title="", body=text, published=published)


@pytest.fixture(scope="module")
def recognizer(tokenizer):
    book = default_offices()
    return Recognizer(with_offices(Catalog(politicians=PEOPLE, pledges=(PLEDGE,)), book), tokenizer, book.people())


def test_the_government_of_the_leaders_term_acts_for_the_party(recognizer, tokenizer):
    doc = tokenizer.analyze(article("政府は25日、食料品の消費税率ゼロを議論する国民会議の初会合を首相官邸で開いた。",
                                    "2026-02-25"))
    found = recognizer.recognize(doc)
    assert found["ldp"].kind == "body"
    assert found.through == {"ldp": "takaichi"}
    assert "cdp" not in found


def test_the_leader_named_acts_for_the_party(recognizer, tokenizer):
    found = recognizer.recognize(tokenizer.analyze(article("高市早苗首相は記者会見で消費税率ゼロの実現を表明した。",
                                                           "2026-02-25")))
    assert found["ldp"].kind == "body" and found["ldp"].in_lead


def test_before_she_led_the_party_her_acts_are_her_own(recognizer, tokenizer):
    found = recognizer.recognize(tokenizer.analyze(article("高市早苗氏は講演で消費税について語った。", "2024-05-01")))
    assert "takaichi" in found and "ldp" not in found


def test_the_party_named_itself_is_not_overridden(recognizer, tokenizer):
    found = recognizer.recognize(tokenizer.analyze(article("自民党は高市早苗首相の下で消費税率ゼロを公約に掲げた。",
                                                           "2026-01-20")))
    assert found["ldp"].kind == "name"
    assert "ldp" not in found.through


def test_the_leader_up_front_is_not_someone_else_for_the_party(tokenizer):
    scorer = PledgeScorer(Catalog(politicians=PEOPLE, pledges=(PLEDGE,)), tokenizer=tokenizer)
    text = "高市早苗首相は、食料品の消費税率を2年間ゼロにする法案を閣議決定した。"
    doc = tokenizer.analyze(article(text, "2026-02-25"))
    batch = scorer.features([doc])
    assert batch.pledge_index.tolist() == [0]
    row = batch.values[0]
    assert row[COLUMN["mention_none"]] == 0
    assert row[COLUMN["other_holder_up_front"]] == 0
    assert row[COLUMN["other_in_title"]] == 0
    assert row[COLUMN["others_titled_lead"]] == 0
