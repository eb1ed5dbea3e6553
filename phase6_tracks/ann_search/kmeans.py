"""Lloyd's k-means in NumPy, as faiss trains its coarse quantizer and PQ codebooks.

Choices follow faiss's `Clustering` defaults: initial centroids are distinct training points
drawn at random, 25 iterations, at most 256 training points per centroid (a seeded
subsample), and an empty cluster is re-seeded by splitting the largest one.

What this adds over `minimal.kmeans` (equal centroids when no cell empties): the subsample
bounds training cost at large n; re-seeding keeps all k cells in use (the minimal version
can end with empty ones); float32 assignment in batches halves the cost and bounds memory.
"""

from __future__ import annotations

import numpy as np


def nearest_centroid(
    X: np.ndarray, C: np.ndarray, *, dtype: type = np.float64, batch: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """(index, squared distance) of the nearest row of C for each row of X.

    float64 (the default, used to encode) gives the true nearest except at ties below 1e-12;
    training passes float32, as faiss does, at half the cost.
    """
    X, C = np.asarray(X, dtype=dtype), np.asarray(C, dtype=dtype)
    c_sq = (C * C).sum(1)
    idx = np.empty(len(X), dtype=np.int64)
    dist = np.empty(len(X))
    for s in range(0, len(X), batch):
        x = X[s : s + batch]
        d = x @ C.T
        d *= -2.0
        d += c_sq
        best = d.argmin(1)
        idx[s : s + batch] = best
        dist[s : s + batch] = np.maximum(d[np.arange(len(x)), best] + (x * x).sum(1), 0)
    return idx, dist


def kmeans(
    X: np.ndarray, k: int, *, niter: int = 25, seed: int = 0, max_points_per_centroid: int = 256
) -> np.ndarray:
    """k centroids (float32, (k, d)) of the rows of X."""
    X = np.asarray(X, dtype=np.float32)
    n = len(X)
    if n < k:
        raise ValueError(f"k-means needs at least k={k} training points, got {n}")
    rng = np.random.default_rng(seed)
    if n > k * max_points_per_centroid:
        X = X[rng.choice(n, k * max_points_per_centroid, replace=False)]
    C = X[rng.choice(len(X), k, replace=False)].astype(np.float64)
    for _ in range(niter):
        assign, _ = nearest_centroid(X, C, dtype=np.float32)
        counts = np.bincount(assign, minlength=k)
        sums = np.stack([np.bincount(assign, X[:, j], minlength=k) for j in range(X.shape[1])], 1)
        filled = counts > 0
        C[filled] = sums[filled] / counts[filled, None]
        for empty in np.flatnonzero(~filled):
            # Split the largest cluster: a copy of its centroid, both nudged apart.
            big = int(np.argmax(counts))
            noise = 1e-6 * (rng.random(C.shape[1]) - 0.5) * (np.abs(C[big]) + 1e-3)
            C[empty], C[big] = C[big] + noise, C[big] - noise
            counts[empty] = counts[big] // 2
            counts[big] -= counts[empty]
    return C.astype(np.float32)
