"""Put LoRA into a model: replace the named linear layers, freeze the rest, merge, unmerge."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from phase4_llm.lora.layer import LoRALinear


@dataclass
class LoRAConfig:
    r"""Which modules get adapters and how big they are.

    `target_modules` follows PEFT: a list names modules by their last path components
    ("q_proj" matches "model.layers.0.self_attn.q_proj"); a string is a regular expression
    that must match the whole module path ("lm_head", r".*\.(q|v)_proj").
    """

    target_modules: list[str] | str = field(default_factory=lambda: ["q_proj", "v_proj"])
    r: int = 8
    alpha: float = 16.0
    dropout: float = 0.0
    use_rslora: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def apply_lora(model: nn.Module, config: LoRAConfig) -> nn.Module:
    """Replace every linear layer that `target_modules` names by a `LoRALinear`, in place.

    Linear layers are `nn.Linear` and linear-like modules (`in_features`, `out_features`),
    such as weight-quantized layers, which makes this QLoRA. Everything but the adapters is
    frozen. Raises if no module matched (a typo would train nothing) and if a matched module
    is not linear (LoRA on embeddings or convolutions is not implemented here).
    """
    if config.target_modules == "all-linear":
        raise NotImplementedError(
            "target_modules='all-linear' is PEFT shorthand; name the modules (PEFT's saved "
            "adapter_config.json lists them) or give a regular expression"
        )
    wrapped = tuple(f"{n}." for n, _ in lora_layers(model))  # never adapt an adapter's parts
    matched = [
        (name, module)
        for name, module in model.named_modules()
        if name
        and _matches(name, config.target_modules)
        and not isinstance(module, LoRALinear)
        and not name.startswith(wrapped)
    ]
    other = [f"{n} ({type(m).__name__})" for n, m in matched if not _is_linear(m)]
    if other:
        raise NotImplementedError(f"LoRA here wraps linear layers only; matched {other[:3]}")
    targets = [name for name, _ in matched]
    for p in model.parameters():
        p.requires_grad_(False)
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


def _matches(name: str, targets: list[str] | str) -> bool:
    if isinstance(targets, str):  # PEFT: a string is a regex over the whole module path
        return re.fullmatch(targets, name) is not None
    return any(name == t or name.endswith("." + t) for t in targets)
