"""Weight-only int8: symmetric per-channel absmax, and asymmetric per-channel with a zero-point.

Each output channel (row of a Linear weight) gets its own scale, so one large row does not
crush the resolution of the others. Example (absmax): row [0.5, -1.0] -> scale 1/127,
codes [64, -127] (round(0.5 * 127 / 1.0) = 64).

What this adds over `minimal.quantize_absmax` (the same codes): dequantization bit for bit
as bitsandbytes does it, an all-zero row that does not divide by zero, input checks, and the
zero-point variant that uses all 256 levels for lopsided rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class Int8Absmax:
    """int8 codes (out, in) and per-row absmax (out,): w ~= codes * absmax / 127."""

    codes: torch.Tensor
    absmax: torch.Tensor

    def dequantize(self) -> torch.Tensor:
        """The float32 weight these codes stand for."""
        # bitsandbytes multiplies by the float32 reciprocal of 127; do the same bit for bit.
        return self.codes * self.absmax.view(-1, 1) * 7.874015718698502e-3


def quantize_int8_absmax(w: torch.Tensor) -> Int8Absmax:
    """Symmetric int8 per row: codes = round(w * 127 / max|row|), in [-127, 127]."""
    _check_matrix(w)
    w = w.float()
    absmax = w.abs().amax(dim=1)
    codes = torch.round(w * (127.0 / absmax.clamp(min=1e-38).unsqueeze(-1))).to(torch.int8)
    return Int8Absmax(codes, absmax)


@dataclass
class Int8ZeroPoint:
    """int8 codes with per-row scale and zero-point: w ~= (codes - zero_point) * scale."""

    codes: torch.Tensor
    scale: torch.Tensor
    zero_point: torch.Tensor

    def dequantize(self) -> torch.Tensor:
        """The float32 weight these codes stand for."""
        return (self.codes.float() - self.zero_point.view(-1, 1).float()) * self.scale.view(-1, 1)


def quantize_int8_zero_point(w: torch.Tensor) -> Int8ZeroPoint:
    """Asymmetric int8 per row: the row's [min, max] (widened to hold 0) onto [-128, 127].

    Uses all 256 levels when a row is lopsided (e.g. all positive), where absmax wastes half.
    """
    _check_matrix(w)
    w = w.float()
    lo = w.amin(dim=1).clamp(max=0.0)  # keep 0 exactly representable (padding, ReLU zeros)
    hi = w.amax(dim=1).clamp(min=0.0)
    scale = ((hi - lo) / 255.0).clamp(min=1e-8)
    zero_point = (-128 - torch.round(lo / scale)).clamp(-128, 127).to(torch.int64)
    # Shift, then round (ties to even of the shifted value), times the float32 reciprocal:
    # torch's per-channel quantizer does exactly this; rounding before the shift differs from
    # it on values that land half-way between two codes (common in bf16/fp16 weights).
    shifted = w * (1.0 / scale).unsqueeze(-1) + zero_point.unsqueeze(-1)
    codes = torch.clamp(torch.round(shifted), -128, 127)
    return Int8ZeroPoint(codes.to(torch.int8), scale, zero_point)


def _check_matrix(w: torch.Tensor) -> None:
    if w.ndim != 2 or w.numel() == 0:
        raise ValueError(f"expected a non-empty 2-D weight, got shape {tuple(w.shape)}")
    if not torch.isfinite(w).all():
        raise ValueError("weight contains NaN or infinity")
