"""Adapter files in PEFT's format: `adapter_config.json` + `adapter_model.safetensors`.

PEFT names each tensor `base_model.model.<module path>.lora_A.weight` (no adapter name on
disk), so our `lora_state_dict` keys need only that prefix to be interchangeable with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from phase4_llm.lora.layer import LoRALinear
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers, lora_state_dict

PREFIX = "base_model.model."
CONFIG_FILE = "adapter_config.json"
WEIGHTS_FILE = "adapter_model.safetensors"

# The checklist of adapter_config.json keys (PEFT 0.21): read into LoRAConfig ...
READ_KEYS = ("peft_type", "r", "lora_alpha", "lora_dropout", "use_rslora", "target_modules")
# ... without effect on the adapted model's outputs (bookkeeping; settings of unused options) ...
NO_EFFECT_KEYS = (
    "task_type", "inference_mode", "base_model_name_or_path", "revision", "peft_version",
    "auto_mapping", "megatron_core", "qalora_group_size",
)  # fmt: skip
# ... and every other key (DoRA, rank/alpha patterns, layer selection, trained biases,
# modules_to_save, ...) must be unset (`_unset`), or the file is refused.


class UnsupportedAdapterError(NotImplementedError, ValueError):
    """An adapter file option (or layer) this LoRA does not implement."""


def save_adapter(model: nn.Module, config: LoRAConfig, directory: Path) -> Path:
    """Write the adapter of `model` so that `peft.PeftModel.from_pretrained` can load it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {PREFIX + k: v.contiguous() for k, v in lora_state_dict(model).items()}
    save_file(tensors, directory / WEIGHTS_FILE)
    peft_config = {
        "peft_type": "LORA",
        "task_type": None,
        "r": config.r,
        "lora_alpha": config.alpha,
        "lora_dropout": config.dropout,
        "use_rslora": config.use_rslora,
        "target_modules": (
            config.target_modules
            if isinstance(config.target_modules, str)
            else sorted(config.target_modules)
        ),
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "base_model_name_or_path": None,
    }
    (directory / CONFIG_FILE).write_text(json.dumps(peft_config, indent=2))
    return directory


def read_adapter_config(directory: Path) -> LoRAConfig:
    """The LoRA settings of an adapter folder written by us or by PEFT.

    Every key of `adapter_config.json` is read, has no effect on the adapted model, or must be
    unset (None, False, empty, "none"); anything else raises, naming the key.
    """
    raw = json.loads((Path(directory) / CONFIG_FILE).read_text())
    if raw.get("peft_type") != "LORA":
        raise ValueError(f"not a LoRA adapter: peft_type={raw.get('peft_type')!r}")
    for key, value in raw.items():
        if key in READ_KEYS or key in NO_EFFECT_KEYS or _unset(value):
            continue
        if key == "init_lora_weights" and value in (True, False, "gaussian"):
            continue  # initialises A and B only; the file's weights replace them
        raise UnsupportedAdapterError(
            f"adapter uses options this LoRA does not implement: {key}={value!r}"
        )
    targets = raw["target_modules"]
    return LoRAConfig(
        target_modules=sorted(targets) if isinstance(targets, list) else str(targets),
        r=int(raw["r"]),
        alpha=float(raw["lora_alpha"]),
        dropout=float(raw.get("lora_dropout") or 0.0),
        use_rslora=bool(raw.get("use_rslora")),
    )


def load_adapter(model: nn.Module, directory: Path) -> nn.Module:
    """Add the adapter in `directory` (ours or PEFT's) to a plain base model, in place.

    PEFT also saves the base weight of an adapted `lm_head` or embedding
    (`<path>.base_layer.weight`, e.g. after resizing the vocabulary); like PEFT, those replace
    the model's own weight.
    """
    config = read_adapter_config(directory)
    apply_lora(model, config)
    tensors = load_file(Path(directory) / WEIGHTS_FILE)
    layers = dict(lora_layers(model))
    expected = {PREFIX + k for k in lora_state_dict(model)}
    base_weights = {
        key: name for name in layers if (key := f"{PREFIX}{name}.base_layer.weight") in tensors
    }
    if set(tensors) - set(base_weights) != expected:
        missing = sorted(expected - set(tensors))
        extra = sorted(set(tensors) - expected - set(base_weights))
        raise ValueError(
            f"adapter does not fit this model: missing {missing[:3]}, unexpected {extra[:3]}"
        )
    with torch.no_grad():
        for name, layer in layers.items():
            for part in ("lora_A", "lora_B"):
                weight = getattr(layer, part).weight
                weight.copy_(tensors[f"{PREFIX}{name}.{part}.weight"].to(weight.dtype))
        for key, name in base_weights.items():
            _replace_base_weight(layers[name], tensors[key], name)
    return model


def _unset(value: object) -> bool:
    # `is False`, not `==`: a 0 is a setting, not an absent option
    return value is None or value is False or value in ("none", "", {}, [])


def _replace_base_weight(layer: LoRALinear, saved: torch.Tensor, name: str) -> None:
    weight = getattr(layer.base_layer, "weight", None)
    if not isinstance(weight, nn.Parameter):
        raise UnsupportedAdapterError(
            f"{name}: the adapter carries a base weight for a quantized layer"
        )
    if weight.shape != saved.shape:
        raise ValueError(
            f"{name}: saved base weight {tuple(saved.shape)} != model's {tuple(weight.shape)} "
            "(resize the model's vocabulary first)"
        )
    weight.copy_(saved.to(weight.dtype))
