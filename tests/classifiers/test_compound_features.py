"""The pledge title's compounds found whole: a part of a compound is weaker
evidence than the compound, which word coverage alone cannot tell."""

from classifier_samples import ARTICLES, article

from classifiers.features import COLUMN
from classifiers.scoring import PledgeScorer

# Names the owner and shares the compounds' parts (ガソリン, 税率), not the compounds.
PARTS_ONLY = article(
    "t-parts",
    "高市首相、税率の議論を指示",
    "高市首相は6日、ガソリンの価格動向を踏まえ、税率のあり方を議論するよう指示した。",
    "2025-11-06T10:00",
)


def whole_share(scorer, doc, pledge_id):
    batch = scorer.features([doc])
    ids = [p.id for p in scorer.index.pledges]
    row = next(r for r, p in enumerate(batch.pledge_index.tolist()) if ids[p] == pledge_id)
    return batch.values[row, COLUMN["compounds_whole"]]


def test_whole_compounds_count_and_their_parts_do_not(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    # 「ガソリン税の暫定税率を廃止する」: ガソリン税, 暫定税率, 廃止
    assert whole_share(scorer, tokenizer.analyze(ARTICLES["gasoline"]), "takaichi-gasoline") == 1.0
    assert whole_share(scorer, tokenizer.analyze(PARTS_ONLY), "takaichi-gasoline") == 0.0


def test_the_margin_is_over_the_owners_other_pledges(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    batch = scorer.features([tokenizer.analyze(ARTICLES["gasoline"])])
    owner = scorer.index.politician_of[batch.pledge_index]
    ids = [p.id for p in scorer.index.pledges]
    row = next(r for r, p in enumerate(batch.pledge_index.tolist()) if ids[p] == "takaichi-gasoline")
    whole = batch.values[:, COLUMN["compounds_whole"]]
    others = [whole[r] for r in range(len(whole)) if r != row and owner[r] == owner[row]]
    assert others  # the owner is named: all her pledges are scored
    assert batch.values[row, COLUMN["compounds_margin"]] == whole[row] - max(others) > 0
