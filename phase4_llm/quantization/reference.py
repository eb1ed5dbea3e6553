"""The bitsandbytes and torch side of the comparisons (tests, parity, bench and demo only)."""

from __future__ import annotations

from typing import Any

import torch


def bnb_nf4(
    w: torch.Tensor, blocksize: int = 64
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """bitsandbytes NF4 on CPU: packed codes (flat uint8), absmax, dequantised weight.

    Dequantises with bitsandbytes' eager CPU kernel: in 0.50.2 its torch.compile'd wrapper reuses
    a graph across block sizes for one shape (e.g. 64x64 at 64 then 128) and returns wrong values.
    """
    import bitsandbytes.functional as F
    from bitsandbytes.backends.default.ops import _dequantize_4bit_compute

    packed, state = F.quantize_4bit(w, blocksize=blocksize, quant_type="nf4")
    eager = getattr(_dequantize_4bit_compute, "__wrapped__", _dequantize_4bit_compute)
    code = F.get_4bit_type("nf4", device="cpu")
    deq = eager(packed.view(-1), state.absmax, code, blocksize, tuple(w.shape), torch.float32)
    return packed.view(-1), state.absmax, deq


def bnb_int8_rows(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """bitsandbytes int8 vector-wise (per-row absmax): codes, row absmax, dequantised weight."""
    import bitsandbytes.functional as F

    codes, stats, _ = F.int8_vectorwise_quant(w.clone())
    return codes, stats, F.int8_vectorwise_dequant(codes, stats)


def torch_per_channel_int8(w: torch.Tensor, scale: torch.Tensor, zero_point: torch.Tensor) -> Any:
    """torch's per-channel affine qint8 with our scale and zero-point: (codes, dequantised)."""
    import warnings

    with warnings.catch_warnings():  # quantized tensors are deprecated, still the reference
        warnings.simplefilter("ignore")
        q = torch.quantize_per_channel(w, scale.double(), zero_point, 0, torch.qint8)
        return q.int_repr(), q.dequantize()
