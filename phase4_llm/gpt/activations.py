"""The MLP activations a loaded model may name, keyed by transformers' `ACT2FN` names.

Only parameter-free activations are here; a name outside this table is refused by the config
(and by `from_hf`), never replaced by a look-alike. Example: ACTIVATIONS["relu2"](-1, 2) -> 0, 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

Activation = Callable[[torch.Tensor], torch.Tensor]


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """GPT-2's "gelu_new": the tanh approximation of GELU, written out as GPT-2 computes it."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3.0))))


def gelu_fast(x: torch.Tensor) -> torch.Tensor:
    """The tanh approximation with the constant sqrt(2/pi) rounded to 0.7978845608."""
    return 0.5 * x * (1.0 + torch.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)))


def quick_gelu(x: torch.Tensor) -> torch.Tensor:
    """x * sigmoid(1.702 x), the sigmoid approximation of GELU (CLIP)."""
    return x * torch.sigmoid(1.702 * x)


def relu_squared(x: torch.Tensor) -> torch.Tensor:
    """relu(x)^2 (Primer)."""
    return F.relu(x).square()


ACTIVATIONS: dict[str, Activation] = {
    "gelu": F.gelu,  # exact (erf)
    "gelu_python": F.gelu,
    "gelu_new": gelu_tanh,
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_python_tanh": gelu_tanh,
    "gelu_fast": gelu_fast,
    "gelu_10": lambda x: F.gelu(x).clamp(-10.0, 10.0),
    "quick_gelu": quick_gelu,
    "relu": F.relu,
    "relu2": relu_squared,
    "relu6": F.relu6,
    "leaky_relu": F.leaky_relu,  # slope 0.01, torch's and transformers' default
    "silu": F.silu,
    "swish": F.silu,
    "mish": F.mish,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "hardswish": F.hardswish,
    "linear": lambda x: x,
}
