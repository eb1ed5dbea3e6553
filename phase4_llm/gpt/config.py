"""The model's hyper-parameters in one dataclass, with presets for GPT-2 and Llama-style models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


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
    norm: Literal["layernorm", "rmsnorm"] = "layernorm"
    norm_eps: float = 1e-5
    mlp: Literal["gelu", "swiglu"] = "gelu"
    bias: bool = True
    tie_embeddings: bool = True
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.n_kv_head is None:
            self.n_kv_head = self.n_head
        if self.intermediate_size is None:
            self.intermediate_size = 4 * self.n_embd
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd={self.n_embd} is not divisible by n_head={self.n_head}")
        if self.n_head % self.n_kv_head:
            raise ValueError(f"n_head={self.n_head} is not divisible by n_kv_head={self.n_kv_head}")
        if self.position not in ("learned", "sinusoidal", "rotary"):
            raise ValueError(f"unknown position encoding {self.position!r}")

    @property
    def head_dim(self) -> int:
        """Width of one attention head."""
        return self.n_embd // self.n_head

    @classmethod
    def llama(cls, **overrides: object) -> GPTConfig:
        """A Llama-style config (rotary, RMSNorm, SwiGLU, no biases); fields may be overridden."""
        base: dict[str, object] = dict(
            position="rotary", norm="rmsnorm", mlp="swiglu", bias=False, norm_eps=1e-6
        )
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]
