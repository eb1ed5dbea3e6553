"""4-bit weights: group-wise round-to-nearest (asymmetric, 16 levels) and NF4 (QLoRA).

Two 4-bit codes share one byte, the first in the high nibble (bitsandbytes' layout).
NF4's 16 levels are quantiles of a standard normal scaled to [-1, 1], so normally
distributed weights use every level about equally; each block of 64 values is scaled by its
absmax. Group RTN instead maps each group's [min, max] linearly onto 0..15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

# The NF4 levels of Dettmers et al. (2023), as bitsandbytes stores them.
NF4_LEVELS = torch.tensor(
    [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]
)  # fmt: skip


def pack_nibbles(codes: torch.Tensor, pad: int = 0) -> torch.Tensor:
    """Flat codes 0..15 -> uint8, two per byte, first code high. [1, 2, 3] -> [0x12, 0x30]."""
    flat = codes.reshape(-1).to(torch.uint8)
    if flat.numel() % 2:
        flat = torch.cat([flat, flat.new_full((1,), pad)])
    return (flat[0::2] << 4) | flat[1::2]


def unpack_nibbles(packed: torch.Tensor, n: int) -> torch.Tensor:
    """Inverse of `pack_nibbles`: the first `n` codes as int64."""
    out = torch.empty(packed.numel() * 2, dtype=torch.int64)
    out[0::2] = (packed >> 4).to(torch.int64)
    out[1::2] = (packed & 0xF).to(torch.int64)
    return out[:n]


def lookup_pairs(packed: torch.Tensor, levels: torch.Tensor, n: int) -> torch.Tensor:
    """The first `n` values levels[code] of packed bytes, via a 256-entry table of byte -> pair.

    One gather per byte instead of unpacking to int64 codes: half the indexing, no int64 copy.
    """
    pairs = torch.stack([levels.repeat_interleave(16), levels.repeat(16)], dim=1)  # (256, 2)
    return pairs[packed.long()].reshape(-1)[:n]


@dataclass
class NF4Weight:
    """Packed NF4 codes, one absmax per block of `blocksize` values (row-major), and the shape."""

    packed: torch.Tensor
    absmax: torch.Tensor
    shape: tuple[int, ...]
    blocksize: int

    def dequantize(self) -> torch.Tensor:
        """The float32 weight: level[code] * absmax of its block."""
        n = math.prod(self.shape)
        values = lookup_pairs(self.packed, NF4_LEVELS, n)
        full = n - n % self.blocksize
        n_full = full // self.blocksize
        out = torch.empty(n)
        out[:full] = (
            values[:full].view(n_full, self.blocksize) * self.absmax[:n_full, None]
        ).reshape(-1)
        if full < n:
            out[full:] = values[full:] * self.absmax[n_full]
        return out.reshape(self.shape)


def quantize_nf4(w: torch.Tensor, blocksize: int = 64) -> NF4Weight:
    """NF4 codes: scale each block into [-1, 1] by its absmax, pick the nearest level."""
    if w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError("expected a non-empty, finite weight")
    if blocksize < 2 or blocksize % 2:
        raise ValueError(f"blocksize must be an even number >= 2, got {blocksize}")
    flat = w.reshape(-1).float()
    n, full = flat.numel(), flat.numel() - flat.numel() % blocksize
    absmax = flat[:full].view(-1, blocksize).abs().amax(dim=1)
    scaled = flat[:full].view(-1, blocksize) * (1.0 / absmax.clamp(min=1e-38)).unsqueeze(1)
    scaled = scaled.reshape(-1)
    if full < n:  # bitsandbytes divides (not multiplies) in a trailing partial block
        tail_max = flat[full:].abs().amax().clamp(min=1e-38)
        absmax = torch.cat([absmax, tail_max.unsqueeze(0)])
        scaled = torch.cat([scaled, flat[full:] / tail_max])
    scaled = torch.clamp(scaled, -1, 1)
    # Nearest level = number of midpoints strictly below the value (ties go to the lower level).
    midpoints = (NF4_LEVELS[:-1] + NF4_LEVELS[1:]) / 2
    codes = torch.bucketize(scaled, midpoints)  # == count of midpoints < value
    # An odd count is padded with the code of 0.0 (level 7), as bitsandbytes pads with zeros.
    return NF4Weight(pack_nibbles(codes, pad=7), absmax, tuple(w.shape), blocksize)


@dataclass
class GroupInt4Weight:
    """Packed uint4 codes with a scale and minimum per group of `group_size` inputs per row."""

    packed: torch.Tensor
    scale: torch.Tensor  # (out, n_groups)
    minimum: torch.Tensor  # (out, n_groups)
    shape: tuple[int, int]
    group_size: int

    def dequantize(self) -> torch.Tensor:
        """The float32 weight: minimum + code * scale, group by group."""
        out, inp = self.shape
        codes = lookup_pairs(self.packed, torch.arange(16.0), out * inp)
        codes = codes.view(out, -1, self.group_size)
        w = codes * self.scale.unsqueeze(-1) + self.minimum.unsqueeze(-1)
        return w.reshape(out, inp)


def quantize_group_int4(w: torch.Tensor, group_size: int = 64) -> GroupInt4Weight:
    """Round-to-nearest 4-bit: each group of `group_size` inputs of a row onto 0..15."""
    if w.ndim != 2 or w.numel() == 0 or not torch.isfinite(w).all():
        raise ValueError(f"expected a non-empty, finite 2-D weight, got shape {tuple(w.shape)}")
    out, inp = w.shape
    if inp % group_size:
        raise ValueError(f"in_features {inp} is not a multiple of group_size {group_size}")
    groups = w.float().view(out, inp // group_size, group_size)
    lo, hi = groups.amin(dim=-1), groups.amax(dim=-1)
    scale = ((hi - lo) / 15.0).clamp(min=1e-8)
    codes = torch.clamp(torch.round((groups - lo.unsqueeze(-1)) / scale.unsqueeze(-1)), 0, 15)
    return GroupInt4Weight(pack_nibbles(codes), scale, lo, (out, inp), group_size)
