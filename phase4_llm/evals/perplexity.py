"""Perplexity of a language model's next-token predictions, from logits or log-probabilities.

perplexity = exp(mean negative log-likelihood of the targets), skipping positions whose target
is `ignore_index` (padding), as `torch.nn.functional.cross_entropy` does. NumPy, float64.
"""

from __future__ import annotations

import numpy as np


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log p over the last axis, shifted by the max so large logits do not overflow."""
    x = np.asarray(logits, dtype=np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def mean_nll(log_probs: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> float:
    """Mean negative log-likelihood of `targets` under `log_probs` (..., vocab)."""
    lp = np.asarray(log_probs, dtype=np.float64)
    tg = np.asarray(targets)
    if lp.shape[:-1] != tg.shape:
        raise ValueError(f"log_probs {lp.shape} and targets {tg.shape} do not line up")
    if not np.issubdtype(tg.dtype, np.integer):
        raise TypeError("targets must be integer token ids")
    if np.isnan(lp).any():
        raise ValueError("log_probs contain NaN")
    keep = tg != ignore_index
    if not keep.any():
        raise ValueError("every target is ignore_index: perplexity is undefined")
    picked = tg[keep]
    if picked.min() < 0 or picked.max() >= lp.shape[-1]:
        raise ValueError(f"targets must lie in [0, {lp.shape[-1]})")
    flat = lp.reshape(-1, lp.shape[-1])[keep.reshape(-1)]
    return float(-flat[np.arange(len(picked)), picked].mean())


def perplexity(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> float:
    """exp(mean NLL) of `targets` given unnormalised `logits` (..., vocab)."""
    return float(np.exp(mean_nll(log_softmax(logits), targets, ignore_index)))


def perplexity_from_log_probs(
    log_probs: np.ndarray, targets: np.ndarray, ignore_index: int = -100
) -> float:
    """exp(mean NLL) when the model already returned log-probabilities."""
    return float(np.exp(mean_nll(log_probs, targets, ignore_index)))
