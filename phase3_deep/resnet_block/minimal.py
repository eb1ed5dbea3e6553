"""A residual block in one file: out = relu(F(x) + shortcut(x)), with torch's own layers.

The idea only: the block learns a correction F(x) = bn2(conv2(relu(bn1(conv1(x))))) to its
input instead of a whole new mapping, so gradients reach early layers through the identity
path. When the block changes the shape (more channels or stride 2), the shortcut becomes a
1x1 convolution + batch norm so the two can be added. BasicBlock only (no bottleneck, no
stem or stages) and torch.nn layers: `blocks.py` and `model.py` build the same from this
phase's hand-written layers, with transformers' names.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class Shortcut(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x: Tensor) -> Tensor:
        return self.bn(self.conv(x))


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; conv1 carries the stride. (N, C_in, H, W) ->
    (N, C_out, H / stride, W / stride)."""

    def __init__(self, c_in: int, c_out: int, stride: int = 1) -> None:
        super().__init__()
        # No conv bias: the batch norm right after has its own shift.
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        reshapes = c_in != c_out or stride != 1
        self.shortcut = Shortcut(c_in, c_out, stride) if reshapes else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:
        return basic_block_forward(self, x)


def basic_block_forward(block: BasicBlock, x: Tensor) -> Tensor:
    """relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).

    Hint: the last batch norm has no ReLU of its own; the ReLU comes after the sum.
    """
    h = torch.relu(block.bn1(block.conv1(x)))  # (N, C_out, H', W')
    h = block.bn2(block.conv2(h))
    return torch.relu(h + block.shortcut(x))  # the shortcut matches h's shape
