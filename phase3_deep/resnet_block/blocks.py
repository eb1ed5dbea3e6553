"""Residual blocks: BasicBlock (two 3x3 convs) and Bottleneck (1x1 reduce, 3x3, 1x1 expand),
each with an identity or projection (1x1 conv + BN) shortcut.

Conventions, chosen to equal transformers' ResNet (and torchvision's):
- convolutions have no bias: the batch norm after each one has its own shift, so a conv bias
  would be a redundant parameter (and a state-dict mismatch);
- the shortcut projects when the channel count or the stride changes, else it is the identity;
- the last batch norm of the residual branch has no activation; ReLU comes after the sum.
What this adds over `minimal.BasicBlock` (same names, equal outputs): every layer is this
phase's hand-written autograd instead of torch.nn's, and the Bottleneck block (1x1 reduce,
3x3, 1x1 expand) that deeper ResNets use to keep the 3x3 convolution narrow.
"""

from __future__ import annotations

import torch
from torch import nn

from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch.modules import BatchNorm2d, Conv2d


class Shortcut(nn.Module):
    """Projection shortcut: 1x1 convolution with `stride`, then batch norm."""

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        self.conv = Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
        self.bn = BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv(x))


def make_shortcut(in_channels: int, out_channels: int, stride: int) -> nn.Module:
    """A projection when the shape changes, else the identity."""
    if in_channels != out_channels or stride != 1:
        return Shortcut(in_channels, out_channels, stride)
    return nn.Identity()


class BasicBlock(nn.Module):
    """relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); conv1 carries the stride."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = BatchNorm2d(out_channels)
        self.conv2 = Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = BatchNorm2d(out_channels)
        self.shortcut = make_shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = scratch.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return scratch.relu(h + self.shortcut(x))


class Bottleneck(nn.Module):
    """1x1 down to out/`reduction` channels, 3x3, 1x1 up to `out_channels`, plus shortcut.

    The stride sits on the 3x3 conv (ResNet v1.5, transformers' default) or, with
    `downsample_in_bottleneck=True`, on the first 1x1 conv (the original paper).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        reduction: int = 4,
        downsample_in_bottleneck: bool = False,
    ) -> None:
        super().__init__()
        mid = out_channels // reduction
        if mid < 1:
            raise ValueError(f"out_channels {out_channels} < reduction {reduction}")
        s1, s2 = (stride, 1) if downsample_in_bottleneck else (1, stride)
        self.conv1 = Conv2d(in_channels, mid, 1, stride=s1, bias=False)
        self.bn1 = BatchNorm2d(mid)
        self.conv2 = Conv2d(mid, mid, 3, stride=s2, padding=1, bias=False)
        self.bn2 = BatchNorm2d(mid)
        self.conv3 = Conv2d(mid, out_channels, 1, bias=False)
        self.bn3 = BatchNorm2d(out_channels)
        self.shortcut = make_shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = scratch.relu(self.bn1(self.conv1(x)))
        h = scratch.relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return scratch.relu(h + self.shortcut(x))
