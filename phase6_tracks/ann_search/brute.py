"""Exact k nearest neighbours (the ground truth) and recall@k."""

from __future__ import annotations

import numpy as np


def exact_knn(
    X: np.ndarray, Q: np.ndarray, k: int, batch: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """(squared distances, row indices) of the k nearest rows of X per query, nearest first."""
    X64, Q64 = np.asarray(X, dtype=np.float64), np.asarray(Q, dtype=np.float64)
    k = min(k, len(X64))
    x_sq = (X64 * X64).sum(1)
    dists, ids = [], []
    for s in range(0, len(Q64), batch):
        q = Q64[s : s + batch]
        d = np.maximum((q * q).sum(1)[:, None] - 2.0 * q @ X64.T + x_sq[None, :], 0.0)
        part = (
            np.argpartition(d, k - 1, axis=1)[:, :k]
            if k < len(X64)
            else np.tile(np.arange(len(X64)), (len(q), 1))
        )
        pd = np.take_along_axis(d, part, axis=1)
        order = np.lexsort((part, pd), axis=1)
        dists.append(np.take_along_axis(pd, order, axis=1))
        ids.append(np.take_along_axis(part, order, axis=1))
    return np.concatenate(dists), np.concatenate(ids).astype(np.int64)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the true k nearest ids that appear among the found ids (per query)."""
    found, truth = np.asarray(found), np.asarray(truth)
    hits = sum(len(np.intersect1d(f[f >= 0], t)) for f, t in zip(found, truth, strict=True))
    return hits / truth.size
