"""An inverted-file (IVF) index in one file: cluster with k-means, search only the near cells.

The idea only: Lloyd's k-means splits the vectors into `nlist` cells; each cell keeps the ids
of its vectors (an inverted list); a query ranks the centroids, then computes exact distances
to the vectors of its `nprobe` nearest cells only. With nprobe = nlist it is exact search.
No compression (PQ), no subsampling, no compiled inner loop: `kmeans.py`, `pq.py` and
`ivfpq.py` add those. Distances are squared L2, in float64.
"""

from __future__ import annotations

import numpy as np


def squared_distances(Q: np.ndarray, X: np.ndarray) -> np.ndarray:
    """All pairwise squared L2 distances: Q (m, d), X (n, d) -> (m, n).

    Hint: |q - x|^2 = |q|^2 - 2 q.x + |x|^2, one matrix product for all pairs.
    """
    d = (Q * Q).sum(1)[:, None] - 2.0 * Q @ X.T + (X * X).sum(1)[None, :]  # (m, n)
    return np.maximum(d, 0.0)  # rounding can dip just below 0


def kmeans(X: np.ndarray, k: int, niter: int = 25, seed: int = 0) -> np.ndarray:
    """k centroids (k, d) of the rows of X by Lloyd's algorithm, started at k random rows.

    Each iteration: assign every row to its nearest centroid, move each centroid to the mean
    of its rows (a centroid that lost every row stays where it is).
    Hint: `squared_distances(X, C).argmin(1)` assigns; `np.bincount` with weights sums.
    """
    rng = np.random.default_rng(seed)
    C = X[rng.choice(len(X), k, replace=False)].astype(np.float64)  # (k, d)
    for _ in range(niter):
        assign = squared_distances(X, C).argmin(1)  # (n,)
        counts = np.bincount(assign, minlength=k)  # (k,)
        for j in np.flatnonzero(counts):
            C[j] = X[assign == j].mean(0)
    return C


def build_lists(X: np.ndarray, C: np.ndarray) -> list[np.ndarray]:
    """The inverted lists: for each centroid, the ids of the rows of X nearest to it."""
    assign = squared_distances(X, C).argmin(1)
    return [np.flatnonzero(assign == j) for j in range(len(C))]


def ivf_search(
    X: np.ndarray, C: np.ndarray, lists: list[np.ndarray], q: np.ndarray, k: int, nprobe: int
) -> tuple[np.ndarray, np.ndarray]:
    """(squared distances, ids) of the k nearest rows of X to one query q, nearest first,
    looking only into the `nprobe` cells whose centroids are nearest to q.

    Hint: rank centroids with `squared_distances(q[None], C)[0]`, concatenate their lists,
    then sort the candidates by (distance, id).
    """
    cells = np.argsort(squared_distances(q[None], C)[0], kind="stable")[:nprobe]
    candidates = np.concatenate([lists[j] for j in cells])  # ids in the probed cells
    dist = squared_distances(q[None], X[candidates])[0]  # (candidates,)
    order = np.lexsort((candidates, dist))[:k]  # by distance, ties by id
    return dist[order], candidates[order]
