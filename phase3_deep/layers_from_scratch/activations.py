"""ReLU, GELU (exact erf form and tanh approximation), softmax, log-softmax and dropout with
hand-written backward."""

from __future__ import annotations

import math

import torch
from torch.autograd.function import once_differentiable

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


class ReLUFunction(torch.autograd.Function):
    """max(x, 0); the gradient at exactly 0 is 0, as in torch."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp_min(0)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * (x > 0).to(grad_out.dtype)


def relu(x: torch.Tensor) -> torch.Tensor:
    """`max(x, 0)`, as `F.relu`."""
    return ReLUFunction.apply(x)


class GELUFunction(torch.autograd.Function):
    """x * Phi(x) (erf form) or its tanh approximation."""

    @staticmethod
    def forward(ctx, x, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
            return 0.5 * x * (1.0 + torch.tanh(inner))
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = torch.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3))
            d_inner = _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x**2)
            return grad_out * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner), None
        cdf = 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
        pdf = torch.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return grad_out * (cdf + x * pdf), None  # d/dx x*Phi(x) = Phi(x) + x*phi(x)


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """GELU as `F.gelu`: `approximate="none"` (erf) or `"tanh"`."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return GELUFunction.apply(x, approximate)


class SoftmaxFunction(torch.autograd.Function):
    """exp(x - max) / sum: subtracting the max keeps exp from overflowing."""

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x - x.amax(dim, keepdim=True)
        e = torch.exp(shifted)
        y = e / e.sum(dim, keepdim=True)
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (y,) = ctx.saved_tensors
        # Jacobian-vector product without the Jacobian: y * (g - <g, y>)
        return y * (grad_out - (grad_out * y).sum(ctx.dim, keepdim=True)), None


def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Softmax along `dim`, as `F.softmax`. Rows that are all -inf give NaN, as in torch."""
    return SoftmaxFunction.apply(x, dim)


class LogSoftmaxFunction(torch.autograd.Function):
    """x - logsumexp(x), with the max shifted out for stability."""

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x - x.amax(dim, keepdim=True)
        y = shifted - torch.log(torch.exp(shifted).sum(dim, keepdim=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (y,) = ctx.saved_tensors
        return grad_out - torch.exp(y) * grad_out.sum(ctx.dim, keepdim=True), None


def log_softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Log of the softmax along `dim`, as `F.log_softmax`."""
    return LogSoftmaxFunction.apply(x, dim)


class DropoutFunction(torch.autograd.Function):
    """Zero each element with probability p and scale the rest by 1/(1-p)."""

    @staticmethod
    def forward(ctx, x, p, generator):
        # Same draw as torch's CPU dropout: a Bernoulli(1-p) tensor shaped like x, so a shared
        # seed gives the same mask; the mask is scaled before the product, as torch does.
        mask = torch.empty_like(x).bernoulli_(1 - p, generator=generator).div_(1 - p)
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (mask,) = ctx.saved_tensors
        return grad_out * mask, None, None


def dropout(
    x: torch.Tensor,
    p: float = 0.5,
    training: bool = True,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """As `F.dropout`; pass a seeded `generator` (or seed torch) for a repeatable mask."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    return DropoutFunction.apply(x, p, generator)
