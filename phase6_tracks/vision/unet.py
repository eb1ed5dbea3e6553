"""A small U-Net (Ronneberger et al. 2015): an encoder that halves the resolution at each level
and a decoder that climbs back, joined by skip connections.

Each level is two 3x3 conv + batch norm + ReLU layers; 2x2 max-pool goes down, a 2x2
transposed conv goes up, and the skip concatenates the encoder's features of the same
resolution, which is what gives the decoder sharp boundaries. Channels double per level,
so the low-resolution levels (which see whole objects) are wide and the full-resolution
ones (which only place edges) stay cheap. Output: per-pixel class logits.
"""

from __future__ import annotations

import torch
from torch import nn


class UNet(nn.Module):
    """(B, 3, H, W) image -> (B, n_classes, H, W) logits; H, W divisible by 2**depth."""

    def __init__(self, n_classes: int, width: int = 8, depth: int = 3) -> None:
        super().__init__()
        chans = [width * 2**i for i in range(depth + 1)]  # e.g. 8, 16, 32, 64
        self.down = nn.ModuleList(
            [_block(3, chans[0])] + [_block(chans[i], chans[i + 1]) for i in range(depth)]
        )
        self.up = nn.ModuleList(
            [nn.ConvTranspose2d(chans[i + 1], chans[i], 2, stride=2) for i in range(depth)]
        )
        # Each decoder block sees the upsampled features and the skip: 2 * chans[i] channels.
        self.merge = nn.ModuleList([_block(2 * chans[i], chans[i]) for i in range(depth)])
        self.pool = nn.MaxPool2d(2)
        self.out = nn.Conv2d(chans[0], n_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, n_classes, H, W)."""
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))  # (B, chans[i], H / 2**i, W / 2**i)
            skips.append(x)
        for i in reversed(range(len(self.up))):
            x = self.up[i](x)  # (B, chans[i], H / 2**i, W / 2**i)
            x = self.merge[i](torch.cat([x, skips[i]], dim=1))  # (B, chans[i], same)
        return self.out(x)


def _block(cin: int, cout: int) -> nn.Sequential:
    """Two 3x3 conv + batch norm + ReLU layers."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )
