"""A small CNN for 32x32 RGB images, with a swappable head for transfer learning."""

from __future__ import annotations

import torch
from torch import nn


def _block(c_in: int, c_out: int, pool: bool) -> nn.Sequential:
    layers = [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


class SmallCNN(nn.Module):
    """Three conv-BN-ReLU blocks (width w, 2w, 4w), global average pooling, a linear head."""

    def __init__(self, n_classes: int, width: int = 16, dropout: float = 0.1) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            _block(3, width, pool=True),
            _block(width, 2 * width, pool=True),
            _block(2 * width, 4 * width, pool=False),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Dropout(dropout),
        )
        self.head = nn.Linear(4 * width, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))

    def freeze_backbone(self) -> SmallCNN:
        """Stop gradients into the backbone and keep its BatchNorm statistics fixed."""
        for p in self.backbone.parameters():
            p.requires_grad_(False)
        self.backbone.eval()
        self._frozen = True
        return self

    def replace_head(self, n_classes: int) -> SmallCNN:
        """A fresh linear head for a new label set (the backbone is kept)."""
        self.head = nn.Linear(self.head.in_features, n_classes)
        return self

    def train(self, mode: bool = True) -> SmallCNN:
        super().train(mode)
        if getattr(self, "_frozen", False):
            self.backbone.eval()  # frozen BN must not update running stats while the head trains
        return self
