"""Row softmax in three versions, each cheaper in memory traffic than the last.

For an M x N float32 input (4 bytes per element), counting global-memory bytes:
- v1 `softmax_naive`: three kernels (row max; exp and row sum; divide). Reads x three times,
  writes and re-reads exp(x) once: about 5 * 4MN bytes.
- v2 `softmax_fused`: one kernel, one row per program held in registers: reads x once, writes
  y once: 2 * 4MN bytes, so about 2.5x less traffic than v1. Needs the row to fit one block.
- v3 `softmax_online`: for rows wider than a block. One pass keeps a running max m and a
  running sum s rescaled by exp(m_old - m_new) (Milakov & Gimelshein, 2018); a second pass
  writes exp(x - m) / s. Reads x twice, writes once: 3 * 4MN bytes, for any row width.
All accumulate in float32 whatever the input dtype, and write the input's dtype.
Over `minimal.softmax` (v2 for contiguous float32 only), the wrappers add strided rows, any
leading dimensions, float16/bfloat16 inputs, and v3 for rows wider than one block.
"""

from __future__ import annotations

import phase6_tracks.systems_kernels.runtime  # noqa: F401  (sets the interpreter first)

# isort: split

import torch
import triton
import triton.language as tl

MAX_FUSED_BLOCK = 8192  # widest row v2 holds in one block


@triton.jit
def _row_max(x_ptr, out_ptr, n_cols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + row * stride + offs, mask=offs < n_cols, other=-float("inf"))
    tl.store(out_ptr + row, tl.max(x.to(tl.float32), axis=0))


@triton.jit
def _exp_and_sum(x_ptr, max_ptr, e_ptr, sum_ptr, n_cols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    x = tl.load(x_ptr + row * stride + offs, mask=mask, other=-float("inf")).to(tl.float32)
    e = tl.exp(x - tl.load(max_ptr + row))
    tl.store(e_ptr + row * n_cols + offs, e, mask=mask)
    tl.store(sum_ptr + row, tl.sum(e, axis=0))


@triton.jit
def _divide(e_ptr, sum_ptr, y_ptr, n_cols, y_stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    e = tl.load(e_ptr + row * n_cols + offs, mask=mask)
    y = e / tl.load(sum_ptr + row)
    tl.store(y_ptr + row * y_stride + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _fused(x_ptr, y_ptr, n_cols, x_stride, y_stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    x = tl.load(x_ptr + row * x_stride + offs, mask=mask, other=-float("inf")).to(tl.float32)
    e = tl.exp(x - tl.max(x, axis=0))
    y = e / tl.sum(e, axis=0)
    tl.store(y_ptr + row * y_stride + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _online(x_ptr, y_ptr, n_cols, x_stride, y_stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    m = tl.full([BLOCK], -float("inf"), tl.float32)  # per-lane running max
    s = tl.zeros([BLOCK], tl.float32)  # per-lane running sum, in units of exp(m)
    for start in range(0, n_cols, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        x = tl.load(x_ptr + row * x_stride + offs, mask=offs < n_cols, other=-float("inf")).to(
            tl.float32
        )
        m_new = tl.maximum(m, x)
        # Lanes that have seen only -inf keep s = 0 (avoid inf - inf = nan).
        scale = tl.where(m_new == -float("inf"), 0.0, tl.exp(m - m_new))
        s = s * scale + tl.where(m_new == -float("inf"), 0.0, tl.exp(x - m_new))
        m = m_new
    row_max = tl.max(m, axis=0)
    total = tl.sum(tl.where(m == -float("inf"), 0.0, s * tl.exp(m - row_max)), axis=0)
    for start in range(0, n_cols, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        mask = offs < n_cols
        x = tl.load(x_ptr + row * x_stride + offs, mask=mask, other=-float("inf"))
        y = tl.exp(x.to(tl.float32) - row_max) / total
        tl.store(y_ptr + row * y_stride + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


def _as_rows(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if x.dim() < 1 or x.shape[-1] == 0:
        raise ValueError(f"softmax needs a non-empty last dimension, got shape {tuple(x.shape)}")
    rows = x.reshape(-1, x.shape[-1])
    if rows.stride(-1) != 1:  # kernels index columns contiguously; rows may be strided
        rows = rows.contiguous()
    return rows, torch.empty(rows.shape, dtype=x.dtype, device=x.device)


def softmax_naive(x: torch.Tensor) -> torch.Tensor:
    """v1: three launches (max, exp+sum, divide) over the last dimension."""
    rows, y = _as_rows(x)
    m, n = rows.shape
    block = triton.next_power_of_2(n)
    row_max = torch.empty(m, dtype=torch.float32, device=x.device)
    row_sum = torch.empty(m, dtype=torch.float32, device=x.device)
    e = torch.empty((m, n), dtype=torch.float32, device=x.device)
    _row_max[(m,)](rows, row_max, n, rows.stride(0), BLOCK=block)
    _exp_and_sum[(m,)](rows, row_max, e, row_sum, n, rows.stride(0), BLOCK=block)
    _divide[(m,)](e, row_sum, y, n, y.stride(0), BLOCK=block)
    return y.reshape(x.shape)


def softmax_fused(x: torch.Tensor) -> torch.Tensor:
    """v2: one launch, one row per program, the row in one block."""
    rows, y = _as_rows(x)
    m, n = rows.shape
    block = triton.next_power_of_2(n)
    if block > MAX_FUSED_BLOCK:
        raise ValueError(f"row of {n} exceeds the fused kernel's block; use softmax_online")
    _fused[(m,)](rows, y, n, rows.stride(0), y.stride(0), BLOCK=block)
    return y.reshape(x.shape)


def softmax_online(x: torch.Tensor, block: int = 1024) -> torch.Tensor:
    """v3: any row width, in blocks of `block` columns, two reads of x."""
    rows, y = _as_rows(x)
    m, n = rows.shape
    _online[(m,)](rows, y, n, rows.stride(0), y.stride(0), BLOCK=block)
    return y.reshape(x.shape)
