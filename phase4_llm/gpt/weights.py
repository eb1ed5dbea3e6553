"""State-dict mappings: Hugging Face GPT-2 and Llama checkpoints into our `GPT`.

GPT-2 stores its projections as `Conv1D` (weight shape (in, out), fused q|k|v in `c_attn`),
so they are transposed and split; Llama's `nn.Linear` weights map one to one. Which config
fields are read and which are refused is the checklist in `hf_configs.py`.
"""

from __future__ import annotations

from typing import Any

import torch

from .config import GPTConfig
from .hf_configs import UnsupportedConfigError, gpt2_config, llama_config
from .model import GPT

__all__ = [
    "UnsupportedConfigError",
    "from_hf",
    "gpt2_config",
    "llama_config",
    "map_gpt2_state_dict",
    "map_llama_state_dict",
]


def from_hf(hf_model: Any) -> GPT:
    """Our GPT with the weights of a transformers GPT-2 or Llama causal LM (eval mode).

    Raises `UnsupportedConfigError` for a config field our model does not implement.
    """
    kind = hf_model.config.model_type
    if kind == "gpt2":
        config = gpt2_config(hf_model.config)
        mapped = map_gpt2_state_dict(hf_model.state_dict(), config)
    elif kind == "llama":
        config = llama_config(hf_model.config)
        mapped = map_llama_state_dict(hf_model.state_dict(), config)
    else:
        raise UnsupportedConfigError(kind, "model_type", kind, "have gpt2, llama")
    model = GPT(config)
    model.load_state_dict(mapped, strict=True)
    return model.to(next(hf_model.parameters()).dtype).eval()


def map_gpt2_state_dict(sd: dict[str, torch.Tensor], config: GPTConfig) -> dict[str, torch.Tensor]:
    """Rename/transpose a HF `GPT2LMHeadModel` state dict to ours."""
    out = {"wte.weight": sd["transformer.wte.weight"], "wpe.weight": sd["transformer.wpe.weight"]}
    tied = config.tie_embeddings
    out["lm_head.weight"] = sd["transformer.wte.weight" if tied else "lm_head.weight"]
    out["norm_f.weight"] = sd["transformer.ln_f.weight"]
    out["norm_f.bias"] = sd["transformer.ln_f.bias"]
    d = config.n_embd
    for i in range(config.n_layer):
        src, dst = f"transformer.h.{i}.", f"blocks.{i}."
        for a, b in (("ln_1", "norm_1"), ("ln_2", "norm_2")):
            out[f"{dst}{b}.weight"] = sd[f"{src}{a}.weight"]
            out[f"{dst}{b}.bias"] = sd[f"{src}{a}.bias"]
        w, bias = sd[f"{src}attn.c_attn.weight"].t(), sd[f"{src}attn.c_attn.bias"]
        for j, name in enumerate(("q_proj", "k_proj", "v_proj")):
            out[f"{dst}attn.{name}.weight"] = w[j * d : (j + 1) * d].contiguous()
            out[f"{dst}attn.{name}.bias"] = bias[j * d : (j + 1) * d].contiguous()
        for a, b in (
            ("attn.c_proj", "attn.o_proj"),
            ("mlp.c_fc", "mlp.up_proj"),
            ("mlp.c_proj", "mlp.down_proj"),
        ):
            out[f"{dst}{b}.weight"] = sd[f"{src}{a}.weight"].t().contiguous()
            out[f"{dst}{b}.bias"] = sd[f"{src}{a}.bias"]
    return out


def map_llama_state_dict(sd: dict[str, torch.Tensor], config: GPTConfig) -> dict[str, torch.Tensor]:
    """Rename a HF `LlamaForCausalLM` state dict to ours."""
    out = {"wte.weight": sd["model.embed_tokens.weight"], "norm_f.weight": sd["model.norm.weight"]}
    out["lm_head.weight"] = sd.get("lm_head.weight", sd["model.embed_tokens.weight"])
    for i in range(config.n_layer):
        src, dst = f"model.layers.{i}.", f"blocks.{i}."
        out[f"{dst}norm_1.weight"] = sd[f"{src}input_layernorm.weight"]
        out[f"{dst}norm_2.weight"] = sd[f"{src}post_attention_layernorm.weight"]
        params = ("weight", "bias") if config.attn_bias else ("weight",)
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            for p in params:
                out[f"{dst}attn.{name}.{p}"] = sd[f"{src}self_attn.{name}.{p}"]
        params = ("weight", "bias") if config.mlp_bias else ("weight",)
        for name in ("gate_proj", "up_proj", "down_proj"):
            for p in params:
                out[f"{dst}mlp.{name}.{p}"] = sd[f"{src}mlp.{name}.{p}"]
    return out
