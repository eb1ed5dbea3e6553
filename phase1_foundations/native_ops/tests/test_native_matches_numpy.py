"""The C++ ops equal their NumPy fallbacks bit for bit; the fallback works without C++."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from phase1_foundations.native_ops import numpy_ops, ops
from phase1_foundations.native_ops.parity import checks

NO_NATIVE = "C++ path unavailable (not built, or ROADMAP_NO_NATIVE set)"

native = pytest.mark.skipif(not ops.native_available(), reason=NO_NATIVE)
small_ints = st.integers(0, 3).map(float)  # few distinct values: ties everywhere


def test_every_parity_check_passes():
    failed = [f"{r.name}: {r.detail}" for r in checks() if not r.passed]
    assert not failed, "\n".join(failed)


@native
@settings(max_examples=40)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 5)), elements=small_ints),
    arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 5)), elements=small_ints),
    st.integers(1, 12),
)
def test_distances_and_topk_identical_with_ties(X, Y, k):
    d = min(X.shape[1], Y.shape[1])
    X, Y = X[:, :d].copy(), Y[:, :d].copy()
    for op in ("pairwise_sq_euclidean", "pairwise_manhattan"):
        np.testing.assert_array_equal(
            ops.__dict__[op](X, Y, native=True), ops.__dict__[op](X, Y, native=False)
        )
    D = ops.pairwise_manhattan(X, Y)
    k = min(k, D.shape[1])
    v1, i1 = ops.topk_smallest(D, k, native=True)
    v2, i2 = ops.topk_smallest(D, k, native=False)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(v1, v2)
    # the rule itself: order by (value, column), as a stable sort would
    np.testing.assert_array_equal(i2, np.argsort(D, axis=1, kind="stable")[:, :k])
    # kNN's re-rank: distances to gathered rows equal the full matrix's entries bit for bit
    g1 = ops.sq_euclidean_gather(X, Y, i1, native=True)
    np.testing.assert_array_equal(g1, ops.sq_euclidean_gather(X, Y, i1, native=False))
    full = ops.pairwise_sq_euclidean(X, Y, native=False)
    np.testing.assert_array_equal(g1, np.take_along_axis(full, i1, axis=1))


@native
@settings(max_examples=40)
@given(
    arrays(np.float64, st.tuples(st.integers(2, 25), st.integers(1, 4)), elements=small_ints),
    st.integers(0, 2),
    st.integers(1, 4),
    st.integers(0, 1000),
)
def test_best_split_identical(X, criterion, min_leaf, seed):
    rng = np.random.default_rng(seed)
    y = (rng.integers(0, 3, len(X)) if criterion < 2 else rng.normal(size=len(X))).astype(float)
    feats = rng.permutation(X.shape[1])
    a = ops.best_split(X, y, feats, criterion, 3, min_leaf, native=True)
    b = ops.best_split(X, y, feats, criterion, 3, min_leaf, native=False)
    assert a == b


@native
@settings(max_examples=60)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 11), st.integers(1, 6)), elements=small_ints),
    arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 70)), elements=small_ints),
    st.integers(1, 70),
)
def test_knn_screen_identical_with_ties(Q, FT, top):
    D = min(Q.shape[1], FT.shape[0])
    Q, FT = Q[:, :D].copy(), FT[:D].copy()
    n = FT.shape[1]
    top = min(top, n)
    v1, i1 = ops.knn_screen(Q, FT, n, top, 2, native=True)
    v2, i2 = ops.knn_screen(Q, FT, n, top, 2, native=False)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(v1, v2)
    # the rule itself: the `top` smallest of Q @ FT by (score, column), as a stable sort
    np.testing.assert_array_equal(i2, np.argsort(Q @ FT, axis=1, kind="stable")[:, :top])


def test_knn_screen_rejects_bad_sizes():
    Q, FT = np.zeros((2, 3)), np.zeros((3, 5))
    for native_flag in [False] + ([True] if ops.native_available() else []):
        with pytest.raises(ValueError, match="out of range"):
            ops.sq_euclidean_gather(Q, FT.T, np.array([[0, 5], [1, 2]]), native=native_flag)
        with pytest.raises(ValueError, match="top must be"):
            ops.knn_screen(Q, FT, 5, 6, native=native_flag)
        with pytest.raises(ValueError, match="n must be"):
            ops.knn_screen(Q, FT, 6, 2, native=native_flag)


@native
@settings(max_examples=60)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 40), st.integers(1, 11)), elements=small_ints),
    st.integers(1, 40),
    st.integers(0, 1000),
)
def test_kmeans_step_identical_with_ties(X, k, seed):
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 4, (k, X.shape[1])).astype(float)  # duplicate centres: ties
    previous = rng.integers(-1, k, len(X))
    lab_c, lab_n = previous.copy(), previous.copy()
    a = ops.kmeans_step(X, centres, lab_c, 2, native=True)
    b = ops.kmeans_step(X, centres, lab_n, 2, native=False)
    np.testing.assert_array_equal(lab_c, lab_n)
    assert a[0] == b[0] == np.count_nonzero(lab_n != previous)
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2], b[2])
    # the rule itself: the first centre of the lowest ||c||^2 - 2 x.c
    scores = (centres**2).sum(1)[None, :] - 2.0 * (X @ centres.T)
    assert np.all(scores[np.arange(len(X)), lab_n] <= scores.min(1) + 1e-9)
    assert ops.kmeans_inertia(X, centres, lab_c, 2, native=True) == ops.kmeans_inertia(
        X, centres, lab_n, 2, native=False
    )


@native
@pytest.mark.parametrize("k", [5, 16, 29, 45])
def test_kmeans_step_same_for_any_thread_count(k):
    rng = np.random.default_rng(k)
    X = rng.normal(size=(30_011, 6))  # 8 chunks of 4096 rows and a ragged tail
    centres = X[:k].copy()
    results = []
    for threads in (1, 2, 3):
        labels = np.full(len(X), -1, dtype=np.int64)
        changed, sums, counts = ops.kmeans_step(X, centres, labels, threads, native=True)
        inertia = ops.kmeans_inertia(X, centres, labels, threads, native=True)
        results.append((changed, sums, counts, labels, inertia))
    for other in results[1:]:
        assert other[0] == results[0][0] == len(X) and other[4] == results[0][4]
        for a, b in zip(other[1:4], results[0][1:4], strict=True):
            np.testing.assert_array_equal(a, b)
    assert results[0][2].sum() == len(X)


def test_kmeans_ops_reject_bad_labels():
    X, centres = np.zeros((4, 2)), np.zeros((2, 2))
    for native_flag in [False] + ([True] if ops.native_available() else []):
        with pytest.raises(ValueError, match="contiguous int64"):
            ops.kmeans_step(X, centres, np.zeros(4, dtype=np.int32), native=native_flag)
        with pytest.raises(ValueError, match="at least one centre"):
            ops.kmeans_step(X, centres[:0], np.zeros(4, dtype=np.int64), native=native_flag)
        with pytest.raises(ValueError, match="out of range"):
            ops.kmeans_inertia(X, centres, np.array([0, 1, 2, 0]), native=native_flag)


def test_numpy_fallback_is_used_when_forced(monkeypatch):
    monkeypatch.setenv("ROADMAP_NO_NATIVE", "1")
    assert ops.backend() is numpy_ops
    D = np.array([[3.0, 1.0, 1.0, 0.0]])
    vals, idx = ops.topk_smallest(D, 3)
    np.testing.assert_array_equal(idx, [[3, 1, 2]])
    np.testing.assert_array_equal(vals, [[0.0, 1.0, 1.0]])


def test_bad_k_is_rejected_by_both_paths():
    D = np.zeros((2, 3))
    with pytest.raises(ValueError, match="k must be"):
        ops.topk_smallest(D, 4, native=False)
    if ops.native_available():
        with pytest.raises(ValueError, match="k must be"):
            ops.topk_smallest(D, 0, native=True)
