"""A weight-only quantized Linear layer and a function that swaps it into a model.

The weight is stored quantized and dequantized on every forward (activations stay float):
this saves memory, not arithmetic. Schemes: "int8" (absmax), "int8_zp" (zero-point),
"int4" (group RTN), "nf4".
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

from .four_bit import GroupInt4Weight, NF4Weight, quantize_group_int4, quantize_nf4
from .int8 import Int8Absmax, Int8ZeroPoint, quantize_int8_absmax, quantize_int8_zero_point

SCHEMES = ("int8", "int8_zp", "int4", "nf4")


class QuantLinear(nn.Module):
    """y = x @ dequantize(W).T + b, with W kept in a quantized form."""

    def __init__(self, linear: nn.Linear, scheme: str = "int8", group_size: int = 64) -> None:
        super().__init__()
        if scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {scheme!r}; choose from {SCHEMES}")
        self.scheme, self.in_features, self.out_features = (
            scheme,
            linear.in_features,
            linear.out_features,
        )
        w = linear.weight.detach()
        self.qweight: Int8Absmax | Int8ZeroPoint | GroupInt4Weight | NF4Weight
        if scheme == "int8":
            self.qweight = quantize_int8_absmax(w)
        elif scheme == "int8_zp":
            self.qweight = quantize_int8_zero_point(w)
        elif scheme == "int4":
            self.qweight = quantize_group_int4(w, group_size)
        else:
            self.qweight = quantize_nf4(w, group_size)
        self.bias = (
            None
            if linear.bias is None
            else nn.Parameter(linear.bias.detach().clone(), requires_grad=False)
        )
        self.compute_dtype = w.dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.qweight.dequantize().to(x.dtype)
        return F.linear(x, w, None if self.bias is None else self.bias.to(x.dtype))

    def weight_bytes(self) -> int:
        """Bytes held by the quantized weight, its scales and the bias."""
        tensors = [v for v in vars(self.qweight).values() if isinstance(v, torch.Tensor)]
        if self.bias is not None:
            tensors.append(self.bias)
        return sum(t.numel() * t.element_size() for t in tensors)

    def extra_repr(self) -> str:
        return f"in={self.in_features}, out={self.out_features}, scheme={self.scheme}"


def quantize_linears(
    model: nn.Module, scheme: str, *, group_size: int = 64, skip: Iterable[str] = ("lm_head",)
) -> nn.Module:
    """Swap each nn.Linear (unless its name contains a `skip` entry) for a QuantLinear, in place."""
    skip = tuple(skip)
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            full = f"{name}.{child_name}" if name else child_name
            if isinstance(child, nn.Linear) and not any(s in full for s in skip):
                setattr(module, child_name, QuantLinear(child, scheme, group_size))
    return model


def model_bytes(model: nn.Module) -> int:
    """Bytes of every parameter/buffer plus quantized weights (shared tensors counted once)."""
    seen: set[int] = set()
    total = 0
    for t in list(model.parameters()) + list(model.buffers()):
        if id(t) not in seen:
            seen.add(id(t))
            total += t.numel() * t.element_size()
    for m in model.modules():
        if isinstance(m, QuantLinear):
            total += m.weight_bytes() - (
                0 if m.bias is None else m.bias.numel() * m.bias.element_size()
            )
    return total
