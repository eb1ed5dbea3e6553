"""k nearest neighbours in NumPy, the idea only: every distance, then the k smallest per row.

This is the computation the C++ ops make fast (`pairwise_sq_euclidean` + `topk_smallest`,
and kNN's screen in `classical_ml`). Distances sum features 0..d-1 in order for each pair,
as `numpy_ops.py` and `_native.cpp` do, so all three agree bit for bit; the tests also
check the neighbours against NumPy's own `linalg.norm` and `argsort`.
"""

from __future__ import annotations

import numpy as np


def sq_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Squared euclidean distances between the rows of X (n, d) and Y (m, d): (n, m).

    Sum over features in order f = 0, 1, ..., d-1 (that order is what makes the result
    bit-identical to the C++ op).
    Hint: start from zeros (n, m); per feature add (X[:, f, None] - Y[None, :, f]) ** 2.
    """
    out = np.zeros((len(X), len(Y)))  # (n, m)
    for f in range(X.shape[1]):
        diff = X[:, f, None] - Y[None, :, f]  # (n, 1) - (1, m) -> (n, m)
        out += diff * diff
    return out


def knn(X_train: np.ndarray, X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest training rows of each row of X: (distances (n, k), indices (n, k)).

    Neighbours come nearest first; equal distances go to the smaller training index.
    Distances are euclidean (the square root of `sq_distances`).
    Hint: a stable `np.argsort` per row keeps equal distances in index order.
    """
    D = sq_distances(X, X_train)  # (n, n_train)
    idx = np.argsort(D, axis=1, kind="stable")[:, :k]  # (n, k)
    return np.sqrt(np.take_along_axis(D, idx, axis=1)), idx
