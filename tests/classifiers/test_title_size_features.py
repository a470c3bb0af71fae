"""How many of the pledge's core terms there are, and how many the article
has: coverage alone gives a short title's one shared word as much as a long
title's five."""

import numpy as np
from classifier_samples import ARTICLES
from test_compound_features import PARTS_ONLY

from classifiers.features import COLUMN
from classifiers.scoring import PledgeScorer


def row_of(batch, scorer, pledge_id):
    ids = [p.id for p in scorer.index.pledges]
    return next(r for r, p in enumerate(batch.pledge_index.tolist()) if ids[p] == pledge_id)


def core_terms(scorer, pledge_id):
    index = scorer.index
    row = next(r for r, p in enumerate(index.pledges) if p.id == pledge_id)
    columns = index.core.indices[index.core.indptr[row] : index.core.indptr[row + 1]]
    return {index.terms[j] for j in columns}


def test_the_counts_are_of_the_pledges_core_terms_and_those_in_the_article(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    terms = core_terms(scorer, "takaichi-gasoline")
    for sample in (ARTICLES["gasoline"], PARTS_ONLY):
        doc = tokenizer.analyze(sample)
        batch = scorer.features([doc])
        row = row_of(batch, scorer, "takaichi-gasoline")
        held = terms & doc.terms()
        assert batch.values[row, COLUMN["title_terms"]] == np.log1p(len(terms))
        assert batch.values[row, COLUMN["terms_matched"]] == np.log1p(len(held))


def test_the_whole_report_matches_more_terms_than_one_sharing_parts(catalog, tokenizer, tmp_path):
    scorer = PledgeScorer.load(catalog, tmp_path)
    matched = []
    for sample in (ARTICLES["gasoline"], PARTS_ONLY):
        batch = scorer.features([tokenizer.analyze(sample)])
        matched.append(batch.values[row_of(batch, scorer, "takaichi-gasoline"), COLUMN["terms_matched"]])
    assert matched[0] > matched[1] > 0
