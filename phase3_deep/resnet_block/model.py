"""A ResNet from our blocks: stem, stages of residual blocks, global average pool, optional
classifier head. `ResNetConfig` mirrors the fields of transformers' ResNetConfig it needs."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch.modules import BatchNorm2d, Conv2d, Linear

from .blocks import BasicBlock, Bottleneck


@dataclass
class ResNetConfig:
    """Shape of a ResNet. `stem="imagenet"` is 7x7/2 conv + 3x3/2 max-pool (transformers');
    `stem="small"` is one 3x3/1 conv for tiny images such as 8x8 digits."""

    num_channels: int = 3
    embedding_size: int = 64
    hidden_sizes: list[int] = field(default_factory=lambda: [256, 512, 1024, 2048])
    depths: list[int] = field(default_factory=lambda: [3, 4, 6, 3])
    layer_type: str = "bottleneck"
    downsample_in_first_stage: bool = False
    downsample_in_bottleneck: bool = False
    stem: str = "imagenet"

    def __post_init__(self) -> None:
        if self.layer_type not in ("basic", "bottleneck"):
            raise ValueError(f"layer_type must be 'basic' or 'bottleneck', got {self.layer_type!r}")
        if self.stem not in ("imagenet", "small"):
            raise ValueError(f"stem must be 'imagenet' or 'small', got {self.stem!r}")
        if len(self.hidden_sizes) != len(self.depths) or not self.depths:
            raise ValueError("hidden_sizes and depths need one entry per stage")


class Stem(nn.Module):
    """Conv + BN + ReLU (+ max-pool for the ImageNet stem)."""

    def __init__(self, config: ResNetConfig) -> None:
        super().__init__()
        big = config.stem == "imagenet"
        k, s = (7, 2) if big else (3, 1)
        self.conv = Conv2d(config.num_channels, config.embedding_size, k, s, k // 2, bias=False)
        self.bn = BatchNorm2d(config.embedding_size)
        self.pool = big

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = scratch.relu(self.bn(self.conv(x)))
        return scratch.max_pool2d(h, 3, 2, 1) if self.pool else h


class ResNet(nn.Module):
    """Stem, then stages (the first block of each may downsample), then mean over H and W."""

    def __init__(self, config: ResNetConfig) -> None:
        super().__init__()
        self.config = config
        self.stem = Stem(config)
        self.stages = nn.ModuleList()
        in_ch = config.embedding_size
        for i, (out_ch, depth) in enumerate(zip(config.hidden_sizes, config.depths, strict=True)):
            stride = 2 if i > 0 or config.downsample_in_first_stage else 1
            blocks = [self._block(in_ch, out_ch, stride)]
            blocks += [self._block(out_ch, out_ch, 1) for _ in range(depth - 1)]
            self.stages.append(nn.Sequential(*blocks))
            in_ch = out_ch

    def _block(self, in_ch: int, out_ch: int, stride: int) -> nn.Module:
        if self.config.layer_type == "basic":
            return BasicBlock(in_ch, out_ch, stride)
        return Bottleneck(
            in_ch, out_ch, stride, downsample_in_bottleneck=self.config.downsample_in_bottleneck
        )

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The last stage's feature map (transformers' `last_hidden_state`)."""
        if x.dim() != 4 or x.shape[1] != self.config.num_channels:
            raise ValueError(
                f"expected (N, {self.config.num_channels}, H, W) images, got {tuple(x.shape)}"
            )
        h = self.stem(x)
        for stage in self.stages:
            h = stage(h)
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled features (N, C): transformers' `pooler_output` without its 1x1 dims."""
        return self.forward_features(x).mean(dim=(2, 3))


class ResNetClassifier(nn.Module):
    """ResNet features followed by one linear layer to `num_classes` logits."""

    def __init__(self, config: ResNetConfig, num_classes: int) -> None:
        super().__init__()
        self.resnet = ResNet(config)
        self.head = Linear(config.hidden_sizes[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.resnet(x))
