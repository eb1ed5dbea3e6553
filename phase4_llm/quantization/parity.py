"""Parity checks of the quantization milestone: NF4 and int8 against bitsandbytes (CPU)."""

from __future__ import annotations

import torch

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from . import reference as ref
from .four_bit import quantize_group_int4, quantize_nf4
from .int8 import quantize_int8_absmax, quantize_int8_zero_point

BNB = reference_version("bitsandbytes")
TORCH = reference_version("torch")


def checks() -> list[ParityResult]:
    """Codes and dequantised values vs bitsandbytes / torch; group-int4 error bound."""
    g = torch.Generator().manual_seed(0)
    w = torch.randn(256, 576, generator=g) * 0.05
    odd = torch.randn(7, 9, generator=g)
    zeros = torch.randn(5, 70, generator=g)
    zeros[1], zeros[3, 6:] = 0.0, 0.0  # all-zero blocks (absmax 0), a zero trailing block
    results = []
    for name, x in (
        ("256x576", w),
        ("7x9 (partial block, odd count)", odd),
        ("5x70 (all-zero blocks)", zeros),
    ):
        ours = quantize_nf4(x, 64)
        packed, absmax, deq = ref.bnb_nf4(x, 64)
        results.append(compare(f"NF4 codes {name}", ours.packed, packed, reference=BNB, exact=True))
        results.append(
            compare(f"NF4 absmax {name}", ours.absmax, absmax, reference=BNB, exact=True)
        )
        results.append(
            compare(f"NF4 dequantised {name}", ours.dequantize(), deq, reference=BNB, exact=True)
        )
    q = quantize_int8_absmax(w)
    codes, stats, deq = ref.bnb_int8_rows(w)
    results.append(compare("int8 absmax codes", q.codes, codes, reference=BNB, exact=True))
    results.append(compare("int8 absmax row stats", q.absmax, stats, reference=BNB, exact=True))
    results.append(
        compare("int8 absmax dequantised", q.dequantize(), deq, reference=BNB, exact=True)
    )
    zp = quantize_int8_zero_point(w)
    t_codes, t_deq = ref.torch_per_channel_int8(w, zp.scale, zp.zero_point)
    results.append(compare("int8 zero-point codes", zp.codes, t_codes, reference=TORCH, exact=True))
    half_way = (torch.randn(64, 64, generator=g) * 1e-2).bfloat16()  # many exact .5 steps
    zp_b = quantize_int8_zero_point(half_way)
    b_codes, _ = ref.torch_per_channel_int8(half_way.float(), zp_b.scale, zp_b.zero_point)
    results.append(
        compare(
            "int8 zero-point codes (bf16 input)", zp_b.codes, b_codes, reference=TORCH, exact=True
        )
    )
    # torch dequantises in float64 scale then casts: float32 rounding, 1e-6
    results.append(
        compare(
            "int8 zero-point dequantised",
            zp.dequantize(),
            t_deq,
            reference=TORCH,
            rtol=1e-6,
            atol=1e-7,
        )
    )
    g4 = quantize_group_int4(w, 64)
    err = (g4.dequantize() - w).abs().view(256, -1, 64)
    bound = g4.scale.unsqueeze(-1) / 2 * (1 + 1e-5)
    results.append(
        behaviour(
            "int4 group RTN error <= half a step",
            bool((err <= bound).all()),
            f"max err {err.max():.2e}",
        )
    )
    return results
