"""Linear layer `y = x @ W.T + b` with a hand-written backward."""

from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable


class LinearFunction(torch.autograd.Function):
    """`F.linear` for x of shape (..., in), W (out, in), b (out,) or None."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        y = x @ weight.t()
        return y + bias if bias is not None else y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        grad_x = grad_out @ weight  # dL/dx = dL/dy W
        flat_g = grad_out.reshape(-1, grad_out.shape[-1])
        grad_w = flat_g.t() @ x.reshape(-1, x.shape[-1])  # every leading index is a sample
        grad_b = flat_g.sum(0) if ctx.has_bias else None
        return grad_x, grad_w, grad_b


def linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """`x @ weight.T + bias`, as `torch.nn.functional.linear`."""
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input has {x.shape[-1]} features, weight expects {weight.shape[1]}"
        )
    return LinearFunction.apply(x, weight, bias)
