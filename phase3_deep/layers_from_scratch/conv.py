"""2-d convolution (im2col + one matrix product) and max-pooling, with hand-written backward."""

from __future__ import annotations

import torch
from torch.autograd.function import once_differentiable

from .im2col import col2im, im2col, output_size, pair


class Conv2dFunction(torch.autograd.Function):
    """`F.conv2d` with stride and zero padding (groups=1, dilation=1)."""

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding):
        o, _, kh, kw = weight.shape
        n, _, h, w = x.shape
        oh, ow = (
            output_size(h, kh, stride[0], padding[0]),
            output_size(w, kw, stride[1], padding[1]),
        )
        cols = im2col(x, (kh, kw), stride, padding)  # (N, C*kh*kw, L)
        y = weight.reshape(o, -1) @ cols  # (N, O, L), broadcast over the batch
        if bias is not None:
            y = y + bias.view(1, o, 1)
        ctx.save_for_backward(cols, weight)
        ctx.conf = (tuple(x.shape), stride, padding, bias is not None)
        return y.reshape(n, o, oh, ow)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        cols, weight = ctx.saved_tensors
        x_shape, stride, padding, has_bias = ctx.conf
        o, _, kh, kw = weight.shape
        g = grad_out.reshape(grad_out.shape[0], o, -1)  # (N, O, L)
        grad_w = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
        grad_cols = weight.reshape(o, -1).t() @ g  # (N, C*kh*kw, L)
        grad_x = col2im(grad_cols, x_shape, (kh, kw), stride, padding)
        grad_b = g.sum((0, 2)) if has_bias else None
        return grad_x, grad_w, grad_b, None, None


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> torch.Tensor:
    """Cross-correlation of x (N, C, H, W) with weight (O, C, kh, kw), as `F.conv2d`."""
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError(
            f"conv2d expects 4-d input and weight, got {x.dim()}-d and {weight.dim()}-d"
        )
    if x.shape[1] != weight.shape[1]:
        raise ValueError(
            f"conv2d: input has {x.shape[1]} channels, weight expects {weight.shape[1]}"
        )
    return Conv2dFunction.apply(x, weight, bias, pair(stride), pair(padding))


class MaxPool2dFunction(torch.autograd.Function):
    """`F.max_pool2d`: padding counts as -inf; the gradient goes to the first maximum."""

    @staticmethod
    def forward(ctx, x, kernel, stride, padding):
        n, c, h, w = x.shape
        oh = output_size(h, kernel[0], stride[0], padding[0])
        ow = output_size(w, kernel[1], stride[1], padding[1])
        cols = im2col(x, kernel, stride, padding, pad_value=float("-inf"))
        cols = cols.reshape(n, c, kernel[0] * kernel[1], oh * ow)
        y, arg = cols.max(dim=2)
        ctx.save_for_backward(arg)
        ctx.conf = (tuple(x.shape), kernel, stride, padding)
        return y.reshape(n, c, oh, ow)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (arg,) = ctx.saved_tensors
        x_shape, kernel, stride, padding = ctx.conf
        n, c = x_shape[:2]
        k = kernel[0] * kernel[1]
        grad_cols = grad_out.new_zeros((n, c, k, arg.shape[-1]))
        grad_cols.scatter_(2, arg.unsqueeze(2), grad_out.reshape(n, c, 1, -1))
        return (
            col2im(grad_cols.reshape(n, c * k, -1), x_shape, kernel, stride, padding),
            None,
            None,
            None,
        )


def max_pool2d(
    x: torch.Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
) -> torch.Tensor:
    """Windowed maximum over x (N, C, H, W), as `F.max_pool2d` (stride defaults to the kernel)."""
    kernel = pair(kernel_size)
    return MaxPool2dFunction.apply(x, kernel, pair(stride) if stride else kernel, pair(padding))
