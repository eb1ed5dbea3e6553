"""A tiny class-conditional U-Net for 8x8 images: predicts the noise in x_t given t and a class.

Two resolutions (8x8 and 4x4), residual blocks with GroupNorm and SiLU, the timestep as a
sinusoidal embedding (Vaswani et al. 2017) plus a learned class embedding added to every block,
skip connections concatenated on the way up (Ronneberger et al. 2015; Ho et al. 2020).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """(B,) integer timesteps -> (B, dim) sines and cosines of geometric frequencies."""
    half = dim // 2
    freqs = torch.exp(-math.log(10_000) * torch.arange(half, dtype=torch.float32) / half)
    angles = t.float()[:, None] * freqs[None]  # (B, half)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class ResBlock(nn.Module):
    """Two 3x3 convs with the conditioning added in between, plus a residual path."""

    def __init__(self, c_in: int, c_out: int, emb_dim: int) -> None:
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(8, c_in), nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb = nn.Linear(emb_dim, c_out)
        self.norm2, self.conv2 = nn.GroupNorm(8, c_out), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()
        self.act = nn.SiLU()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(self.act(self.norm1(x)))
        h = h + self.emb(emb)[:, :, None, None]  # (B, c_out) -> (B, c_out, 1, 1)
        h = self.conv2(self.act(self.norm2(h)))
        return h + self.skip(x)


class TinyUNet(nn.Module):
    """eps_theta(x_t, t, class) for (B, 1, 8, 8) inputs."""

    def __init__(self, width: int = 32, n_classes: int = 10) -> None:
        super().__init__()
        emb = 4 * width
        self.width = width
        self.time = nn.Sequential(nn.Linear(width, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(n_classes, emb)
        self.inp = nn.Conv2d(1, width, 3, padding=1)
        self.down1 = ResBlock(width, width, emb)  # 8x8
        self.pool = nn.Conv2d(width, width, 3, stride=2, padding=1)  # 8x8 -> 4x4
        self.down2 = ResBlock(width, 2 * width, emb)  # 4x4
        self.mid = ResBlock(2 * width, 2 * width, emb)
        self.up2 = ResBlock(4 * width, 2 * width, emb)  # concat with down2's output
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")  # 4x4 -> 8x8
        self.up1 = ResBlock(3 * width, width, emb)  # concat with down1's output
        self.out = nn.Sequential(
            nn.GroupNorm(8, width), nn.SiLU(), nn.Conv2d(width, 1, 3, padding=1)
        )

    def forward(self, x: torch.Tensor, t: torch.Tensor, label: torch.Tensor) -> torch.Tensor:
        emb = self.time(timestep_embedding(t, self.width)) + self.label(label)  # (B, 4w)
        h1 = self.down1(self.inp(x), emb)  # (B, w, 8, 8)
        h2 = self.down2(self.pool(h1), emb)  # (B, 2w, 4, 4)
        h = self.mid(h2, emb)
        h = self.up2(torch.cat([h, h2], dim=1), emb)  # (B, 2w, 4, 4)
        h = self.up1(torch.cat([self.upsample(h), h1], dim=1), emb)  # (B, w, 8, 8)
        return self.out(h)  # (B, 1, 8, 8)
