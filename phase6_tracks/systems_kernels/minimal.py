"""The smallest Triton kernels: add two vectors, then a softmax with one row per program.

The idea only. A kernel runs as many programs; each asks for its id (`tl.program_id`),
computes the offsets of the elements it owns, loads them (masked past the end), computes,
and stores. `softmax_eager` is the same math as four torch ops, each a full pass over
memory (about 5 reads/writes of M x N floats); the kernel reads each row once and writes it
once. Contiguous 2-D float32 rows that fit one block only, no strides, no dtypes, no online
pass: `softmax.py` (the naive -> fused -> online progression) adds those.
"""

from __future__ import annotations

import phase6_tracks.systems_kernels.runtime  # noqa: F401  (chooses the interpreter first)

# isort: split

import torch
import triton
import triton.language as tl


def softmax_eager(x: torch.Tensor) -> torch.Tensor:
    """Row softmax in four torch ops: each reads (and most write) a full M x N tensor."""
    row_max = x.amax(dim=-1, keepdim=True)  # read x
    e = torch.exp(x - row_max)  # read x, write e
    return e / e.sum(dim=-1, keepdim=True)  # read e twice, write y


@triton.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)  # which block of BLOCK elements this program owns
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n  # the last block may run past the end
    tl.store(
        out_ptr + offs,
        tl.load(x_ptr + offs, mask=mask) + tl.load(y_ptr + offs, mask=mask),
        mask=mask,
    )


def add(x: torch.Tensor, y: torch.Tensor, block: int = 256) -> torch.Tensor:
    """x + y for contiguous 1-D tensors, one program per `block` elements."""
    out = torch.empty_like(x)
    add_kernel[(triton.cdiv(x.numel(), block),)](x, y, out, x.numel(), BLOCK=block)
    return out


@triton.jit
def softmax_kernel(x_ptr, y_ptr, n_cols, BLOCK: tl.constexpr):
    row = tl.program_id(0)  # one program per row; the whole row fits in one block
    offs = tl.arange(0, BLOCK)
    mask = offs < n_cols
    # Padding lanes read -inf, so they add exp(-inf) = 0 to the sum and never win the max.
    x = tl.load(x_ptr + row * n_cols + offs, mask=mask, other=-float("inf"))
    e = tl.exp(x - tl.max(x, axis=0))
    tl.store(y_ptr + row * n_cols + offs, e / tl.sum(e, axis=0), mask=mask)


def softmax(x: torch.Tensor) -> torch.Tensor:
    """Row softmax of a contiguous (M, N) float32 tensor: M programs of one row each."""
    y = torch.empty_like(x)
    block = triton.next_power_of_2(x.shape[1])  # tl.arange needs a power of two
    softmax_kernel[(x.shape[0],)](x, y, x.shape[1], BLOCK=block)
    return y
