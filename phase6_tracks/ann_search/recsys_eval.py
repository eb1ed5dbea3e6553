"""Evaluate retrieval on held-out clicks: two-tower vs popularity, and the MMR trade-off."""

from __future__ import annotations

import numpy as np

from .interactions import Clicks
from .mmr import intra_list_diversity, mmr_rerank
from .ranking_metrics import mean_average_precision, mean_reciprocal_rank, ndcg_at_k, recall_at_k

SEEN = -1e9  # score of items the user clicked in training: ranked last, never recommended


def ranking_report(clicks: Clicks, scores: np.ndarray, k: int = 10) -> dict[str, float]:
    """NDCG@k, MAP, MRR and recall@k of a (n_users, n_items) score matrix on the test clicks."""
    y_true = clicks.matrix(clicks.test)
    y_score = np.where(clicks.matrix(clicks.train) > 0, SEEN, scores)
    return {
        f"ndcg@{k}": ndcg_at_k(y_true, y_score, k),
        "map": mean_average_precision(y_true, y_score),
        "mrr": mean_reciprocal_rank(y_true, y_score),
        f"recall@{k}": recall_at_k(y_true, y_score, k),
    }


def popularity_scores(clicks: Clicks) -> np.ndarray:
    """The baseline: every user gets each item's training click count."""
    counts = np.bincount(clicks.train[:, 1], minlength=clicks.n_items).astype(np.float64)
    return np.tile(counts, (clicks.n_users, 1))


def mmr_tradeoff(
    clicks: Clicks,
    user_vecs: np.ndarray,
    item_vecs: np.ndarray,
    lams: tuple[float, ...] = (1.0, 0.9, 0.8, 0.7, 0.5, 0.3),
    k: int = 10,
    candidates: int = 100,
) -> list[dict[str, float]]:
    """Per lam: NDCG@k and recall@k of MMR-re-ranked top-k lists, with their diversity
    (1 - mean pairwise cosine of the item vectors) and the mean number of distinct topics."""
    scores = np.where(clicks.matrix(clicks.train) > 0, SEEN, user_vecs @ item_vecs.T)
    y_true = clicks.matrix(clicks.test)
    pool = np.argsort(-scores, axis=1, kind="stable")[:, :candidates]
    rows = []
    for lam in lams:
        lists = np.stack(
            [
                pool[u][mmr_rerank(scores[u, pool[u]], item_vecs[pool[u]], k, lam)]
                for u in range(clicks.n_users)
            ]
        )
        # Score the re-ranked list by position: rank r gets k - r, everything else 0.
        ranked = np.zeros_like(scores)
        np.put_along_axis(ranked, lists, np.arange(k, 0, -1, dtype=np.float64)[None, :], axis=1)
        rows.append(
            {
                "lambda": lam,
                f"ndcg@{k}": ndcg_at_k(y_true, ranked, k),
                f"recall@{k}": recall_at_k(y_true, ranked, k),
                "diversity": float(np.mean([intra_list_diversity(item_vecs[li]) for li in lists])),
                "topics": float(np.mean([len(np.unique(clicks.item_topic[li])) for li in lists])),
            }
        )
    return rows
