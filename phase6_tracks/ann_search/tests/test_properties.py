"""Properties over generated data: ids unique, distances sorted and true, k results when k <= n."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from phase6_tracks.ann_search.hnsw import HNSW
from phase6_tracks.ann_search.ivfpq import IVFPQ

cases = st.tuples(st.integers(1, 80), st.integers(1, 6), st.integers(1, 12), st.integers(0, 2**16))


def _check_results(dist: np.ndarray, ids: np.ndarray, n_live: int, k: int) -> None:
    for d, i in zip(dist, ids, strict=True):
        found = i[i >= 0]
        assert len(np.unique(found)) == len(found)  # ids unique
        assert len(found) == min(k, n_live)
        assert np.all(np.diff(d[: len(found)]) >= 0)  # nearest first
        assert np.all(np.isinf(d[len(found) :]))


@settings(max_examples=25)
@given(cases)
def test_hnsw_results_are_unique_sorted_and_exact_distances(case) -> None:
    n, dim, k, seed = case
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim)).astype(np.float32)
    Q = rng.normal(size=(5, dim)).astype(np.float32)
    index = HNSW(dim, M=4, ef_construction=16, seed=seed).fit(X)
    dist, ids = index.search(Q, k=k, ef=max(k, 32))
    _check_results(dist, ids, n, k)
    ok = ids >= 0
    exact = ((Q[:, None, :].astype(np.float64) - X[np.maximum(ids, 0)]) ** 2).sum(-1)
    np.testing.assert_allclose(dist[ok], exact[ok], rtol=1e-5, atol=1e-5)  # float32 sums


@settings(max_examples=15)
@given(cases)
def test_ivfpq_results_are_unique_and_sorted_with_every_list_probed(case) -> None:
    n, dim, k, seed = case
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(max(n, 16), dim)).astype(np.float32)
    index = IVFPQ(dim, nlist=2, m=1, nbits=3, seed=seed).fit(X)
    dist, ids = index.search(X[:5], k=k, nprobe=2)
    _check_results(dist, ids, len(X), k)
