"""Cross-entropy from logits with a hand-written backward (softmax minus one-hot)."""

from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable


class CrossEntropyFunction(torch.autograd.Function):
    """`F.cross_entropy(logits (N, C), target (N,))` with ignore_index and reduction."""

    @staticmethod
    def forward(ctx, logits, target, ignore_index, reduction):
        shifted = logits - logits.amax(1, keepdim=True)
        log_probs = shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))
        keep = target != ignore_index
        safe_target = torch.where(keep, target, torch.zeros_like(target))
        losses = -log_probs.gather(1, safe_target.unsqueeze(1)).squeeze(1) * keep
        n_kept = keep.sum()
        ctx.save_for_backward(log_probs, safe_target, keep, n_kept)
        ctx.reduction = reduction
        if reduction == "none":
            return losses
        if reduction == "sum":
            return losses.sum()
        return losses.sum() / n_kept  # 0/0 = NaN when every target is ignored, as torch

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        log_probs, target, keep, n_kept = ctx.saved_tensors
        grad = torch.exp(log_probs)  # d loss_i / d logits_i = softmax_i - onehot(target_i)
        grad.scatter_add_(1, target.unsqueeze(1), -torch.ones_like(grad[:, :1]))
        grad = grad * keep.unsqueeze(1)
        if ctx.reduction == "none":
            return grad * grad_out.unsqueeze(1), None, None, None
        if ctx.reduction == "mean":
            grad = grad / n_kept
        return grad * grad_out, None, None, None


def cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> torch.Tensor:
    """Negative log-likelihood of integer targets under softmax(logits), as `F.cross_entropy`."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(
            f"cross_entropy expects logits (N, C) and target (N,), got {tuple(logits.shape)} "
            f"and {tuple(target.shape)}"
        )
    if target.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"cross_entropy targets must be integer class indices, got {target.dtype}")
    valid = target[target != ignore_index]
    if valid.numel() and (valid.min() < 0 or valid.max() >= logits.shape[1]):
        raise ValueError(f"cross_entropy: target out of range [0, {logits.shape[1]})")
    return CrossEntropyFunction.apply(logits, target.long(), ignore_index, reduction)
