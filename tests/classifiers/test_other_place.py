"""Another jurisdiction acting up front: a city or prefecture named in the
headline or lead that is none of the owner's is someone else doing the same
thing (another governor's ordinance), not the owner's act."""

from __future__ import annotations

from datetime import datetime

from catalog.model import Catalog, Pledge, Politician
from classifiers.documents import Document
from classifiers.features import COLUMN
from classifiers.scoring import PledgeScorer

PEOPLE = (Politician(id="koike", name="小池百合子"), Politician(id="ldp-leader", name="高市早苗"))
PLEDGES = (
    Pledge(id="koike-ordinance", politician_id="koike", title="カスハラ防止条例を制定する"),
    Pledge(id="koike-tokyo", politician_id="koike", title="都のカスハラ対策を強める"),
    Pledge(id="takaichi-ordinance", politician_id="ldp-leader", title="カスハラ防止の法律を制定する"),
)


def value(scorer, tokenizer, text: str, pledge_id: str) -> float:
    doc = tokenizer.analyze(Document(id="a", title="", body=text,
                                     published=datetime.fromisoformat("2025-04-01T12:00:00+09:00")))
    batch = scorer.features([doc])
    ids = [p.id for p in scorer.index.pledges]
    row = next(r for r, p in enumerate(batch.pledge_index.tolist()) if ids[p] == pledge_id)
    return batch.values[row, COLUMN["other_place_up_front"]]


def test_another_city_up_front_is_another_place_for_a_governor(tokenizer):
    scorer = PledgeScorer(Catalog(politicians=PEOPLE, pledges=PLEDGES), tokenizer=tokenizer)
    text = "三重県桑名市で、全国初のカスハラ防止条例が可決・成立しました。"
    assert value(scorer, tokenizer, text, "koike-ordinance") == 1.0


def test_the_owners_own_place_up_front_is_not(tokenizer):
    scorer = PledgeScorer(Catalog(politicians=PEOPLE, pledges=PLEDGES), tokenizer=tokenizer)
    texts = ("東京都はカスハラ防止条例を都議会に提出した。", "都はカスハラ防止条例を制定した。三重県桑名市も続く。")
    for text in texts:
        assert value(scorer, tokenizer, text, "koike-ordinance") == 0.0


def test_an_owner_without_a_place_has_no_other_place(tokenizer):
    scorer = PledgeScorer(Catalog(politicians=PEOPLE, pledges=PLEDGES), tokenizer=tokenizer)
    text = "三重県桑名市で、全国初のカスハラ防止条例が可決・成立しました。高市早苗首相も法律の制定を検討する。"
    assert value(scorer, tokenizer, text, "takaichi-ordinance") == 0.0
