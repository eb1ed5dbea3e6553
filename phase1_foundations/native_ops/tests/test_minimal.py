"""The minimal kNN against NumPy's norm and sort, and against the C++ / NumPy ops."""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import assert_parity
from phase1_foundations.native_ops import minimal, ops

RNG = np.random.default_rng(0)
X_TRAIN = RNG.normal(size=(200, 6))
X = RNG.normal(size=(30, 6))
TIES = RNG.integers(0, 3, size=(60, 3)).astype(float)  # many equal distances


def test_sq_distances_are_bit_identical_to_the_full_ops():
    for a, b in [(X, X_TRAIN), (TIES, TIES)]:
        ours = minimal.sq_distances(a, b)
        # Both sum features 0..d-1 in order: equal to the last bit (C++ when it is built).
        assert_parity(
            ours,
            ops.pairwise_sq_euclidean(a, b),
            reference="native_ops",
            exact=True,
            name="sq distances vs ops",
        )


def test_knn_equals_numpys_own_norm_and_sort():
    dist, idx = minimal.knn(X_TRAIN, X, k=5)
    ref = np.linalg.norm(X[:, None, :] - X_TRAIN[None, :, :], axis=2)  # (30, 200)
    ref_idx = np.argsort(ref, axis=1)[:, :5]
    # Continuous data: no ties, so the same neighbours in the same order.
    assert_parity(
        idx, ref_idx, reference="numpy linalg.norm + argsort", exact=True, name="knn indices"
    )
    # norm sums the squares in its own order (pairwise summation): a few ulps apart.
    assert_parity(
        dist,
        np.take_along_axis(ref, ref_idx, axis=1),
        reference="numpy linalg.norm",
        rtol=1e-13,
        name="knn distances",
    )


def test_knn_with_ties_equals_the_full_topk():
    dist, idx = minimal.knn(TIES, TIES, k=7)
    vals, cols = ops.topk_smallest(ops.pairwise_sq_euclidean(TIES, TIES), 7)
    # Ties ordered by training index on both sides: identical.
    assert_parity(idx, cols, reference="native_ops topk", exact=True, name="knn ties vs ops")
    assert_parity(
        dist, np.sqrt(vals), reference="native_ops topk", exact=True, name="knn distances vs ops"
    )
