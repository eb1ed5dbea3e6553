"""Maximal marginal relevance (Carbonell & Goldstein, 1998): relevance against diversity.

Greedily pick the item maximising lam * relevance - (1 - lam) * (max similarity to the items
already picked). lam = 1 is the relevance order; lower lam trades relevance for variety.
"""

from __future__ import annotations

import numpy as np


def mmr_rerank(relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float) -> np.ndarray:
    """Indices of k candidates in MMR order (ties go to the lower index); vectors unit-norm."""
    relevance = np.asarray(relevance, dtype=np.float64)
    vectors = np.asarray(vectors, dtype=np.float64)
    if relevance.ndim != 1 or vectors.shape[0] != relevance.shape[0]:
        raise ValueError("relevance must be (n,) and vectors (n, d)")
    if not 0.0 <= lam <= 1.0:
        raise ValueError("lam must be in [0, 1]")
    k = min(k, len(relevance))
    sim = vectors @ vectors.T
    max_sim = np.full(len(relevance), -np.inf)
    chosen = np.zeros(len(relevance), dtype=bool)
    picked = []
    for step in range(k):
        penalty = np.where(np.isfinite(max_sim), max_sim, 0.0) if step else 0.0
        score = np.where(chosen, -np.inf, lam * relevance - (1.0 - lam) * penalty)
        best = int(np.argmax(score))
        picked.append(best)
        chosen[best] = True
        max_sim = np.maximum(max_sim, sim[best])
    return np.asarray(picked, dtype=np.int64)


def intra_list_diversity(vectors: np.ndarray) -> float:
    """1 - mean pairwise cosine similarity of a list's (unit-norm) vectors."""
    vectors = np.asarray(vectors, dtype=np.float64)
    n = len(vectors)
    if n < 2:
        return 0.0
    sim = vectors @ vectors.T
    return float(1.0 - (sim.sum() - np.trace(sim)) / (n * (n - 1)))
