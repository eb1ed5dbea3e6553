"""Layer norm over the last dimension, forward and backward, one row per program.

Bytes for an M x N float32 input: the forward reads x (4MN) and w, b (8N) and writes y (4MN)
plus the mean and 1/std per row (8M): the minimum, since y needs all of x. The backward reads
x, dy (8MN) and the saved statistics, writes dx (4MN) and per-row partial dw, db (8MN), which
torch then sums over rows. A production kernel reduces dw, db in groups of rows instead of
writing M partial rows; here clarity wins and the extra traffic is stated.
"""

from __future__ import annotations

import phase6_tracks.systems_kernels.runtime  # noqa: F401  (sets the interpreter first)

# isort: split

import torch
import triton
import triton.language as tl


@triton.jit
def _forward(
    x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr, n_cols, stride, eps, BLOCK: tl.constexpr
):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    x = tl.load(x_ptr + row * stride + offs, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / n_cols
    centred = tl.where(mask, x - mean, 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(centred * centred, axis=0) / n_cols + eps)
    w = tl.load(w_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(b_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    y = centred * rstd * w + b
    tl.store(y_ptr + row * stride + offs, y.to(y_ptr.dtype.element_ty), mask=mask)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)


@triton.jit
def _backward(
    dy_ptr,
    x_ptr,
    w_ptr,
    mean_ptr,
    rstd_ptr,
    dx_ptr,
    dw_ptr,
    db_ptr,
    n_cols,
    stride,
    BLOCK: tl.constexpr,
):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    x = tl.load(x_ptr + row * stride + offs, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + row * stride + offs, mask=mask, other=0.0).to(tl.float32)
    w = tl.load(w_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    xhat = tl.where(mask, (x - tl.load(mean_ptr + row)) * tl.load(rstd_ptr + row), 0.0)
    wdy = w * dy
    # dx = rstd * (wdy - mean(wdy) - xhat * mean(wdy * xhat))
    c1 = tl.sum(xhat * wdy, axis=0) / n_cols
    c2 = tl.sum(wdy, axis=0) / n_cols
    dx = (wdy - (xhat * c1 + c2)) * tl.load(rstd_ptr + row)
    tl.store(dx_ptr + row * stride + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)
    tl.store(dw_ptr + row * n_cols + offs, dy * xhat, mask=mask)
    tl.store(db_ptr + row * n_cols + offs, dy, mask=mask)


class _LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):  # type: ignore[no-untyped-def]
        rows = x.reshape(-1, x.shape[-1]).contiguous()
        m, n = rows.shape
        block = triton.next_power_of_2(n)
        y = torch.empty_like(rows)
        mean = torch.empty(m, dtype=torch.float32, device=x.device)
        rstd = torch.empty(m, dtype=torch.float32, device=x.device)
        _forward[(m,)](rows, weight, bias, y, mean, rstd, n, rows.stride(0), eps, BLOCK=block)
        ctx.save_for_backward(rows, weight, mean, rstd)
        ctx.shape = x.shape
        return y.reshape(x.shape)

    @staticmethod
    def backward(ctx, dy):  # type: ignore[no-untyped-def]
        rows, weight, mean, rstd = ctx.saved_tensors
        m, n = rows.shape
        dy = dy.reshape(m, n).contiguous()
        dx = torch.empty_like(rows)
        dw_rows = torch.empty((m, n), dtype=torch.float32, device=rows.device)
        db_rows = torch.empty((m, n), dtype=torch.float32, device=rows.device)
        _backward[(m,)](
            dy,
            rows,
            weight,
            mean,
            rstd,
            dx,
            dw_rows,
            db_rows,
            n,
            rows.stride(0),
            BLOCK=triton.next_power_of_2(n),
        )
        dw = dw_rows.sum(0).to(weight.dtype)
        db = db_rows.sum(0).to(weight.dtype)
        return dx.reshape(ctx.shape), dw, db, None


def layer_norm(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    """Layer norm of the last dimension with learnable weight and bias (differentiable)."""
    if x.shape[-1] != weight.shape[0] or weight.shape != bias.shape:
        raise ValueError(
            f"weight and bias must have shape ({x.shape[-1]},), got "
            f"{tuple(weight.shape)} and {tuple(bias.shape)}"
        )
    return _LayerNorm.apply(x, weight, bias, eps)
