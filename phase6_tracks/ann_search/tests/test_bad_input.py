"""Clear errors on bad input, before anything reaches the C++ loops."""

from __future__ import annotations

import numpy as np
import pytest

from phase6_tracks.ann_search.hnsw import HNSW
from phase6_tracks.ann_search.ivfpq import IVFPQ
from phase6_tracks.ann_search.mmr import mmr_rerank
from phase6_tracks.ann_search.ranking_metrics import ndcg_at_k


def test_hnsw_rejects_nan_wrong_dim_empty_and_duplicate_ids() -> None:
    index = HNSW(4)
    with pytest.raises(ValueError, match="NaN"):
        index.add(np.array([[0.0, np.nan, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="shape"):
        index.add(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="empty"):
        index.add(np.zeros((0, 4)))
    with pytest.raises(ValueError, match="unique"):
        index.add(np.zeros((2, 4)), ids=[7, 7])
    with pytest.raises(ValueError, match="k must"):
        index.search(np.zeros((1, 4)), k=0)
    with pytest.raises(ValueError):
        HNSW(4, M=1)


def test_empty_hnsw_returns_no_results() -> None:
    dist, ids = HNSW(4).search(np.zeros((2, 4)), k=3)
    assert (ids == -1).all() and np.isinf(dist).all()


def test_ivfpq_refuses_search_before_training_and_bad_m() -> None:
    with pytest.raises(RuntimeError, match="not trained"):
        IVFPQ(8, nlist=2, m=2).search(np.zeros((1, 8)))
    with pytest.raises(ValueError, match="multiple"):
        IVFPQ(8, nlist=2, m=3)
    with pytest.raises(ValueError, match="at least"):
        IVFPQ(8, nlist=10, m=2).train(np.zeros((5, 8)))


def test_metrics_and_mmr_reject_bad_shapes() -> None:
    with pytest.raises(ValueError, match="shape"):
        ndcg_at_k(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        ndcg_at_k(np.ones((1, 2)), np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="lam"):
        mmr_rerank(np.ones(3), np.eye(3), 2, lam=1.5)
