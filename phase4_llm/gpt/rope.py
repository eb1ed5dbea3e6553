"""Rotary inverse frequencies: plain RoPE and the two scalings that only rescale them.

Plain: inv_freq[i] = theta^(-2i/d). "linear" (position interpolation) divides every frequency
by `factor`, which is the same as rotating position p as p / factor. "llama3" (Llama 3.1)
divides only the low frequencies (wavelength above original_context / low_freq_factor) by
`factor`, keeps the high ones (wavelength below original_context / high_freq_factor), and
blends linearly in between. The arithmetic follows transformers' order so float32 rounding
matches too. Scalings that change with sequence length ("dynamic") or rescale cos/sin
("yarn", "longrope") are not implemented; the config refuses them.
"""

from __future__ import annotations

import math
from typing import Any

import torch


def rope_inverse_frequencies(
    head_dim: int, theta: float, scaling: dict[str, Any] | None = None
) -> torch.Tensor:
    """The (head_dim / 2,) float32 inverse frequencies of rotary embedding, scaled if asked."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    scaling = scaling or {}
    kind = scaling.get("rope_type", "default")
    if kind == "default":
        return inv_freq
    factor = float(scaling["factor"])
    if kind == "linear":
        return inv_freq / factor
    if kind == "llama3":
        return _llama3(inv_freq, factor, scaling)
    raise ValueError(f"unknown rope_type {kind!r} (have default, linear, llama3)")


def _llama3(inv_freq: torch.Tensor, factor: float, scaling: dict[str, Any]) -> torch.Tensor:
    low, high = float(scaling["low_freq_factor"]), float(scaling["high_freq_factor"])
    context = scaling["original_max_position_embeddings"]
    low_freq_wavelen, high_freq_wavelen = context / low, context / high
    wavelen = 2 * math.pi / inv_freq
    scaled = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    # Between the two wavelengths: blend the divided and the kept frequency.
    smooth = (context / wavelen - low) / (high - low)
    blended = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(medium, blended, scaled)
