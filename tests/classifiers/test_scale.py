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
from classifiers.features import _group_best
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


def test_group_best_over_the_scored_pairs_equals_the_plain_pass_dense_or_sparse():
    rng = np.random.default_rng(14)
    for _ in range(30):
        pledges = int(rng.integers(1, 40))
        owners = int(rng.integers(1, pledges + 1))
        politician_of = np.concatenate([np.arange(owners), rng.integers(0, owners, pledges - owners)])
        rng.shuffle(politician_of)
        index = SimpleNamespace(politician_of=politician_of.astype(np.int32), politicians=tuple(range(owners)))
        matrix = np.round(rng.random((6, pledges)) * 3) / 3  # ties on purpose
        rows, columns = rng.integers(0, 6, 25), rng.integers(0, pledges, 25)
        expected_other, expected_all = plain_group_best(matrix, politician_of)
        for given in (matrix, sparse.csr_matrix(matrix)):
            other, best = _group_best(given, index, rows, columns)
            assert np.allclose(other, expected_other[rows, columns])
            assert np.allclose(best, expected_all[rows, columns])


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

