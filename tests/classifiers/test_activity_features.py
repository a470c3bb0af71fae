"""The nearest approved activity: a neighbour of another event counts, the
article itself and reports of its own event never do."""

from classifier_samples import ARTICLES, article

from classifiers.features import COLUMN
from classifiers.pledge_index import with_activities
from classifiers.scoring import PledgeScorer

# Another report on the same policy, in other words than the sample's.
NEIGHBOUR = article(
    "t-neighbour",
    "保育料の負担軽減、都が第一子も対象に",
    "東京都は、子どもを保育所に預ける家庭の保育料について、第一子も無償とする方針を固めた。",
    "2025-05-20T10:00",
)


def row_of(batch, scorer, pledge_id):
    ids = [p.id for p in scorer.index.pledges]
    return next(r for r, p in enumerate(batch.pledge_index.tolist()) if ids[p] == pledge_id)


def test_an_approved_neighbour_is_near_and_counted(catalog, tokenizer, tmp_path):
    doc = tokenizer.analyze(ARTICLES["nursery"])
    neighbour = tokenizer.analyze(NEIGHBOUR)
    scorer = PledgeScorer.load(catalog, tmp_path, approved={"koike-nursery": [neighbour]})
    batch = scorer.features([doc])
    values = batch.values[row_of(batch, scorer, "koike-nursery")]
    assert values[COLUMN["activity_nearest"]] > 0.5
    assert values[COLUMN["activity_count"]] > 0
    assert values[COLUMN["activity_margin"]] == values[COLUMN["activity_nearest"]]  # no other pledge has any


def test_the_article_itself_and_its_event_are_not_neighbours(catalog, tokenizer, tmp_path):
    doc = tokenizer.analyze(ARTICLES["nursery"])
    neighbour = tokenizer.analyze(NEIGHBOUR)
    scorer = PledgeScorer.load(catalog, tmp_path)
    groups = {doc.id: "event-1", neighbour.id: "event-1"}
    scorer.index = with_activities(scorer.index, {"koike-nursery": [doc, neighbour]}, groups)
    batch = scorer.features([doc], groups=groups)
    values = batch.values[row_of(batch, scorer, "koike-nursery")]
    assert values[COLUMN["activity_nearest"]] == 0.0 and values[COLUMN["activity_count"]] == 0.0


def test_without_approved_activities_the_features_are_zero(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    batch = scorer.features([tokenizer.analyze(ARTICLES["nursery"])])
    columns = [COLUMN[n] for n in ("activity_nearest", "activity_margin", "activity_count")]
    assert not batch.values[:, columns].any()
