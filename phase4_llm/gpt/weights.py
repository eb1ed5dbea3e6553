"""State-dict mappings: Hugging Face GPT-2 and Llama checkpoints into our `GPT`.

GPT-2 stores its projections as `Conv1D` (weight shape (in, out), fused q|k|v in `c_attn`),
so they are transposed and split; Llama's `nn.Linear` weights map one to one.
"""

from __future__ import annotations

from typing import Any

import torch

from .config import GPTConfig
from .model import GPT


def from_hf(hf_model: Any) -> GPT:
    """Our GPT with the weights of a transformers GPT-2 or Llama causal LM (eval mode)."""
    kind = hf_model.config.model_type
    if kind == "gpt2":
        config = gpt2_config(hf_model.config)
        mapped = map_gpt2_state_dict(hf_model.state_dict(), config)
    elif kind == "llama":
        config = llama_config(hf_model.config)
        mapped = map_llama_state_dict(hf_model.state_dict(), config)
    else:
        raise ValueError(f"no weight mapping for model_type {kind!r} (have gpt2, llama)")
    model = GPT(config)
    model.load_state_dict(mapped, strict=True)
    return model.to(next(hf_model.parameters()).dtype).eval()


def gpt2_config(hf: Any) -> GPTConfig:
    """Our config equivalent of a transformers `GPT2Config`."""
    return GPTConfig(
        vocab_size=hf.vocab_size,
        block_size=hf.n_positions,
        n_layer=hf.n_layer,
        n_head=hf.n_head,
        n_embd=hf.n_embd,
        intermediate_size=hf.n_inner or 4 * hf.n_embd,
        position="learned",
        norm="layernorm",
        norm_eps=hf.layer_norm_epsilon,
        mlp="gelu",
        bias=True,
        tie_embeddings=True,
    )


def llama_config(hf: Any) -> GPTConfig:
    """Our config equivalent of a transformers `LlamaConfig` (default rope only)."""
    rope = getattr(hf, "rope_parameters", None) or {}
    if rope.get("rope_type", "default") != "default":
        raise ValueError(f"rope_type {rope.get('rope_type')!r} is not supported (only default)")
    theta = rope.get("rope_theta", getattr(hf, "rope_theta", 10000.0))
    return GPTConfig(
        vocab_size=hf.vocab_size,
        block_size=hf.max_position_embeddings,
        n_layer=hf.num_hidden_layers,
        n_head=hf.num_attention_heads,
        n_kv_head=hf.num_key_value_heads,
        n_embd=hf.hidden_size,
        intermediate_size=hf.intermediate_size,
        position="rotary",
        rope_theta=float(theta),
        norm="rmsnorm",
        norm_eps=hf.rms_norm_eps,
        mlp="swiglu",
        bias=False,
        tie_embeddings=bool(hf.tie_word_embeddings),
    )


def map_gpt2_state_dict(sd: dict[str, torch.Tensor], config: GPTConfig) -> dict[str, torch.Tensor]:
    """Rename/transpose a HF `GPT2LMHeadModel` state dict to ours."""
    out = {"wte.weight": sd["transformer.wte.weight"], "wpe.weight": sd["transformer.wpe.weight"]}
    out["lm_head.weight"] = sd["transformer.wte.weight"]
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
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            out[f"{dst}attn.{name}.weight"] = sd[f"{src}self_attn.{name}.weight"]
        for name in ("gate_proj", "up_proj", "down_proj"):
            out[f"{dst}mlp.{name}.weight"] = sd[f"{src}mlp.{name}.weight"]
    return out
