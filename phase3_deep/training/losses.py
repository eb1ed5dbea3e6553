"""Label-smoothed cross-entropy and gradient-norm clipping, written out.

Label smoothing (Szegedy et al. 2016) mixes the one-hot target with the uniform distribution:
loss = (1 - eps) * NLL(target) + eps * mean_k(-log p_k). It equals
`torch.nn.functional.cross_entropy(..., label_smoothing=eps)`.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


def smoothed_cross_entropy(
    logits: torch.Tensor, target: torch.Tensor, smoothing: float = 0.0
) -> torch.Tensor:
    """Mean cross-entropy of `logits` (N, K) against class ids `target` (N,) with smoothing."""
    if not 0.0 <= smoothing < 1.0:
        raise ValueError("smoothing must be in [0, 1)")
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    nll = -log_probs.gather(-1, target.unsqueeze(-1)).squeeze(-1)
    uniform = -log_probs.mean(dim=-1)
    return ((1.0 - smoothing) * nll + smoothing * uniform).mean()


@torch.no_grad()
def clip_grad_norm(parameters: Iterable[torch.nn.Parameter], max_norm: float) -> torch.Tensor:
    """Scale gradients so their global L2 norm is at most `max_norm`; return the norm before.

    Equals `torch.nn.utils.clip_grad_norm_` (same 1e-6 guard in the scale factor).
    """
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    scale = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.mul_(scale)
    return total
