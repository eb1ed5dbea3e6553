"""The fast paths give the exact answers: kNN's screen (the C++ one, or a GEMM) + exact
re-ranking equal the direct in-order distances bit for bit; k-means (the fused C++ step, or
blocked NumPy) equals scikit-learn past one block and across worker threads."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import cluster, neighbors
from sklearn.datasets import make_blobs, make_classification

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.classical_ml import neighbors as knn_module
from phase1_foundations.classical_ml.kmeans import KMeans, _assign
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.native_ops import ops

SK = reference_version("scikit-learn")
EXACT = "direct in-order distances (the pre-GEMM search)"


def direct_kneighbors(train: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """Every distance summed in order, then the k smallest by (distance, index)."""
    d, i = ops.topk_smallest(ops.pairwise_sq_euclidean(query, train), k)
    return np.sqrt(d), i


@st.composite
def point_sets(draw):
    n, d = draw(st.integers(2, 40)), draw(st.integers(1, 5))
    scale = draw(st.sampled_from([1e-6, 1.0, 1e6]))
    offset = draw(st.sampled_from([0.0, 1e3, -1e8]))
    integers = draw(st.booleans())  # small integers: many exact ties
    elements = st.integers(-3, 3) if integers else st.floats(-10, 10, width=32)
    X = draw(arrays(np.float64, (n + 5, d), elements=elements)) * scale + offset
    return X[:n], X[n:], draw(st.integers(1, n))


# native None: the C++ screen when built; False: the BLAS GEMM screen.
SCREENS = pytest.mark.parametrize("native", [None, False])


@SCREENS
@settings(max_examples=60)
@given(point_sets())
def test_screened_search_equals_the_direct_search_bit_for_bit(native, data):
    train, query, k = data
    model = KNeighborsClassifier(k, native=native).fit(train, np.arange(len(train)) % 2)
    dist, ind = model.kneighbors(query)
    ref_dist, ref_ind = direct_kneighbors(train, query, k)
    assert_parity(ind, ref_ind, reference=EXACT, exact=True, name="indices")
    assert_parity(dist, ref_dist, reference=EXACT, exact=True, name="distances")


@SCREENS
def test_crowded_ties_beyond_the_candidate_margin_are_all_rescanned(native):
    # 40 copies of one row: far more exact ties than k + EXTRA_CANDIDATES
    rng = np.random.default_rng(0)
    train = np.vstack([rng.normal(size=(30, 3)), np.tile([[0.5, 0.5, 0.5]], (40, 1))])
    query = np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5 + 1e-12]])
    k = 20
    assert k + knn_module.EXTRA_CANDIDATES < 40
    model = KNeighborsClassifier(k, native=native).fit(train, np.zeros(len(train)))
    dist, ind = model.kneighbors(query)
    ref_dist, ref_ind = direct_kneighbors(train, query, k)
    assert_parity(ind, ref_ind, reference=EXACT, exact=True)
    assert_parity(dist, ref_dist, reference=EXACT, exact=True)
    assert list(ind[0]) == list(range(30, 50))  # ties go to the earlier training rows


@pytest.mark.skipif(not ops.native_available(), reason="C++ extension not built")
def test_cpp_screen_over_many_tiles_and_threads_equals_the_direct_search():
    # 5,003 training rows: three 2,048-row tiles, a tail that is not a multiple of 16;
    # 403 queries: not a multiple of 4; duplicated rows for exact ties across tiles.
    X, y = make_classification(5_406, 6, random_state=9)
    X[2_500:2_600] = X[100:200]
    train, query = X[:5_003], X[5_003:]
    model = KNeighborsClassifier(7).fit(train, y[:5_003])
    dist, ind = model.kneighbors(query)
    ref_dist, ref_ind = direct_kneighbors(train, query, 7)
    assert_parity(ind, ref_ind, reference=EXACT, exact=True, name="indices")
    assert_parity(dist, ref_dist, reference=EXACT, exact=True, name="distances")
    Q = np.hstack([query - model._fit_mean, np.ones((len(query), 1))])
    answers = [ops.knn_screen(Q, model._fit_T, len(train), 15, t, native=True) for t in (1, 2, 3)]
    for vals, cols in answers[1:]:
        np.testing.assert_array_equal(vals, answers[0][0])
        np.testing.assert_array_equal(cols, answers[0][1])


def test_many_chunks_on_threads_give_the_one_chunk_answer(monkeypatch):
    X, y = make_classification(1300, 8, random_state=5)
    # query chunks belong to the GEMM screen (the C++ screen holds no score matrix)
    model = KNeighborsClassifier(5, native=False).fit(X[:1000], y[:1000])
    one_chunk = model.kneighbors(X[1000:])
    monkeypatch.setattr(knn_module, "CHUNK_BYTES", 8 * 1000 * 7)  # 7 query rows per chunk
    many = model.kneighbors(X[1000:])
    assert_parity(many[1], one_chunk[1], reference="one chunk", exact=True)
    assert_parity(many[0], one_chunk[0], reference="one chunk", exact=True)
    ref = neighbors.KNeighborsClassifier(5, algorithm="brute").fit(X[:1000], y[:1000])
    assert_parity(many[1], ref.kneighbors(X[1000:])[1], reference=SK, exact=True)
    assert_parity(model.predict(X[1000:]), ref.predict(X[1000:]), reference=SK, exact=True)


@pytest.mark.parametrize(("n", "k", "d"), [(20_000, 8, 10), (5_000, 40, 3), (300, 1, 2)])
def test_blocked_assignment_equals_a_plain_argmin(n, k, d):
    rng = np.random.default_rng(n)
    X, C = rng.normal(size=(n, d)), rng.normal(size=(k, d))
    plain = np.argmin((C * C).sum(axis=1)[None, :] - 2.0 * (X @ C.T), axis=1)
    assert_parity(_assign(X, C), plain, reference="np.argmin over all rows", exact=True)


# 20k: several blocks / chunks on one thread; 60k: split over worker threads.
# native None: the fused C++ step when built; False: the NumPy GEMM path.
@pytest.mark.parametrize("native", [None, False])
@pytest.mark.parametrize("n", [20_000, 60_000])
def test_kmeans_over_many_blocks_equals_sklearn(n, native):
    X, _ = make_blobs(n, 10, centers=8, random_state=0)
    init = X[:8]
    o = KMeans(8, init=init, native=native).fit(X)
    r = cluster.KMeans(8, init=init, n_init=1, algorithm="lloyd").fit(X)
    assert o.n_iter_ == r.n_iter_
    assert_parity(o.labels_, r.labels_, reference=SK, exact=True, name="labels")
    assert_parity(o.inertia_, r.inertia_, reference=SK, rtol=1e-9, name="inertia")
    assert_parity(o.cluster_centers_, r.cluster_centers_, reference=SK, rtol=1e-9, atol=1e-12)
