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
