"""A training loop in one file: mini-batches, a warmup + cosine learning rate, AdamW by hand.

The idea only: each epoch shuffles the data, each step computes the loss of one mini-batch,
backpropagates, and moves every parameter with AdamW (Adam's running averages of the gradient
and its square, bias-corrected, plus weight decay applied to the weights directly). The
learning rate rises linearly for `warmup` steps, then follows half a cosine to 0. No
accumulation, clipping, checkpoints, early stopping, mixed precision or DDP: `loop.py`,
`schedules.py` and `checkpoint.py` add those.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def warmup_cosine(
    step: int, base_lr: float, warmup: int, total: int, start: float = 1 / 3
) -> float:
    """The learning rate at `step` (0-based): linear from start * base_lr to base_lr over
    `warmup` steps, then base_lr * (1 + cos(pi * progress)) / 2 down to 0 at `total`.

    Example: base 1.0, warmup 2, start 0.5, total 4 -> 0.5, 0.75, 1.0, 0.5.
    Hint: progress = (step - warmup) / (total - warmup) after the warmup.
    """
    if step < warmup:
        return base_lr * (start + (1 - start) * step / warmup)
    progress = (step - warmup) / (total - warmup)
    return base_lr * (1 + math.cos(math.pi * progress)) / 2


@torch.no_grad()
def adamw_step(
    p: Tensor, grad: Tensor, m: Tensor, v: Tensor, t: int, lr: float,
    betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.01,
) -> None:  # fmt: skip
    """One AdamW update of `p` in place; m and v (same shape) are its running moments, t >= 1.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr * wd * p;
    p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
    Hint: decay p before the Adam step, with the same lr (decoupled weight decay).
    """
    b1, b2 = betas
    m.mul_(b1).add_(grad, alpha=1 - b1)
    v.mul_(b2).addcmul_(grad, grad, value=1 - b2)
    p.mul_(1 - lr * weight_decay)
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)  # early averages are biased toward 0
    p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


def fit(
    model: nn.Module, X: Tensor, y: Tensor, *, epochs: int, batch_size: int, lr: float,
    warmup: int, seed: int = 0,
) -> list[float]:  # fmt: skip
    """Train `model` (logits out) with cross-entropy; returns the loss of every step."""
    params = [p for p in model.parameters() if p.requires_grad]
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    gen = torch.Generator().manual_seed(seed)
    total = epochs * math.ceil(len(X) / batch_size)
    losses, step = [], 0
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=gen)  # a new order every epoch
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            model.zero_grad()
            loss.backward()
            rate = warmup_cosine(step, lr, warmup, total)
            for p, (m, v) in zip(params, moments, strict=True):
                adamw_step(p, p.grad, m, v, step + 1, rate)
            losses.append(loss.item())
            step += 1
    return losses
