"""Batch norm (train: batch statistics and running-stat update; eval: running statistics) and
layer norm, with hand-written backward."""

from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable


def _normalized_backward(grad_xhat, xhat, invstd, dims, count):
    """dL/dx of xhat = (x - mean) * invstd when mean and invstd come from x over `dims`.

    The classic closed form: invstd/m * (m*g - sum(g) - xhat*sum(g*xhat)), m = `count`.
    """
    sum_g = grad_xhat.sum(dims, keepdim=True)
    sum_gx = (grad_xhat * xhat).sum(dims, keepdim=True)
    return invstd / count * (count * grad_xhat - sum_g - xhat * sum_gx)


class BatchNormFunction(torch.autograd.Function):
    """`F.batch_norm` over x (N, C, *) with per-channel statistics."""

    @staticmethod
    def forward(ctx, x, running_mean, running_var, weight, bias, training, momentum, eps):
        dims = [0, *range(2, x.dim())]
        shape = [1, x.shape[1]] + [1] * (x.dim() - 2)
        count = x.numel() // x.shape[1]
        if training:
            mean = x.mean(dims, keepdim=True)
            var = x.var(dims, unbiased=False, keepdim=True)  # normalise with the biased var
            if running_mean is not None:
                with torch.no_grad():
                    # the running variance uses the unbiased estimate, as torch does
                    unbiased = var.view(-1) * (count / max(count - 1, 1))
                    running_mean.mul_(1 - momentum).add_(momentum * mean.view(-1))
                    running_var.mul_(1 - momentum).add_(momentum * unbiased)
        else:
            mean, var = running_mean.view(shape), running_var.view(shape)
        invstd = torch.rsqrt(var + eps)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(xhat, invstd, weight)
        ctx.conf = (training, dims, count, bias is not None)
        y = xhat * weight.view(shape) if weight is not None else xhat
        return y + bias.view(shape) if bias is not None else y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        xhat, invstd, weight = ctx.saved_tensors
        training, dims, count, has_bias = ctx.conf
        shape = [1, xhat.shape[1]] + [1] * (xhat.dim() - 2)
        grad_xhat = grad_out * weight.view(shape) if weight is not None else grad_out
        if training:
            grad_x = _normalized_backward(grad_xhat, xhat, invstd, dims, count)
        else:  # running statistics are constants
            grad_x = grad_xhat * invstd
        grad_w = (grad_out * xhat).sum(dims) if weight is not None else None
        grad_b = grad_out.sum(dims) if has_bias else None
        return grad_x, None, None, grad_w, grad_b, None, None, None


def batch_norm(
    x: torch.Tensor,
    running_mean: torch.Tensor | None,
    running_var: torch.Tensor | None,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    """As `F.batch_norm`: updates the running statistics in place when training."""
    if x.dim() < 2:
        raise ValueError(f"batch_norm expects (N, C, ...) input, got shape {tuple(x.shape)}")
    if training and x.numel() // x.shape[1] <= 1:
        raise ValueError("batch_norm in training needs more than one value per channel")
    if not training and (running_mean is None or running_var is None):
        raise ValueError("batch_norm in eval mode needs running_mean and running_var")
    return BatchNormFunction.apply(
        x, running_mean, running_var, weight, bias, training, momentum, eps
    )


class LayerNormFunction(torch.autograd.Function):
    """`F.layer_norm` over the last `n_dims` dimensions."""

    @staticmethod
    def forward(ctx, x, n_dims, weight, bias, eps):
        dims = tuple(range(x.dim() - n_dims, x.dim()))
        mean = x.mean(dims, keepdim=True)
        invstd = torch.rsqrt(x.var(dims, unbiased=False, keepdim=True) + eps)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(xhat, invstd, weight)
        ctx.conf = (dims, bias is not None)
        y = xhat * weight if weight is not None else xhat
        return y + bias if bias is not None else y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        xhat, invstd, weight = ctx.saved_tensors
        dims, has_bias = ctx.conf
        count = 1
        for d in dims:
            count *= xhat.shape[d]
        grad_xhat = grad_out * weight if weight is not None else grad_out
        grad_x = _normalized_backward(grad_xhat, xhat, invstd, dims, count)
        lead = tuple(range(xhat.dim() - len(dims)))  # parameters are shared by leading dims
        grad_w = (grad_out * xhat).sum(lead) if weight is not None else None
        grad_b = grad_out.sum(lead) if has_bias else None
        return grad_x, None, grad_w, grad_b, None


def layer_norm(
    x: torch.Tensor,
    normalized_shape: int | tuple[int, ...],
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    """As `F.layer_norm`: normalise over the trailing `normalized_shape` dimensions."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[x.dim() - len(shape) :]) != shape:
        raise ValueError(f"layer_norm: input {tuple(x.shape)} does not end in {shape}")
    return LayerNormFunction.apply(x, len(shape), weight, bias, eps)
