"""The reference side: a tiny random Llama built from a config, and PEFT's LoRA on top of it."""

from __future__ import annotations

import copy

import torch
from torch import nn

from phase4_llm.lora.wrap import LoRAConfig, lora_layers


def tiny_llama(seed: int = 0, dtype: torch.dtype = torch.float32) -> nn.Module:
    """A 2-layer Llama with random weights (no download): the base model of the tests."""
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=96,
        hidden_size=48,
        intermediate_size=96,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=64,
    )
    torch.manual_seed(seed)
    return LlamaForCausalLM(config).to(dtype).eval()


def peft_twin(base: nn.Module, ours: nn.Module, config: LoRAConfig) -> nn.Module:
    """PEFT's LoraModel over a copy of `base`, with our adapter weights copied in."""
    from peft import LoraConfig, get_peft_model

    peft_model = get_peft_model(
        copy.deepcopy(base),
        LoraConfig(
            r=config.r,
            lora_alpha=config.alpha,
            lora_dropout=config.dropout,
            target_modules=(
                config.target_modules
                if isinstance(config.target_modules, str)
                else list(config.target_modules)
            ),
            use_rslora=config.use_rslora,
        ),
    )
    with torch.no_grad():
        for name, layer in lora_layers(ours):
            peft_layer = peft_model.base_model.model.get_submodule(name)
            peft_layer.lora_A["default"].weight.copy_(layer.lora_A.weight)
            peft_layer.lora_B["default"].weight.copy_(layer.lora_B.weight)
    return peft_model


def randomise_adapters(model: nn.Module, seed: int = 1, scale: float = 0.05) -> None:
    """Give B non-zero weights so the adapter actually changes the output under test."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, layer in lora_layers(model):
            w = layer.lora_B.weight
            w.copy_((torch.randn(w.shape, generator=gen) * scale).to(w.dtype))
