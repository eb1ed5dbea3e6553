"""Hugging Face GPT-2 and Llama configs -> `GPTConfig`, with one checklist of every field.

Each field of a transformers config is in exactly one of three places:
- READ: translated into our config (the table says into what);
- NO_EFFECT: cannot change the logits of an eval-mode causal LM (dropout rates, token ids,
  initialisation, output flags, bookkeeping);
- anything else (e.g. GPT-2 `add_cross_attention`, an unknown field, a RoPE scaling we do not
  implement): must keep the value the config class defaults to, or `UnsupportedConfigError`
  names it. So a config is never loaded with a field silently ignored.
"""

from __future__ import annotations

from typing import Any

from .activations import ACTIVATIONS
from .config import GPTConfig


class UnsupportedConfigError(NotImplementedError, ValueError):
    """A model config field (or value) that our GPT does not implement."""

    def __init__(self, model_type: str, field: str, value: Any, why: str = "") -> None:
        self.field, self.value = field, value
        reason = f": {why}" if why else ""
        super().__init__(f"{model_type} config field {field}={value!r} is not supported{reason}")


# Fields of every transformers config that cannot change an eval-mode forward pass.
COMMON_NO_EFFECT = (
    "_name_or_path", "_model_name_or_path", "architectures", "dtype", "torch_dtype",
    "transformers_version", "model_type", "id2label", "label2id", "problem_type",
    "output_attentions", "output_hidden_states", "return_dict", "use_cache",
    "initializer_range", "chunk_size_feed_forward", "tokenizer_class",
    "bos_token_id", "eos_token_id", "pad_token_id", "unk_token_id", "sep_token_id",
    "cls_token_id", "mask_token_id",
)  # fmt: skip

GPT2_READ = {
    "vocab_size": "vocab_size",
    "n_positions": "block_size",
    "n_embd": "n_embd",
    "n_layer": "n_layer",
    "n_head": "n_head",
    "n_inner": "intermediate_size (None: 4 * n_embd)",
    "activation_function": "activation (any name in activations.ACTIVATIONS)",
    "layer_norm_epsilon": "norm_eps",
    "tie_word_embeddings": "tie_embeddings (False: lm_head.weight is loaded separately)",
    "scale_attn_weights": "attn_scale_by_head_dim",
    "scale_attn_by_inverse_layer_idx": "attn_scale_by_inverse_layer",
    "reorder_and_upcast_attn": "attn_upcast (scores in float32; same values in a float32 model)",
}
GPT2_NO_EFFECT = (
    "resid_pdrop", "embd_pdrop", "attn_pdrop",
    # the sequence-summary head of GPT2DoubleHeadsModel, absent from GPT2LMHeadModel
    "summary_type", "summary_use_proj", "summary_activation", "summary_proj_to_labels",
    "summary_first_dropout",
)  # fmt: skip

LLAMA_READ = {
    "vocab_size": "vocab_size",
    "hidden_size": "n_embd",
    "intermediate_size": "intermediate_size",
    "num_hidden_layers": "n_layer",
    "num_attention_heads": "n_head",
    "num_key_value_heads": "n_kv_head (None: num_attention_heads)",
    "head_dim": "attn_head_dim",
    "hidden_act": "activation of the gated MLP",
    "max_position_embeddings": "block_size",
    "rms_norm_eps": "norm_eps",
    "tie_word_embeddings": "tie_embeddings",
    "attention_bias": "attn_bias",
    "mlp_bias": "mlp_bias",
    "rope_parameters": "rope_theta, rope_scaling (rope_type default, linear or llama3)",
}
# pretraining_tp: transformers 5's Llama no longer splits its matmuls by it.
LLAMA_NO_EFFECT = ("attention_dropout", "pretraining_tp")
# The keys of `rope_parameters` each implemented rope_type reads; any other key is refused.
ROPE_KEYS = {
    "default": {"rope_type", "rope_theta"},
    "linear": {"rope_type", "rope_theta", "factor"},
    "llama3": {
        "rope_type", "rope_theta", "factor", "low_freq_factor", "high_freq_factor",
        "original_max_position_embeddings",
    },
}  # fmt: skip


def check_fields(hf: Any, read: dict[str, str], no_effect: tuple[str, ...]) -> dict[str, Any]:
    """The config as a dict, after refusing any field outside the checklist that is not default."""
    values = hf.to_dict()
    defaults = type(hf)().to_dict()
    missing = object()
    for field, value in values.items():
        if field in read or field in no_effect or field in COMMON_NO_EFFECT:
            continue
        if defaults.get(field, missing) != value:
            raise UnsupportedConfigError(hf.model_type, field, value, "not implemented here")
    return values


def gpt2_config(hf: Any) -> GPTConfig:
    """Our config equivalent of a transformers `GPT2Config` (refusing what we lack)."""
    c = check_fields(hf, GPT2_READ, GPT2_NO_EFFECT)
    return GPTConfig(
        vocab_size=c["vocab_size"],
        block_size=c["n_positions"],
        n_layer=c["n_layer"],
        n_head=c["n_head"],
        n_embd=c["n_embd"],
        intermediate_size=c["n_inner"] or 4 * c["n_embd"],
        position="learned",
        norm="layernorm",
        norm_eps=c["layer_norm_epsilon"],
        mlp="gelu",
        activation=activation("gpt2", "activation_function", c["activation_function"]),
        bias=True,
        attn_scale_by_head_dim=bool(c["scale_attn_weights"]),
        attn_scale_by_inverse_layer=bool(c["scale_attn_by_inverse_layer_idx"]),
        attn_upcast=bool(c["reorder_and_upcast_attn"]),
        tie_embeddings=bool(c["tie_word_embeddings"]),
    )


def llama_config(hf: Any) -> GPTConfig:
    """Our config equivalent of a transformers `LlamaConfig` (refusing what we lack)."""
    c = check_fields(hf, LLAMA_READ, LLAMA_NO_EFFECT)
    theta, scaling = rope_settings(c["rope_parameters"] or {})
    n_head = c["num_attention_heads"]
    return GPTConfig(
        vocab_size=c["vocab_size"],
        block_size=c["max_position_embeddings"],
        n_layer=c["num_hidden_layers"],
        n_head=n_head,
        n_kv_head=c["num_key_value_heads"] or n_head,
        n_embd=c["hidden_size"],
        intermediate_size=c["intermediate_size"],
        position="rotary",
        rope_theta=theta,
        rope_scaling=scaling,
        norm="rmsnorm",
        norm_eps=c["rms_norm_eps"],
        mlp="swiglu",
        activation=activation("llama", "hidden_act", c["hidden_act"]),
        bias=False,
        attn_bias=bool(c["attention_bias"]),
        mlp_bias=bool(c["mlp_bias"]),
        attn_head_dim=c["head_dim"] or c["hidden_size"] // n_head,
        tie_embeddings=bool(c["tie_word_embeddings"]),
    )


def activation(model_type: str, field: str, name: Any) -> str:
    """`name` if our model implements that activation, else a clear refusal."""
    if name not in ACTIVATIONS:
        raise UnsupportedConfigError(model_type, field, name, f"have {sorted(ACTIVATIONS)}")
    return str(name)


def rope_settings(rope: dict[str, Any]) -> tuple[float, dict[str, Any] | None]:
    """(theta, scaling) from a Llama `rope_parameters` dict, refusing other RoPE variants."""
    kind = rope.get("rope_type", rope.get("type", "default"))
    if kind not in ROPE_KEYS:
        raise UnsupportedConfigError(
            "llama", "rope_parameters.rope_type", kind, f"have {sorted(ROPE_KEYS)}"
        )
    for key, value in rope.items():
        harmless = (key == "type" and value == kind) or (
            key == "partial_rotary_factor" and value == 1
        )
        if key not in ROPE_KEYS[kind] and not harmless:
            raise UnsupportedConfigError("llama", f"rope_parameters.{key}", value, f"{kind} RoPE")
    theta = float(rope.get("rope_theta", 10000.0))
    if kind == "default":
        return theta, None
    return theta, {k: v for k, v in rope.items() if k in ROPE_KEYS[kind] and k != "rope_theta"}
