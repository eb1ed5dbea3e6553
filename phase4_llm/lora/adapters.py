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

from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers, lora_state_dict

PREFIX = "base_model.model."
CONFIG_FILE = "adapter_config.json"
WEIGHTS_FILE = "adapter_model.safetensors"


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
        "target_modules": sorted(config.target_modules),
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "base_model_name_or_path": None,
    }
    (directory / CONFIG_FILE).write_text(json.dumps(peft_config, indent=2))
    return directory


def read_adapter_config(directory: Path) -> LoRAConfig:
    """The LoRA settings of an adapter folder written by us or by PEFT."""
    raw = json.loads((Path(directory) / CONFIG_FILE).read_text())
    if raw.get("peft_type") != "LORA":
        raise ValueError(f"not a LoRA adapter: peft_type={raw.get('peft_type')!r}")
    unsupported = [k for k in ("use_dora", "rank_pattern", "alpha_pattern") if raw.get(k)]
    if unsupported or raw.get("bias", "none") != "none" or raw.get("fan_in_fan_out"):
        raise ValueError(f"adapter uses options this LoRA does not implement: {unsupported}")
    targets = raw["target_modules"]
    return LoRAConfig(
        target_modules=sorted(targets) if isinstance(targets, list) else [targets],
        r=int(raw["r"]),
        alpha=float(raw["lora_alpha"]),
        dropout=float(raw.get("lora_dropout", 0.0)),
        use_rslora=bool(raw.get("use_rslora")),
    )


def load_adapter(model: nn.Module, directory: Path) -> nn.Module:
    """Add the adapter in `directory` (ours or PEFT's) to a plain base model, in place."""
    config = read_adapter_config(directory)
    apply_lora(model, config)
    tensors = load_file(Path(directory) / WEIGHTS_FILE)
    expected = {PREFIX + k for k in lora_state_dict(model)}
    if set(tensors) != expected:
        missing, extra = sorted(expected - set(tensors)), sorted(set(tensors) - expected)
        raise ValueError(
            f"adapter does not fit this model: missing {missing[:3]}, unexpected {extra[:3]}"
        )
    with torch.no_grad():
        for name, layer in lora_layers(model):
            for part in ("lora_A", "lora_B"):
                weight = getattr(layer, part).weight
                weight.copy_(tensors[f"{PREFIX}{name}.{part}.weight"].to(weight.dtype))
    return model
