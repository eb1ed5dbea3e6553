"""scikit-learn's squared-error split search, replayed: C++ and Python agree bit for bit,
and the sort is scikit-learn's own (equal values end in its order, not a stable one)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.utils._sorting import _py_simultaneous_sort

from phase1_foundations.native_ops import ops
from phase1_foundations.native_ops.mse_split import sk_sort

native = pytest.mark.skipif(not ops.native_available(), reason="C++ path unavailable")


@settings(max_examples=60)
@given(st.integers(0, 300), st.integers(1, 6), st.integers(0, 10_000))
def test_sort_leaves_equal_values_in_sklearns_order(n, distinct, seed):
    # long runs of equal values go through the 3-way partition, heapsort past 2 log2 n levels
    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, n).astype(np.float32)
    ids = rng.permutation(n).astype(np.intp)
    ref_v, ref_i = values.copy(), ids.copy()
    if n:
        _py_simultaneous_sort(ref_v, ref_i, n, use_three_way_partition=True)
    v, s = values.astype(np.float64).tolist(), ids.tolist()
    sk_sort(v, s)
    assert s == ref_i.tolist() and v == ref_v.astype(np.float64).tolist()


def test_sort_adversarial_input_goes_through_heapsort_like_sklearn(monkeypatch):
    # an organ-pipe sequence drives median-of-3 quicksort deep enough to hit the heapsort
    from phase1_foundations.native_ops import mse_split

    calls = []
    heapsort = mse_split._heapsort
    monkeypatch.setattr(mse_split, "_heapsort", lambda *a: (calls.append(a), heapsort(*a)))
    n = 512
    values = np.concatenate([np.arange(n // 2), np.arange(n // 2)[::-1]]).astype(np.float32)
    ids = np.arange(n, dtype=np.intp)
    ref_v, ref_i = values.copy(), ids.copy()
    _py_simultaneous_sort(ref_v, ref_i, n, use_three_way_partition=True)
    v, s = values.astype(np.float64).tolist(), ids.tolist()
    sk_sort(v, s)
    assert calls, "the input no longer reaches the heapsort branch"
    assert s == ref_i.tolist()


@native
@settings(max_examples=60)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 40), st.integers(1, 4)),
        elements=st.integers(0, 3).map(float),
    ),
    st.integers(1, 4),
    st.integers(0, 10_000),
)
def test_native_and_python_splits_are_identical(X, min_leaf, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=len(X)) * 10.0
    base = rng.permutation(len(X)).astype(np.int64)
    start = int(rng.integers(0, len(X)))
    end = int(rng.integers(start + 1, len(X) + 1))
    feats = rng.permutation(X.shape[1])
    s1, s2 = base.copy(), base.copy()
    a = ops.mse_split(X, y, s1, start, end, feats, min_leaf, native=True)
    b = ops.mse_split(X, y, s2, start, end, feats, min_leaf, native=False)
    assert a == b
    np.testing.assert_array_equal(s1, s2)
    # only samples[start:end] move, and they stay the node's samples
    np.testing.assert_array_equal(s1[:start], base[:start])
    np.testing.assert_array_equal(s1[end:], base[end:])
    assert sorted(s1[start:end]) == sorted(base[start:end])


@pytest.mark.parametrize("native_flag", [False, True])
def test_mse_split_rejects_bad_arguments(native_flag):
    if native_flag and not ops.native_available():
        pytest.skip("C++ path unavailable")
    X, y = np.zeros((4, 2)), np.zeros(4)
    with pytest.raises(ValueError, match="contiguous 1-d int64"):
        ops.mse_split(X, y, np.arange(4, dtype=np.int32), 0, 4, [0], 1, native=native_flag)
    with pytest.raises(ValueError, match="start < end"):
        ops.mse_split(X, y, np.arange(4), 2, 2, [0], 1, native=native_flag)
    with pytest.raises(ValueError, match="sample index is out of range"):
        ops.mse_split(X, y, np.array([0, 1, 9, 2]), 0, 4, [0], 1, native=native_flag)
    with pytest.raises(ValueError, match="feature is out of range"):
        ops.mse_split(X, y, np.arange(4), 0, 4, [2], 1, native=native_flag)
