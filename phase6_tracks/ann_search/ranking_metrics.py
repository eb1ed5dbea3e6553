"""Ranking metrics over score matrices: NDCG@k, MAP and MRR (one row per query).

`y_true` (n_queries, n_items) holds graded relevance (0 = not relevant), `y_score` the
ranking scores. Ties in `y_score` are handled as scikit-learn does: NDCG averages the gain of
a tied group over the positions it spans (the expected DCG over orderings of the tie), and
AP / MRR rank an item after every item with a score >= its own (the pessimistic rank).
"""

from __future__ import annotations

import numpy as np


def ndcg_at_k(y_true: np.ndarray, y_score: np.ndarray, k: int | None = None) -> float:
    """Mean NDCG@k, linear gains (equals sklearn.metrics.ndcg_score); 0 for rows without gain."""
    y_true, y_score = _check(y_true, y_score)
    n_items = y_true.shape[1]
    discount = 1.0 / np.log2(np.arange(n_items) + 2.0)
    if k is not None:
        discount[k:] = 0.0
    total = 0.0
    for t, s in zip(y_true, y_score, strict=True):
        ideal = float(np.sort(t)[::-1] @ discount)
        total += _tied_dcg(t, s, discount) / ideal if ideal > 0 else 0.0
    return total / len(y_true)


def _tied_dcg(gain: np.ndarray, score: np.ndarray, discount: np.ndarray) -> float:
    """DCG where each group of tied scores gets its mean gain at each position it spans."""
    order = np.argsort(-score, kind="stable")
    s, g = score[order], gain[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    sizes = np.diff(np.r_[starts, len(s)])
    group_gain = np.add.reduceat(g, starts) / sizes
    return float(group_gain @ np.add.reduceat(discount, starts))


def average_precision(y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """AP per row: mean over relevant items of (relevant ranked at or above) / rank; NaN if none."""
    y_true, y_score = _check(y_true, y_score)
    out = np.full(len(y_true), np.nan)
    for i, (t, s) in enumerate(zip(y_true > 0, y_score, strict=True)):
        if t.any():
            rel = s[t]
            rank = (s[None, :] >= rel[:, None]).sum(1)  # pessimistic rank of each relevant item
            hits = (rel[None, :] >= rel[:, None]).sum(1)
            out[i] = float(np.mean(hits / rank))
    return out


def mean_average_precision(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """MAP over rows with at least one relevant item (equals sklearn's
    label_ranking_average_precision_score on such rows)."""
    ap = average_precision(y_true, y_score)
    return float(np.nanmean(ap)) if np.isfinite(ap).any() else 0.0


def reciprocal_rank(y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """1 / (pessimistic rank of the best-ranked relevant item) per row; 0 if none is relevant."""
    y_true, y_score = _check(y_true, y_score)
    out = np.zeros(len(y_true))
    for i, (t, s) in enumerate(zip(y_true > 0, y_score, strict=True)):
        if t.any():
            out[i] = 1.0 / float((s >= s[t].max()).sum())
    return out


def mean_reciprocal_rank(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """MRR: the mean of `reciprocal_rank` over all rows."""
    return float(reciprocal_rank(y_true, y_score).mean())


def recall_at_k(y_true: np.ndarray, y_score: np.ndarray, k: int) -> float:
    """Mean share of each row's relevant items found in its top k (rows with any relevant)."""
    y_true, y_score = _check(y_true, y_score)
    top = np.argsort(-y_score, axis=1, kind="stable")[:, :k]
    rel = y_true > 0
    n_rel = rel.sum(1)
    found = np.take_along_axis(rel, top, axis=1).sum(1)
    keep = n_rel > 0
    return float((found[keep] / n_rel[keep]).mean()) if keep.any() else 0.0


def _check(y_true: np.ndarray, y_score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_score = np.asarray(y_true, dtype=np.float64), np.asarray(y_score, dtype=np.float64)
    if y_true.ndim != 2 or y_true.shape != y_score.shape:
        raise ValueError(
            f"y_true and y_score must be 2-D of one shape, got {y_true.shape}, {y_score.shape}"
        )
    if y_true.size == 0:
        raise ValueError("empty input")
    if np.isnan(y_score).any() or np.isnan(y_true).any():
        raise ValueError("NaN in y_true or y_score")
    if (y_true < 0).any():
        raise ValueError("relevance must be >= 0")
    return y_true, y_score
