"""Fused y = GELU(x @ W + b): one kernel instead of three (matmul, add, GELU).

Unfused, for an M x K input and K x N weight in float32, the matmul writes C (4MN bytes),
the bias add reads and writes it (8MN), and GELU reads and writes it again (8MN): 20MN bytes
of traffic beyond the matmul's own. Fused, the bias and GELU are applied to the accumulator
in registers and C is written once (4MN). Tiles of BLOCK_M x BLOCK_N accumulate in float32
over K in steps of BLOCK_K.
"""

from __future__ import annotations

import phase6_tracks.systems_kernels.runtime  # noqa: F401  (sets the interpreter first)

# isort: split

import torch
import triton
import triton.language as tl


@triton.jit
def _matmul_bias_gelu(
    a_ptr,
    b_ptr,
    bias_ptr,
    c_ptr,
    M,
    N,
    K,
    stride_am,
    stride_ak,
    stride_bk,
    stride_bn,
    stride_cm,
    stride_cn,
    APPROX: tl.constexpr,
    BLOCK_M: tl.constexpr,
    BLOCK_N: tl.constexpr,
    BLOCK_K: tl.constexpr,
):
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        rk = k0 + tl.arange(0, BLOCK_K)
        a = tl.load(
            a_ptr + rm[:, None] * stride_am + rk[None, :] * stride_ak,
            mask=(rm[:, None] < M) & (rk[None, :] < K),
            other=0.0,
        )
        b = tl.load(
            b_ptr + rk[:, None] * stride_bk + rn[None, :] * stride_bn,
            mask=(rk[:, None] < K) & (rn[None, :] < N),
            other=0.0,
        )
        acc += tl.dot(a, b, out_dtype=tl.float32)
    acc += tl.load(bias_ptr + rn, mask=rn < N, other=0.0).to(tl.float32)[None, :]
    if APPROX:  # tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        inner = 0.7978845608028654 * (acc + 0.044715 * acc * acc * acc)
        y = 0.5 * acc * (1.0 + (2.0 / (1.0 + tl.exp(-2.0 * inner)) - 1.0))
    else:  # exact: 0.5 x (1 + erf(x / sqrt(2)))
        y = 0.5 * acc * (1.0 + tl.math.erf(acc * 0.7071067811865476))
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    tl.store(
        c_ptr + rm[:, None] * stride_cm + rn[None, :] * stride_cn,
        y.to(c_ptr.dtype.element_ty),
        mask=mask,
    )


def matmul_bias_gelu(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    approximate: str = "none",
    block: tuple[int, int, int] = (32, 32, 32),
) -> torch.Tensor:
    """GELU(x @ weight + bias) for x (M, K), weight (K, N), bias (N,); any strides."""
    if x.dim() != 2 or weight.dim() != 2 or x.shape[1] != weight.shape[0]:
        raise ValueError(f"shapes do not chain: x {tuple(x.shape)}, weight {tuple(weight.shape)}")
    if bias.shape != (weight.shape[1],):
        raise ValueError(f"bias must have shape ({weight.shape[1]},), got {tuple(bias.shape)}")
    if approximate not in ("none", "tanh"):
        raise ValueError("approximate must be 'none' or 'tanh'")
    m, k = x.shape
    n = weight.shape[1]
    out = torch.empty((m, n), dtype=x.dtype, device=x.device)
    bm, bn, bk = block
    grid = (triton.cdiv(m, bm), triton.cdiv(n, bn))
    _matmul_bias_gelu[grid](
        x,
        weight,
        bias,
        out,
        m,
        n,
        k,
        x.stride(0),
        x.stride(1),
        weight.stride(0),
        weight.stride(1),
        out.stride(0),
        out.stride(1),
        APPROX=approximate == "tanh",
        BLOCK_M=bm,
        BLOCK_N=bn,
        BLOCK_K=bk,
    )
    return out
