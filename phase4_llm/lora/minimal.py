"""LoRA in one file: a frozen linear layer plus a trainable low-rank update (alpha / r) B A.

The idea only: y = x W^T + b + (alpha / r) * (x A^T) B^T, where W (out, in) and b never train
and only A (r, in) and B (out, r) do, r parameters per row instead of `in`. B starts at zero,
so a fresh adapter leaves the model unchanged; merging adds (alpha / r) B A to W once, after
which inference costs one matmul. No dropout, no rsLoRA, no model wrapping or adapter files:
`layer.py`, `wrap.py` and `adapters.py` add those.
"""

from __future__ import annotations

import math

from torch import Tensor, nn


def lora_forward(x: Tensor, w: Tensor, b: Tensor, a: Tensor, bb: Tensor, scale: float) -> Tensor:
    """x (..., in) -> (..., out): the frozen layer x W^T + b plus scale * (x A^T) B^T.

    Hint: apply A first (down to r features), then B (up to out features); never form B A.
    """
    return x @ w.t() + b + scale * ((x @ a.t()) @ bb.t())


def merged_weight(w: Tensor, a: Tensor, bb: Tensor, scale: float) -> Tensor:
    """W + scale * B A (out, in): the single weight that gives the same outputs as the adapter.

    Hint: B (out, r) @ A (r, in) is the dense update.
    """
    return w + scale * (bb @ a)


class LoRALinear(nn.Module):
    """A frozen `nn.Linear` with a trainable rank-r update; parameter names as `layer.py`."""

    def __init__(self, base: nn.Linear, r: int = 8, alpha: float = 16.0) -> None:
        super().__init__()
        self.base_layer = base.requires_grad_(False)
        self.scaling = alpha / r
        self.lora_A = nn.Linear(base.in_features, r, bias=False)  # weight (r, in)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)  # weight (out, r)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))  # as nn.Linear's default
        nn.init.zeros_(self.lora_B.weight)  # the update starts at exactly zero

    def forward(self, x: Tensor) -> Tensor:
        base = self.base_layer
        return lora_forward(
            x, base.weight, base.bias, self.lora_A.weight, self.lora_B.weight, self.scaling
        )
