"""A LoRA linear layer: y = W x + b + (alpha / r) * B A dropout(x), with W and b frozen.

Only A (r x in) and B (out x r) train. B starts at zero so a fresh adapter changes nothing;
A starts as torch.nn.Linear's default (Kaiming-uniform), as in the LoRA paper and PEFT.
rsLoRA scales by alpha / sqrt(r) instead, which keeps the update's size stable as r grows.

What this adds over `minimal.LoRALinear` (equal outputs and gradients): dropout on the
adapter's input (PEFT's `lora_dropout`); rsLoRA; in-place merge/unmerge that refuses a
quantized base; adapters in the compute dtype of a quantized base (QLoRA: x and the update
are cast); argument checks.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    """Wraps a frozen `nn.Linear` with a trainable low-rank update."""

    def __init__(
        self,
        base: nn.Linear,
        r: int = 8,
        alpha: float = 16.0,
        dropout: float = 0.0,
        use_rslora: bool = False,
    ) -> None:
        super().__init__()
        if r <= 0:
            raise ValueError(f"LoRA rank r must be positive, got {r}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"LoRA dropout must be in [0, 1), got {dropout}")
        self.base_layer = base
        self.r, self.alpha = r, alpha
        self.scaling = alpha / math.sqrt(r) if use_rslora else alpha / r
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        device, dtype = _device_and_dtype(base)
        self.lora_A.to(device, dtype)
        self.lora_B.to(device, dtype)
        for p in self.base_layer.parameters():
            p.requires_grad_(False)

    def delta_weight(self) -> torch.Tensor:
        """The dense update (alpha / r) * B @ A that merging adds to W."""
        return (self.lora_B.weight @ self.lora_A.weight) * self.scaling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.base_layer(x)
        if self.merged:
            return out
        update = self.lora_B(self.lora_A(self.dropout(x.to(self.lora_A.weight.dtype))))
        return out + (update * self.scaling).to(out.dtype)

    @torch.no_grad()
    def merge(self) -> None:
        """Fold the update into W so inference costs one matmul (idempotent)."""
        if not isinstance(getattr(self.base_layer, "weight", None), nn.Parameter):
            raise NotImplementedError(
                "cannot merge into a quantized base: rounding W + BA back to its codes would "
                "undo most of the update; keep the adapter separate, or dequantize first"
            )
        if not self.merged:
            w = self.base_layer.weight
            w.copy_((w.float() + self.delta_weight().float()).to(w.dtype))
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        """Subtract the update from W again (exact only up to rounding in W's dtype)."""
        if self.merged:
            w = self.base_layer.weight
            w.copy_((w.float() - self.delta_weight().float()).to(w.dtype))
            self.merged = False

    def extra_repr(self) -> str:
        return f"r={self.r}, alpha={self.alpha}, scaling={self.scaling:.4g}, merged={self.merged}"


def _device_and_dtype(base: nn.Module) -> tuple[torch.device, torch.dtype]:
    """Where the adapter lives: beside the base weight, or in the base's compute dtype."""
    weight = getattr(base, "weight", None)
    if isinstance(weight, torch.Tensor):
        return weight.device, weight.dtype
    dtype = getattr(base, "compute_dtype", torch.float32)
    tensors = [t for t in base.parameters()] + [t for t in base.buffers()]
    return (tensors[0].device if tensors else torch.device("cpu")), dtype
