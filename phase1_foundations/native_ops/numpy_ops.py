"""NumPy versions of the native ops, summing in the same order as the C++ code.

Distances loop over features (vectorised over pairs) so each pair sums f = 0..d-1 in order,
as `_native.cpp` does; that is what makes the two paths bit-identical.
"""

from __future__ import annotations

import numpy as np

from .mse_split import cut_offs
from .mse_split import mse_split as mse_split  # plain Python: the algorithm is sequential

LN2 = np.log(2.0)


def pairwise_sq_euclidean(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Squared euclidean distances (n, m), features summed in order."""
    out = np.zeros((X.shape[0], Y.shape[0]))
    for f in range(X.shape[1]):
        diff = X[:, f, None] - Y[None, :, f]
        out += diff * diff
    return out


def pairwise_manhattan(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Manhattan distances (n, m), features summed in order."""
    out = np.zeros((X.shape[0], Y.shape[0]))
    for f in range(X.shape[1]):
        out += np.abs(X[:, f, None] - Y[None, :, f])
    return out


def topk_smallest(D: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k smallest entries per row and their columns, ordered by (value, column)."""
    n, m = D.shape
    if not 1 <= k <= m:
        raise ValueError("k must be in [1, n_columns]")
    cand = np.argpartition(D, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (n, 1))
    kth = np.take_along_axis(D, cand, axis=1).max(axis=1)
    # argpartition breaks ties at the k-th value arbitrarily: redo those rows stably.
    tied = np.count_nonzero(kth[:, None] >= D, axis=1) > k
    if tied.any():
        cand[tied] = np.argsort(D[tied], axis=1, kind="stable")[:, :k]
    vals = np.take_along_axis(D, cand, axis=1)
    order = _lex_order(vals, cand)
    idx = np.take_along_axis(cand, order, axis=1)
    return np.take_along_axis(vals, order, axis=1), idx.astype(np.int64)


def _lex_order(vals: np.ndarray, cand: np.ndarray) -> np.ndarray:
    # sort by column first, then stably by value: (value, column) order
    by_col = np.argsort(cand, axis=1, kind="stable")
    v = np.take_along_axis(vals, by_col, axis=1)
    by_val = np.argsort(v, axis=1, kind="stable")
    return np.take_along_axis(by_col, by_val, axis=1)


def best_split(
    X: np.ndarray,
    y: np.ndarray,
    features: np.ndarray,
    criterion: int,
    n_classes: int,
    min_samples_leaf: int,
) -> tuple[int, float, float, int]:
    """Best CART split of one node: (feature or -1, threshold, proxy improvement, n_left).

    criterion 0 gini, 1 entropy (y holds class codes), 2 squared error (y holds values).
    Features are examined in the given order and the first strict maximum wins.
    """
    n = X.shape[0]
    feats = np.asarray(features, dtype=np.int64)
    if n < 2 or feats.size == 0:
        return -1, 0.0, -np.inf, 0
    Xf = X[:, feats]
    order = np.argsort(Xf, axis=0, kind="stable")
    xs = np.take_along_axis(Xf, order, axis=0)
    n_left = np.arange(1, n, dtype=np.float64)[:, None]
    n_right = n - n_left
    if criterion == 2:
        total = np.cumsum(y)[-1]
        sum_left = np.cumsum(y[order], axis=0)[:-1]
        sum_right = total - sum_left
        proxy = sum_left * sum_left / n_left + sum_right * sum_right / n_right
    else:
        codes = y.astype(np.int64)
        onehot = np.zeros((n, n_classes))
        onehot[np.arange(n), codes] = 1.0
        left = np.cumsum(onehot[order], axis=0)[:-1]  # (n-1, F, K)
        right = onehot.sum(axis=0) - left
        il = _class_impurity(left, n_left[..., None], criterion)
        ir = _class_impurity(right, n_right[..., None], criterion)
        proxy = -n_right * ir - n_left * il
    valid = xs[1:].astype(np.float32) > cut_offs(xs[:-1])  # float32 arithmetic, as sklearn
    valid &= (n_left >= min_samples_leaf) & (n_right >= min_samples_leaf)
    proxy = np.where(valid, proxy, -np.inf)
    pos = np.argmax(proxy, axis=0)
    best_per_feature = proxy[pos, np.arange(feats.size)]
    j = int(np.argmax(best_per_feature))
    if not np.isfinite(best_per_feature[j]):
        return -1, 0.0, -np.inf, 0
    i = int(pos[j]) + 1
    xa, xb = float(xs[i - 1, j]), float(xs[i, j])
    thr = xa / 2.0 + xb / 2.0
    if thr == xb or np.isinf(thr):
        thr = xa
    return int(feats[j]), thr, float(best_per_feature[j]), i


def sq_euclidean_gather(X: np.ndarray, Y: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Squared distances (n, m) from row i of X to rows cols[i, :] of Y, features in order."""
    if cols.shape[0] != X.shape[0]:
        raise ValueError("cols needs one row per row of X")
    if cols.size and (cols.min() < 0 or cols.max() >= Y.shape[0]):
        raise ValueError("a column is out of range")
    out = np.zeros(cols.shape)
    for f in range(X.shape[1]):
        diff = X[:, f, None] - Y[cols, f]
        out += diff * diff
    return out


def knn_screen(
    Q: np.ndarray, FT: np.ndarray, n: int, top: int, n_threads: int
) -> tuple[np.ndarray, np.ndarray]:
    """The `top` smallest entries per row of Q @ FT[:, :n], ordered by (value, column).

    Each entry sums features f = 0..D-1 in order (multiply, then add), as the C++ tiles do;
    unlike them, this builds the whole score matrix. `n_threads` is unused.
    """
    if not 1 <= n <= FT.shape[1]:
        raise ValueError("n must be in [1, FT.shape[1]]")
    if not 1 <= top <= n:
        raise ValueError("top must be in [1, n]")
    scores = np.zeros((Q.shape[0], n))
    for f in range(Q.shape[1]):
        scores += Q[:, f, None] * FT[None, f, :n]
    return topk_smallest(scores, top)


KMEANS_CHUNK = 4096  # rows per partial sum, as in _native.cpp


def kmeans_step(
    X: np.ndarray, centres: np.ndarray, labels: np.ndarray, n_threads: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """One Lloyd step: relabel rows in place; (changed, cluster sums (k, d), counts (k,)).

    Labels are argmin over clusters of ||c||^2 - 2 x.c, the first on ties, with each dot
    product summed over features in order. Sums add rows in order within each chunk of
    KMEANS_CHUNK rows, then chunks in order: the C++ loop's order. `n_threads` is unused.
    """
    n, d = X.shape
    k = centres.shape[0]
    if k < 1:
        raise ValueError("kmeans_step needs at least one centre")
    sq = np.zeros(k)
    for f in range(d):
        sq += centres[:, f] * centres[:, f]
    sums, counts, changed = np.zeros((k, d)), np.zeros(k), 0
    for start in range(0, n, KMEANS_CHUNK):
        rows = X[start : start + KMEANS_CHUNK]
        acc = np.zeros((rows.shape[0], k))
        for f in range(d):
            acc += rows[:, f, None] * centres[None, :, f]
        new = np.argmin(sq - 2.0 * acc, axis=1)
        old = labels[start : start + rows.shape[0]]
        changed += int(np.count_nonzero(new != old))
        old[:] = new
        # bincount adds weights in row order, like the C++ loop
        part = np.stack([np.bincount(new, weights=rows[:, f], minlength=k) for f in range(d)], 1)
        sums += part
        counts += np.bincount(new, minlength=k)
    return changed, sums, counts


def kmeans_inertia(X: np.ndarray, centres: np.ndarray, labels: np.ndarray, n_threads: int) -> float:
    """Sum over rows of ||x - centres[label]||^2, in the C++ loop's order."""
    if labels.shape[0] != X.shape[0]:
        raise ValueError("labels need one entry per row")
    if labels.size and (labels.min() < 0 or labels.max() >= centres.shape[0]):
        raise ValueError("a label is out of range")
    total = 0.0
    for start in range(0, X.shape[0], KMEANS_CHUNK):
        rows = X[start : start + KMEANS_CHUNK]
        cen = centres[labels[start : start + rows.shape[0]]]
        dist = np.zeros(rows.shape[0])
        for f in range(X.shape[1]):
            diff = rows[:, f] - cen[:, f]
            dist += diff * diff
        total += float(np.cumsum(dist)[-1]) if dist.size else 0.0  # cumsum adds in order
    return total


def _class_impurity(counts: np.ndarray, w: np.ndarray, criterion: int) -> np.ndarray:
    if criterion == 0:
        sq = np.zeros(counts.shape[:-1])
        for c in range(counts.shape[-1]):  # in class order, as the C++ loop
            sq += counts[..., c] * counts[..., c]
        return 1.0 - sq / (w[..., 0] * w[..., 0])
    ent = np.zeros(counts.shape[:-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        for c in range(counts.shape[-1]):
            p = counts[..., c] / w[..., 0]
            ent -= np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) / LN2), 0.0)
    return ent
