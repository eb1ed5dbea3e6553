"""Put LoRA into a model: replace the named linear layers, freeze the rest, merge, unmerge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from phase4_llm.lora.layer import LoRALinear


@dataclass
class LoRAConfig:
    """Which modules get adapters and how big they are."""

    target_modules: list[str] = field(default_factory=lambda: ["q_proj", "v_proj"])
    r: int = 8
    alpha: float = 16.0
    dropout: float = 0.0
    use_rslora: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def apply_lora(model: nn.Module, config: LoRAConfig) -> nn.Module:
    """Replace every linear layer whose name ends with a target by a `LoRALinear`, in place.

    Linear layers are `nn.Linear` and linear-like modules (`in_features`, `out_features`),
    such as weight-quantized layers, which makes this QLoRA. Everything but the adapters is
    frozen. Raises if no module matched: a typo in `target_modules` would train nothing.
    """
    for p in model.parameters():
        p.requires_grad_(False)
    targets = [
        name
        for name, module in model.named_modules()
        if _is_linear(module) and _matches(name, config.target_modules)
    ]
    if not targets:
        raise ValueError(f"no linear layer matches target_modules={config.target_modules}")
    for name in targets:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        base = getattr(parent, child)
        setattr(
            parent,
            child,
            LoRALinear(base, config.r, config.alpha, config.dropout, config.use_rslora),
        )
    return model


def lora_layers(model: nn.Module) -> Iterable[tuple[str, LoRALinear]]:
    """(name, layer) for every LoRA layer of the model."""
    return ((n, m) for n, m in model.named_modules() if isinstance(m, LoRALinear))


def merge_lora(model: nn.Module) -> None:
    """Merge every adapter into its base weight."""
    for _, layer in lora_layers(model):
        layer.merge()


def unmerge_lora(model: nn.Module) -> None:
    """Undo `merge_lora`."""
    for _, layer in lora_layers(model):
        layer.unmerge()


def trainable_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total


def lora_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """Only the adapter weights, keyed by the module path (`...q_proj.lora_A.weight`)."""
    return {
        f"{name}.{part}.weight": getattr(layer, part).weight.detach().clone()
        for name, layer in lora_layers(model)
        for part in ("lora_A", "lora_B")
    }


def _is_linear(module: nn.Module) -> bool:
    if isinstance(module, LoRALinear):
        return False
    return isinstance(module, nn.Linear) or (
        hasattr(module, "in_features") and hasattr(module, "out_features")
    )


def _matches(name: str, targets: list[str]) -> bool:
    return any(name == t or name.endswith("." + t) for t in targets)
