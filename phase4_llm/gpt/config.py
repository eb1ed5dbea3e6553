"""The model's hyper-parameters in one dataclass, with presets for GPT-2 and Llama-style models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .activations import ACTIVATIONS

# RoPE variants whose effect is a fixed rescaling of the inverse frequencies (see rope.py).
ROPE_TYPES = ("default", "linear", "llama3")


@dataclass
class GPTConfig:
    """Shape and flavour of a decoder-only transformer.

    GPT-2 flavour: learned positions, LayerNorm, GELU MLP, biases. Llama flavour: rotary
    positions, RMSNorm, SwiGLU MLP, no biases, grouped-query attention (n_kv_head < n_head).
    """

    vocab_size: int = 256
    block_size: int = 128  # longest sequence the model (and its KV cache) accepts
    n_layer: int = 2
    n_head: int = 4
    n_kv_head: int | None = None  # None: same as n_head (plain multi-head attention)
    n_embd: int = 64
    intermediate_size: int | None = None  # None: 4 * n_embd
    position: Literal["learned", "sinusoidal", "rotary"] = "learned"
    rope_theta: float = 10000.0
    # None: plain RoPE. Else {"rope_type": "linear", "factor": f}, or Llama 3.1's "llama3" with
    # factor, low_freq_factor, high_freq_factor and original_max_position_embeddings (rope.py).
    rope_scaling: dict[str, Any] | None = None
    norm: Literal["layernorm", "rmsnorm"] = "layernorm"
    norm_eps: float = 1e-5
    # "gelu": down(act(up(x))) (GPT-2); "swiglu": down(act(gate(x)) * up(x)) (Llama, gated).
    mlp: Literal["gelu", "swiglu"] = "gelu"
    activation: str | None = None  # None: "gelu_new" for mlp="gelu", "silu" for "swiglu"
    bias: bool = True  # LayerNorm biases, and the default of the two below
    attn_bias: bool | None = None  # None: same as `bias` (q, k, v, o projections)
    mlp_bias: bool | None = None  # None: same as `bias` (up, gate, down projections)
    attn_head_dim: int | None = None  # None: n_embd // n_head (Llama's `head_dim` override)
    attn_scale_by_head_dim: bool = True  # scores / sqrt(head_dim) (GPT-2 `scale_attn_weights`)
    attn_scale_by_inverse_layer: bool = False  # scores / (layer + 1) as well
    attn_upcast: bool = False  # scores and softmax in float32 in a low-precision model
    tie_embeddings: bool = True
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.n_kv_head is None:
            self.n_kv_head = self.n_head
        if self.intermediate_size is None:
            self.intermediate_size = 4 * self.n_embd
        if self.activation is None:
            self.activation = "silu" if self.mlp == "swiglu" else "gelu_new"
        if self.attn_bias is None:
            self.attn_bias = self.bias
        if self.mlp_bias is None:
            self.mlp_bias = self.bias
        if self.attn_head_dim is None and self.n_embd % self.n_head:
            raise ValueError(f"n_embd={self.n_embd} is not divisible by n_head={self.n_head}")
        if self.n_head % self.n_kv_head:
            raise ValueError(f"n_head={self.n_head} is not divisible by n_kv_head={self.n_kv_head}")
        if self.position not in ("learned", "sinusoidal", "rotary"):
            raise ValueError(f"unknown position encoding {self.position!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r} (have {sorted(ACTIVATIONS)})")
        if self.position == "rotary" and self.head_dim % 2:
            raise ValueError(f"rotary positions need an even head_dim, got {self.head_dim}")
        rope_type = (self.rope_scaling or {}).get("rope_type", "default")
        if rope_type not in ROPE_TYPES:
            raise ValueError(f"unknown rope_type {rope_type!r} (have {ROPE_TYPES})")

    @property
    def head_dim(self) -> int:
        """Width of one attention head."""
        return self.attn_head_dim or self.n_embd // self.n_head

    @classmethod
    def llama(cls, **overrides: object) -> GPTConfig:
        """A Llama-style config (rotary, RMSNorm, SwiGLU, no biases); fields may be overridden."""
        base: dict[str, object] = dict(
            position="rotary", norm="rmsnorm", mlp="swiglu", bias=False, norm_eps=1e-6
        )
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]
