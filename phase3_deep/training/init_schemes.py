"""Weight initialisation schemes written from their formulas (Glorot 2010, He 2015).

Each draws with an explicit `torch.Generator`, so the same seed gives the same weights, and
equals the `torch.nn.init` function of the same name drawn from the same generator state.
"""

from __future__ import annotations

import math

import torch
from torch import nn

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal")


def fans(weight: torch.Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a Linear (out, in) or Conv (out, in, *kernel) weight."""
    if weight.dim() < 2:
        raise ValueError("fan_in and fan_out need a weight with at least 2 dimensions")
    receptive = math.prod(weight.shape[2:]) if weight.dim() > 2 else 1
    return weight.shape[1] * receptive, weight.shape[0] * receptive


@torch.no_grad()
def init_tensor(
    weight: torch.Tensor, scheme: str, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Fill `weight` in place by `scheme` (one of SCHEMES) and return it."""
    fan_in, fan_out = fans(weight)
    if scheme == "xavier_uniform":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return weight.uniform_(-bound, bound, generator=generator)
    if scheme == "xavier_normal":
        return weight.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)), generator=generator)
    # He init for ReLU: gain sqrt(2), variance 2 / fan_in.
    std = math.sqrt(2.0) / math.sqrt(fan_in)
    if scheme == "kaiming_uniform":
        bound = math.sqrt(3.0) * std
        return weight.uniform_(-bound, bound, generator=generator)
    if scheme == "kaiming_normal":
        return weight.normal_(0.0, std, generator=generator)
    raise ValueError(f"unknown init scheme {scheme!r}; choose one of {SCHEMES}")


def init_model(model: nn.Module, scheme: str, seed: int) -> nn.Module:
    """Initialise every Linear/Conv weight by `scheme` and zero its bias, from one seed."""
    gen = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.Linear | nn.Conv1d | nn.Conv2d):
            init_tensor(module.weight, scheme, gen)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
