"""NDCG@k, MAP and MRR equal scikit-learn's (or a direct formula where sklearn has none)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import label_ranking_average_precision_score, ndcg_score

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.ann_search.ranking_metrics import (
    mean_average_precision,
    mean_reciprocal_rank,
    ndcg_at_k,
    reciprocal_rank,
)

SKLEARN = reference_version("scikit-learn")
# Few distinct score values on purpose: ties are where ranking metrics disagree.
matrices = st.tuples(st.integers(1, 6), st.integers(2, 15), st.integers(0, 2**16))


def _draw(case: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, int]:
    n, m, seed = case
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, (n, m)) * (rng.random((n, m)) < 0.5)
    y_score = rng.integers(0, 5, (n, m)).astype(float)
    return y_true.astype(float), y_score, int(rng.integers(1, m + 1))


@settings(max_examples=60)
@given(matrices)
def test_ndcg_at_k_equals_sklearn_including_ties(case) -> None:
    y_true, y_score, k = _draw(case)
    assert_parity(
        ndcg_at_k(y_true, y_score, k),
        ndcg_score(y_true, y_score, k=k),
        reference=SKLEARN,
        rtol=1e-12,
        atol=1e-12,
        name="ndcg@k",
    )


@settings(max_examples=60)
@given(matrices)
def test_map_equals_sklearn_lrap_on_rows_with_a_relevant_item(case) -> None:
    y_true, y_score, _ = _draw(case)
    rows = (y_true > 0).any(1)
    if rows.any():
        ref = label_ranking_average_precision_score(y_true[rows] > 0, y_score[rows])
        assert_parity(
            mean_average_precision(y_true[rows], y_score[rows]),
            ref,
            reference=SKLEARN,
            rtol=1e-12,
            atol=1e-12,
            name="MAP",
        )


@settings(max_examples=60)
@given(matrices)
def test_mrr_equals_lrap_when_each_row_has_one_relevant_item(case) -> None:
    _, y_score, _ = _draw(case)
    rng = np.random.default_rng(case[2])
    y_true = np.zeros_like(y_score)
    y_true[np.arange(len(y_true)), rng.integers(0, y_true.shape[1], len(y_true))] = 1
    # With one relevant item, AP is exactly 1 / its rank: the reciprocal rank.
    ref = label_ranking_average_precision_score(y_true, y_score)
    assert_parity(
        mean_reciprocal_rank(y_true, y_score),
        ref,
        reference=SKLEARN,
        rtol=1e-12,
        atol=1e-12,
        name="MRR",
    )


def test_mrr_by_the_direct_formula_on_a_worked_example() -> None:
    y_true = np.array([[0, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]])
    y_score = np.array([[4.0, 3.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 0.0, 0.0]])
    # first relevant at rank 2; no relevant: 0; tied with one item above-or-equal: rank 2
    np.testing.assert_array_equal(reciprocal_rank(y_true, y_score), [0.5, 0.0, 0.5])
    assert mean_reciprocal_rank(y_true, y_score) == 1.0 / 3.0


def test_perfect_ranking_scores_one_everywhere() -> None:
    y_true = np.array([[3.0, 2.0, 0.0, 1.0]])
    y_score = np.array([[4.0, 3.0, 1.0, 2.0]])
    assert ndcg_at_k(y_true, y_score, 3) == 1.0
    assert mean_average_precision(y_true, y_score) == 1.0
    assert mean_reciprocal_rank(y_true, y_score) == 1.0
