"""The scorer at a pledge site's size (issue 14, item 4): the faster paths give
the same answers as the plain ones (speed itself is measured by bench/classify.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from classifier_samples import article
from scipy import sparse

from catalog.local_offices import office_role
from catalog.model import Catalog, Politician
from catalog.synthetic import PLACES
from classifiers.features import _group_best, _held, _pair_values, _within_articles
from classifiers.pledge_index import sibling_table
from classifiers.recognition import NO_OFFICES, Recognizer


def plain_group_best(matrix: np.ndarray, politician_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    best_other, best_all = np.zeros_like(matrix), np.zeros_like(matrix)
    for k in np.unique(politician_of):
        columns = np.flatnonzero(politician_of == k)
        block = matrix[:, columns]
        best_all[:, columns] = block.max(axis=1)[:, None]
        if len(columns) > 1:
            ordered = np.sort(block, axis=1)
            first, second = ordered[:, -1], ordered[:, -2]
            best_other[:, columns] = np.where(block >= first[:, None], second[:, None], first[:, None])
    return best_other, best_all


def test_group_best_over_the_scored_pairs_equals_the_plain_pass():
    rng = np.random.default_rng(14)
    for _ in range(30):
        pledges = int(rng.integers(1, 40))
        owners = int(rng.integers(1, pledges + 1))
        politician_of = np.concatenate([np.arange(owners), rng.integers(0, owners, pledges - owners)])
        rng.shuffle(politician_of)
        politician_of = politician_of.astype(np.int32)
        index = SimpleNamespace(politician_of=politician_of, siblings=sibling_table(politician_of))
        matrix = np.round(rng.random((6, pledges)) * 3) / 3  # ties on purpose
        rows, columns = rng.integers(0, 6, 25), rng.integers(0, pledges, 25)
        expected_other, expected_all = plain_group_best(matrix, politician_of)
        asked: list[int] = []

        def value_at(r, c, matrix=matrix, asked=asked):
            asked.append(len(r))
            return matrix[r, c]

        other, best = _group_best(value_at, index, rows, columns)
        assert np.array_equal(other, expected_other[rows, columns])
        assert np.array_equal(best, expected_all[rows, columns])
        assert asked[0] == len({(r, c) for r, k in zip(rows, politician_of[columns], strict=True)
                                for c in np.flatnonzero(politician_of == k)})  # each cell once


def test_the_sibling_table_lists_each_politicians_pledges_in_order():
    table = sibling_table(np.array([2, 0, 2, 1, 2, 0], dtype=np.int32))
    assert table.tolist() == [[1, 5, -1], [3, -1, -1], [0, 2, 4]]


def test_products_within_articles_equal_the_full_product_to_the_bit():
    rng = np.random.default_rng(4)
    vocabulary = 60
    for _ in range(20):
        rows = sparse.random(12, vocabulary, density=0.2, random_state=rng, format="csr")
        rows.data[:] = 1.0
        weights = sparse.random(40, vocabulary, density=0.15, random_state=rng, format="csr")
        weights.data[:] = rng.random(len(weights.data)) ** 3  # uneven magnitudes: rounding shows
        article_of = np.sort(rng.integers(0, 4, 12))
        pair_article, pair_pledge = rng.integers(0, 4, 30), rng.integers(0, 40, 30)
        full = (rows @ weights.T).toarray()
        within = _within_articles(rows, article_of, weights[pair_pledge], pair_article).toarray()
        same = article_of[:, None] == pair_article[None, :]
        assert np.array_equal(within[same], full[:, pair_pledge][same])
        assert not within[~same].any()
        presence = rows[:4]
        weights.sort_indices()  # as the pledge index keeps them
        assert np.array_equal(_pair_values(_held(presence), vocabulary, weights, pair_article, pair_pledge),
                              full[pair_article, pair_pledge])


def test_a_word_many_organisations_share_makes_nobody_a_candidate_but_still_counts_when_grounded(tokenizer):
    mayors = tuple(Politician(id=f"m{n}", name=f"市長{n}号", roles=(office_role("市長", place, prefecture),))
                   for n, (place, prefecture) in enumerate(p for p in PLACES if p[0].endswith("市")))
    recognizer = Recognizer(Catalog(politicians=mayors, pledges=()), tokenizer)
    assert "市長" in recognizer._generic and "市" in recognizer._generic
    alone = tokenizer.analyze(article("g1", "市政", "市長は会見で、市は補助を始めると述べた。", "2025-06-01"))
    assert recognizer._candidates(alone.terms(), NO_OFFICES, alone.text) == set()
    assert recognizer.recognize(alone) == {}
    grounded = tokenizer.analyze(article("g2", "市政", "松山市内の路線について、市は補助を始める。市長は会見で述べた。",
                                         "2025-06-01"))
    found = recognizer.recognize(grounded)
    matsuyama = next(m.id for m in mayors if m.roles[0].organization == "松山市")
    assert set(found) == {matsuyama} and found[matsuyama].kind == "title"

