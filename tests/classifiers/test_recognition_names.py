"""Names at scale on real sentences (issue 14, item 3): against thousands of
politicians drawn from real name distributions, a bare common surname credits
nobody and a full name or a titled surname still finds its politician."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from catalog.model import Catalog
from catalog.offices import default_offices, with_offices
from catalog.rows import read_catalog_file
from catalog.synthetic import synthetic_politicians
from classifiers.documents import Document
from classifiers.recognition import Recognizer

DATA = Path(__file__).resolve().parents[2] / "data" / "recognition"
SENTENCES = [json.loads(line) for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
NAMING = {"name", "surname_title", "title", "surname"}


@pytest.fixture(scope="module")
def recognizer(tokenizer):
    people = read_catalog_file(DATA / "people.csv").catalog.politicians
    catalog = Catalog(politicians=(*people, *synthetic_politicians(5_000)), pledges=())
    book = default_offices()
    return Recognizer(with_offices(catalog, book), tokenizer, book.people())


def named(recognizer, tokenizer, sentence: dict) -> set[str]:
    day = sentence["published"]
    published = datetime.fromisoformat(f"{day}T12:00:00+09:00") if day else None
    doc = tokenizer.analyze(Document(id=sentence["id"], title="", body=sentence["text"], published=published))
    return {pid for pid, m in recognizer.recognize(doc).items() if m.kind in NAMING}


def test_the_synthetic_catalog_shares_surnames_like_a_real_one():
    people = synthetic_politicians(5_000)
    satos = sum(p.name.startswith("佐藤") for p in people)
    assert 40 <= satos <= 200
    assert len({p.name for p in people}) < len(people)  # some full names twice


@pytest.mark.parametrize("sentence", [s for s in SENTENCES if not s["expected"]], ids=lambda s: s["id"])
def test_a_bare_common_surname_in_a_real_sentence_credits_nobody(recognizer, tokenizer, sentence):
    assert named(recognizer, tokenizer, sentence) == set(), sentence["text"]


@pytest.mark.parametrize("sid", ["rs01", "rs02", "rs04", "rs09", "rs19", "rs27", "rs30", "rs48"])
def test_full_names_and_titled_common_surnames_find_their_politician(recognizer, tokenizer, sid):
    sentence = next(s for s in SENTENCES if s["id"] == sid)
    assert named(recognizer, tokenizer, sentence) == set(sentence["expected"]), sentence["text"]
