"""Logit warpers for sampling: each maps logits (batch, vocab) to filtered/rescaled logits.

Each equals the transformers logits processor of the same name (tests prove it on random
logits); removed tokens get -inf so softmax gives them probability zero.
"""

from __future__ import annotations

import torch

NEG_INF = float("-inf")


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """logits / temperature (below 1 sharpens, above 1 flattens)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return logits / temperature


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the k largest logits per row (ties with the k-th are kept too).

    Example: [1, 3, 2] with k=2 -> [-inf, 3, 2].
    """
    if k < 1:
        raise ValueError(f"top_k must be >= 1, got {k}")
    kth = torch.topk(logits, min(k, logits.shape[-1]), dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, NEG_INF)


def top_p_filter(logits: torch.Tensor, p: float, min_tokens_to_keep: int = 1) -> torch.Tensor:
    """Nucleus: keep the smallest set of top tokens whose probability mass reaches p."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"top_p must be in [0, 1], got {p}")
    sorted_logits, order = torch.sort(logits, descending=False, dim=-1)
    mass_below = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    # Ascending order: a token is dropped when everything up to and including it is <= 1 - p.
    drop_sorted = mass_below <= (1 - p)
    drop_sorted[..., -min_tokens_to_keep:] = False
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, NEG_INF)


def min_p_filter(logits: torch.Tensor, min_p: float, min_tokens_to_keep: int = 1) -> torch.Tensor:
    """Keep tokens whose probability is at least min_p times the top token's probability."""
    if not 0.0 <= min_p <= 1.0:
        raise ValueError(f"min_p must be in [0, 1], got {min_p}")
    probs = logits.softmax(dim=-1)
    drop = probs < min_p * probs.amax(dim=-1, keepdim=True)
    keep = torch.topk(probs, min(min_tokens_to_keep, probs.shape[-1]), dim=-1).indices
    drop.scatter_(-1, keep, False)
    return logits.masked_fill(drop, NEG_INF)


def repetition_penalty(logits: torch.Tensor, seen: torch.Tensor, penalty: float) -> torch.Tensor:
    """Make tokens in `seen` (batch, n) less likely: logit / penalty if positive, else * penalty."""
    if not penalty > 0:
        raise ValueError(f"repetition_penalty must be > 0, got {penalty}")
    score = torch.gather(logits, -1, seen)
    score = torch.where(score < 0, score * penalty, score / penalty)
    return logits.scatter(-1, seen, score)


def warp(
    logits: torch.Tensor,
    seen: torch.Tensor,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    repetition: float | None = None,
) -> torch.Tensor:
    """All configured warpers in transformers' order: penalty, temperature, top-k, top-p, min-p."""
    if repetition is not None and repetition != 1.0:
        logits = repetition_penalty(logits, seen, repetition)
    if temperature != 1.0:
        logits = apply_temperature(logits, temperature)
    if top_k is not None and top_k > 0:
        logits = top_k_filter(logits, top_k)
    if top_p is not None and top_p < 1.0:
        logits = top_p_filter(logits, top_p)
    if min_p is not None and min_p > 0:
        logits = min_p_filter(logits, min_p)
    return logits
