"""Position information: fixed sinusoids (Vaswani et al. 2017) or a learned table (BERT, GPT-2)."""

from __future__ import annotations

import math

import torch
from torch import nn


def sinusoidal_positions(length: int, dim: int, base: float = 10000.0) -> torch.Tensor:
    """(length, dim) table: PE[p, 2i] = sin(p / base^(2i/dim)), PE[p, 2i+1] = cos(same).

    `sinusoidal_positions(2, 2) == [[0, 1], [sin 1, cos 1]]`.
    """
    if length < 0 or dim < 1:
        raise ValueError(f"need length >= 0 and dim >= 1, got {length}, {dim}")
    position = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    inv_freq = torch.exp(-math.log(base) * torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    table = torch.zeros(length, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * inv_freq)
    table[:, 1::2] = torch.cos(position * inv_freq[: dim // 2])  # odd dim: one fewer cosine
    return table.to(torch.get_default_dtype())


class SinusoidalPositionalEncoding(nn.Module):
    """Adds the fixed sinusoid table to (N, L, dim) inputs; the table is a non-persistent buffer."""

    def __init__(self, dim: int, max_len: int = 512) -> None:
        super().__init__()
        self.register_buffer("table", sinusoidal_positions(max_len, dim), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] > self.table.shape[0]:
            raise ValueError(f"sequence length {x.shape[1]} exceeds max_len {self.table.shape[0]}")
        return x + self.table[: x.shape[1]].to(x.dtype)


class LearnedPositionalEmbedding(nn.Module):
    """Adds a trained (max_len, dim) table, `weight`, row p for position p (offset `start`)."""

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(max_len, dim) * 0.02)

    def forward(self, x: torch.Tensor, start: int = 0) -> torch.Tensor:
        end = start + x.shape[1]
        if end > self.weight.shape[0]:
            raise ValueError(f"positions up to {end} exceed max_len {self.weight.shape[0]}")
        return x + self.weight[start:end]
