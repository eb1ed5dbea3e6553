"""Weight-only quantization in one file: store a weight as small integers and a scale per row.

The idea only: symmetric int8 per output row (absmax: codes = round(w * 127 / max|row|)),
dequantize as codes * scale, and a linear layer that dequantizes its weight on every call
(memory saved, arithmetic not). No zero-points, no 4-bit groups or NF4, no nibble packing,
no model swapping: `int8.py`, `four_bit.py` and `qlinear.py` add those.
"""

from __future__ import annotations

import torch
from torch import Tensor


def quantize_absmax(w: Tensor) -> tuple[Tensor, Tensor]:
    """int8 codes (out, in) in [-127, 127] and the float32 scale per row (out,): w ~ codes * scale.

    Example: row [0.5, -1.0] -> scale 1/127, codes [64, -127].
    Hint: scale = max|row| / 127; round w / scale to the nearest integer.
    """
    absmax = w.float().abs().amax(dim=1)  # (out,)
    codes = torch.round(w.float() * (127.0 / absmax[:, None])).to(torch.int8)  # (out, in)
    return codes, absmax / 127.0


def dequantize(codes: Tensor, scale: Tensor) -> Tensor:
    """The float32 weight the codes stand for: each row's codes times its scale.

    Hint: broadcast scale (out,) over the columns with scale[:, None].
    """
    return codes.float() * scale[:, None]


def quantized_linear(x: Tensor, codes: Tensor, scale: Tensor, bias: Tensor | None) -> Tensor:
    """x (..., in) -> (..., out) with the dequantized weight: 1 byte per weight in memory."""
    y = x @ dequantize(codes, scale).t()
    return y if bias is None else y + bias
